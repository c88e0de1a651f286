/**
 * Derived shards through the page writer against cosmosdb-server: one GitHub issue yields its comment shards
 * (the conversion schema's `derived` spec), each with a stable id, a `parent` link to the issue's shard, and a
 * ref entity that outbound sync cannot take for an issue. The same page twice writes the same shards. A comment
 * the issue no longer has, and every comment of a deleted or swept issue, is marked deleted.
 */
import { createTestServices } from '../support/test-services';
import type { AppServices } from '../../shared/app/services';
import { parseConversionSchema } from '../../shared/mapping';
import { policyForStrategyName } from '../../shared/conflicts';
import { shardIdFor } from '../../shared/core/shard';
import type { Stored } from '../../shared/core/stored';
import { writePage, type PageContext } from '../../shared/sync/page/writer';
import { runInboundPage, type PipelineDeps } from '../../shared/sync/inbound/pipeline';
import type { ProviderAdapter } from '../../shared/adapters/contract';
import type { Integration } from '../../shared/core/integration';

let services: AppServices;
beforeAll(async () => {
  services = (await createTestServices()).services;
});
afterAll(async () => services?.close?.());

const schema = parseConversionSchema({
  provider: 'github',
  entity: 'issues',
  shardType: 'ticket',
  fields: { title: { source: 'title' } },
  derived: [
    {
      name: 'comments',
      shardType: 'comment',
      expression: 'comments',
      key: 'id',
      fields: { text: { source: 'body' }, author: { source: 'user' } },
    },
  ],
});

const ctx: PageContext = {
  integration: { id: 'gh-derived', tenantId: 't-derived', provider: 'github' },
  entity: 'issues',
  runId: 'run-1',
  policy: policyForStrategyName('source_wins'),
  schema,
  markSeen: false,
};
const deps = () => ({
  shards: services.shards,
  syncState: services.syncState,
  conflicts: services.conflicts,
  now: () => new Date(),
});
const issue = {
  id: 'acme/widgets#7',
  entity: 'issues',
  data: {
    title: 'Crash on save',
    comments: [
      { id: 11, body: 'Same here', user: 'ada' },
      { id: 12, body: 'Fixed in 1.2', user: 'lin' },
    ],
  },
};

describe('derived shards', () => {
  it('writes one shard per comment, linked to the issue shard, and the same ones again', async () => {
    const first = await writePage(deps(), ctx, [issue]);
    expect(first.counters).toMatchObject({ created: 1, errors: 0 });
    const parentId = shardIdFor('gh-derived', 'issues', 'acme/widgets#7');
    const childIds = ['11', '12'].map((key) => shardIdFor('gh-derived', 'issues', `acme/widgets#7#comments/${key}`));
    const children = await services.shards.getMany('t-derived', childIds);
    expect(
      [...children.values()].map((shard) => ({
        type: shard.shardType,
        data: shard.data,
        links: shard.links,
        ref: shard.externalRefs[0]!.entity,
      })),
    ).toEqual([
      {
        type: 'comment',
        data: { text: 'Same here', author: 'ada' },
        links: [{ name: 'parent', targetShardId: parentId, integrationId: 'gh-derived' }],
        ref: 'issues#comments',
      },
      {
        type: 'comment',
        data: { text: 'Fixed in 1.2', author: 'lin' },
        links: [{ name: 'parent', targetShardId: parentId, integrationId: 'gh-derived' }],
        ref: 'issues#comments',
      },
    ]);
    expect(await services.shards.count('t-derived')).toBe(3);

    // A comment edited at the provider: the issue is written again and its comment shard follows.
    const edited = {
      ...issue,
      data: { ...issue.data, comments: [issue.data.comments[0], { id: 12, body: 'Fixed in 1.3', user: 'lin' }] },
    };
    await writePage(deps(), { ...ctx, runId: 'run-2' }, [edited]);
    await writePage(deps(), { ...ctx, runId: 'run-3' }, [edited]);
    expect((await services.shards.get('t-derived', childIds[1]!))!.data).toEqual({
      text: 'Fixed in 1.3',
      author: 'lin',
    });
    expect(await services.shards.count('t-derived')).toBe(3);
  });

  const childId = (integrationId: string, issueId: string, key: string) =>
    shardIdFor(integrationId, 'issues', `${issueId}#comments/${key}`);
  const live = async (tenantId: string, ids: string[]) =>
    [...(await services.shards.getMany(tenantId, ids)).values()]
      .filter((shard) => !shard.deleted)
      .map((shard) => shard.id);

  it('marks deleted a comment the issue no longer has, and all comments of a deleted issue; a comment that comes back lives again', async () => {
    const c = { ...ctx, integration: { ...ctx.integration, id: 'gh-derived-2' } };
    const ids = ['11', '12'].map((key) => childId('gh-derived-2', 'acme/widgets#7', key));
    await writePage(deps(), c, [issue]);
    expect(await live('t-derived', ids)).toEqual(ids);

    const oneLess = { ...issue, data: { ...issue.data, comments: [issue.data.comments[0]] } };
    await writePage(deps(), { ...c, runId: 'run-2' }, [oneLess]);
    expect(await live('t-derived', ids)).toEqual([ids[0]]);
    expect((await services.shards.get('t-derived', ids[1]!))!.data).toEqual({ text: 'Fixed in 1.2', author: 'lin' });
    const state = (await services.syncState.records('gh-derived-2', 'issues', ['acme/widgets#7'])).get(
      'acme/widgets#7',
    );
    expect(state!.derivedShardIds).toEqual([ids[0]]);

    await writePage(deps(), { ...c, runId: 'run-3' }, [issue]);
    expect(await live('t-derived', ids)).toEqual(ids);

    await writePage(deps(), { ...c, runId: 'run-4' }, [{ id: issue.id, entity: 'issues', deleted: true, data: {} }]);
    expect(await live('t-derived', [shardIdFor('gh-derived-2', 'issues', issue.id), ...ids])).toEqual([]);
  });

  it("a full refresh's sweep removes the comments of the issues it deletes", async () => {
    const integration = {
      id: 'gh-derived-3',
      tenantId: 't-derived',
      provider: 'github',
      entities: ['issues'],
      mappings: { issues: schema },
      conflictStrategy: 'source_wins',
    } as unknown as Stored<Integration>;
    const others = Array.from({ length: 9 }, (_, i) => ({
      id: `acme/widgets#${100 + i}`,
      entity: 'issues',
      data: { title: `Issue ${i}`, comments: [] },
    }));
    let listed = [issue, ...others];
    const adapter = { fetchChanges: async () => ({ records: listed, done: true }) } as unknown as ProviderAdapter;
    const pipelineDeps: PipelineDeps = {
      ...deps(),
      queue: services.queue,
      limits: { pageSize: 100, maxDeleteShare: 0.5 },
    };
    const run = (runId: string) =>
      runInboundPage(
        pipelineDeps,
        integration,
        {
          kind: 'sync-page',
          runId,
          tenantId: 't-derived',
          integrationId: 'gh-derived-3',
          mode: 'full',
          page: 0,
        },
        { adapterFor: () => adapter },
      );
    await run('full-1');
    const ids = ['11', '12'].map((key) => childId('gh-derived-3', 'acme/widgets#7', key));
    expect(await live('t-derived', ids)).toEqual(ids);
    listed = others;
    const outcome = await run('full-2');
    expect(outcome.counters.deleted).toBe(1);
    expect(await live('t-derived', ids)).toEqual([]);
  });
});
