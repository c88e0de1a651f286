/**
 * References to another provider's records, through the page writer against cosmosdb-server: a GitHub issue
 * naming a Slack user links to the user's shard at once when a Slack integration of the tenant already synced
 * that user; it stays pending when no integration has it yet (resolved when it arrives) or when two do.
 */
import { createTestServices } from '../support/test-services';
import type { AppServices } from '../../shared/app/services';
import type { ProviderId } from '../../shared/core/providers';
import { parseConversionSchema } from '../../shared/mapping';
import { policyForStrategyName } from '../../shared/conflicts';
import { shardIdFor } from '../../shared/core/shard';
import { writePage, type PageContext, type PageWriterDeps } from '../../shared/sync/page/writer';

let services: AppServices;
beforeAll(async () => {
  services = (await createTestServices()).services;
});
afterAll(async () => services?.close?.());

const TENANT = 't-xlink';
const slackIntegrations: string[] = [];
const deps = (): PageWriterDeps => ({
  shards: services.shards,
  syncState: services.syncState,
  conflicts: services.conflicts,
  now: () => new Date(),
});
/** How a page finds the tenant's Slack integrations (a page without it leaves the link waiting). */
const integrationsOf = async (tenantId: string, provider: ProviderId) =>
  tenantId === TENANT && provider === 'slack' ? [...slackIntegrations] : [];

const issues = parseConversionSchema({
  provider: 'github',
  entity: 'issues',
  shardType: 'ticket',
  fields: { title: { source: 'title' } },
  relationships: [{ name: 'reporter', field: 'reporter', targetEntity: 'users', targetProvider: 'slack' }],
});
const github = (integrationId: string, runId: string): PageContext => ({
  integration: { id: integrationId, tenantId: TENANT, provider: 'github' },
  entity: 'issues',
  runId,
  policy: policyForStrategyName('source_wins'),
  schema: issues,
  markSeen: false,
  integrationsOf,
});
const slack = (integrationId: string, runId: string): PageContext => ({
  integration: { id: integrationId, tenantId: TENANT, provider: 'slack' },
  entity: 'users',
  runId,
  policy: policyForStrategyName('source_wins'),
  markSeen: false,
  integrationsOf,
});
const issue = (id: string, reporter: string) => ({ id, entity: 'issues', data: { title: `Issue ${id}`, reporter } });
const user = (id: string) => ({ id, entity: 'users', data: { name: `User ${id}` } });
const linksOf = async (integrationId: string, issueId: string) =>
  (await services.shards.get(TENANT, shardIdFor(integrationId, 'issues', issueId)))!.links;

describe('links to another provider', () => {
  it('resolves at once to a record a Slack integration of the tenant already synced', async () => {
    slackIntegrations.push('sl-1');
    await writePage(deps(), slack('sl-1', 'r1'), [user('U1')]);
    await writePage(deps(), github('gh-1', 'r1'), [issue('acme/app#1', 'U1')]);
    expect(await linksOf('gh-1', 'acme/app#1')).toEqual([
      { name: 'reporter', targetShardId: shardIdFor('sl-1', 'users', 'U1'), integrationId: 'gh-1' },
    ]);
  });

  it('without a way to find the other integrations the link waits, as before', async () => {
    await writePage(deps(), { ...github('gh-2', 'r1'), integrationsOf: undefined }, [issue('acme/app#2', 'U1')]);
    expect(await linksOf('gh-2', 'acme/app#2')).toEqual([
      { name: 'reporter', integrationId: 'gh-2', pending: { provider: 'slack', entity: 'users', externalId: 'U1' } },
    ]);
  });

  it('a user nobody synced yet is linked when it arrives', async () => {
    await writePage(deps(), github('gh-3', 'r1'), [issue('acme/app#3', 'U3')]);
    expect((await linksOf('gh-3', 'acme/app#3'))[0]!.pending).toEqual({
      provider: 'slack',
      entity: 'users',
      externalId: 'U3',
    });
    await writePage(deps(), slack('sl-1', 'r2'), [user('U3')]);
    expect(await linksOf('gh-3', 'acme/app#3')).toEqual([
      { name: 'reporter', targetShardId: shardIdFor('sl-1', 'users', 'U3'), integrationId: 'gh-3' },
    ]);
  });

  it('an id two Slack integrations hold is ambiguous: the link stays pending', async () => {
    slackIntegrations.push('sl-2');
    await writePage(deps(), slack('sl-2', 'r1'), [user('U1')]);
    await writePage(deps(), github('gh-4', 'r1'), [issue('acme/app#4', 'U1')]);
    expect((await linksOf('gh-4', 'acme/app#4'))[0]!.pending).toEqual({
      provider: 'slack',
      entity: 'users',
      externalId: 'U1',
    });
  });
});
