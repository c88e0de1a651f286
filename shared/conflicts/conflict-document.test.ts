import { isAppError } from '../core/app-error';
import { applyManualResolution, buildConflictDocument, conflictId, type ConflictDocument } from './conflict-document';
import { applyPatch } from './field-paths';
import { baseAfterPush, mergeRecord } from './resolve';

const ref = { tenantId: 't1', integrationId: 'gh-1', shardId: 'shard-9', entity: 'issues', externalId: 'octo/repo#12' };
const now = new Date('2024-06-01T10:00:00Z');

async function heldConflict() {
  const records = {
    base: { title: 'Base', labels: ['a'], body: 'b', state: 'open' },
    local: { title: 'Local', labels: ['a', 'l'], state: 'open' },
    remote: { title: 'Remote', labels: ['a', 'r'], body: 'b2', state: 'closed' },
  };
  const r = await mergeRecord(records, {
    default: { kind: 'source_wins' },
    fields: { title: { kind: 'manual' }, body: { kind: 'manual' } },
  });
  return { records, r, doc: buildConflictDocument(ref, r.held, now) as ConflictDocument };
}

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('buildConflictDocument', () => {
  it('records only the held fields, absent values as missing keys, with a stable id safe for Cosmos', async () => {
    const { doc } = await heldConflict();
    expect(doc).toMatchObject({ ...ref, status: 'open', createdAt: '2024-06-01T10:00:00.000Z' });
    expect(doc.fields).toEqual([
      { field: 'body', base: 'b', remote: 'b2' },
      { field: 'title', base: 'Base', local: 'Local', remote: 'Remote' },
    ]);
    expect(doc.id).toBe(conflictId(ref));
    expect(doc.id).toMatch(/^cf-[0-9a-f]{40}$/);
    expect(conflictId({ ...ref, externalId: 'octo/repo#13' })).not.toBe(doc.id);
  });

  it('gives a redelivered page the same document, and changed held values a new fingerprint', async () => {
    const first = await heldConflict();
    const again = await heldConflict();
    expect(again.doc).toEqual(first.doc);
    const other = buildConflictDocument(
      ref,
      [{ field: 'title', base: 'Base', local: 'Local', remote: 'Remote 2' }],
      now,
    );
    expect(other?.id).toBe(first.doc.id);
    expect(other?.fingerprint).not.toBe(first.doc.fingerprint);
    expect(buildConflictDocument(ref, [], now)).toBeUndefined();
  });
});

describe('applyManualResolution', () => {
  it('turns choices into the shard write, the push and the base, and marks the conflict resolved', async () => {
    const { doc } = await heldConflict();
    const out = applyManualResolution(
      doc,
      { title: { value: 'Agreed' }, body: { take: 'local' } },
      { now, resolvedBy: 'ops@example.com' },
    );
    expect(out.values).toEqual({ body: undefined, title: 'Agreed' });
    expect(out.localPatch).toEqual({ set: { title: 'Agreed' }, unset: [] });
    expect(out.remotePatch).toEqual({ set: { title: 'Agreed' }, unset: ['body'] });
    expect(out.basePatch).toEqual({ set: { body: 'b2', title: 'Remote' }, unset: [] });
    expect(out.basePatchAfterPush).toEqual({ set: { title: 'Agreed' }, unset: ['body'] });
    expect(out.resolved).toMatchObject({
      status: 'resolved',
      resolvedAt: now.toISOString(),
      resolution: { resolvedBy: 'ops@example.com' },
    });
    expect(doc.status).toBe('open');
  });

  it('after the decision, the next sync of the same page agrees with it and holds nothing', async () => {
    const { records, r, doc } = await heldConflict();
    const out = applyManualResolution(doc, { title: { take: 'remote' }, body: { take: 'local' } }, { now });
    const shard = applyPatch(r.merged, out.localPatch);
    // Not pushed yet: the stored base gets the provider values, so the choice reads as a local edit.
    const base = applyPatch(r.nextBase, out.basePatch);
    const next = await mergeRecord({ base, local: shard, remote: records.remote }, { default: { kind: 'manual' } });
    expect(next.held).toEqual([]);
    expect(next.changedLocal).toBe(false);
    expect(next.merged).toEqual(shard);
    // Pushed: the provider and the base both hold the decision and nothing is left to do.
    const pushedRemote = applyPatch(applyPatch(records.remote, r.remotePatch), out.remotePatch);
    const pushedBase = applyPatch(baseAfterPush(r), out.basePatchAfterPush);
    const settled = await mergeRecord(
      { base: pushedBase, local: shard, remote: pushedRemote },
      { default: { kind: 'manual' } },
    );
    expect(settled).toMatchObject({ changedLocal: false, changedRemote: false, held: [] });
  });

  it('rejects missing, unknown and malformed choices, naming the field', async () => {
    const { doc } = await heldConflict();
    expect(thrown(() => applyManualResolution(doc, { title: { take: 'local' } }, { now })).target).toBe('choices.body');
    expect(
      thrown(() =>
        applyManualResolution(
          doc,
          { title: { take: 'local' }, body: { take: 'local' }, state: { take: 'local' } },
          { now },
        ),
      ).target,
    ).toBe('choices.state');
    expect(
      thrown(() => applyManualResolution(doc, { title: { take: 'mine' }, body: { take: 'local' } }, { now })).code,
    ).toBe('validation');
  });

  it('refuses to resolve a conflict twice', async () => {
    const { doc } = await heldConflict();
    const { resolved } = applyManualResolution(doc, { title: { take: 'local' }, body: { take: 'local' } }, { now });
    expect(
      thrown(() => applyManualResolution(resolved, { title: { take: 'local' }, body: { take: 'local' } }, { now }))
        .code,
    ).toBe('conflict');
  });
});
