import { diffThreeWay } from './diff';
import { validatePolicy, type ConflictPolicy } from './policy';
import { baseAfterPush, mergeRecord, resolve } from './resolve';

// A record edited on both sides: title, amount and tags conflict; owner changed only locally, status only remotely.
const base = { title: 'Base', status: 'open', amount: 10, tags: ['a'], owner: 'ann' };
const local = { title: 'Local', status: 'open', amount: 12, tags: ['a', 'l'], owner: 'lee' };
const remote = { title: 'Remote', status: 'closed', amount: 15, tags: ['a', 'r'], owner: 'ann' };
const diff = diffThreeWay(base, local, remote);

const run = (policy: ConflictPolicy, context = {}) => resolve(diff, policy, context);

describe('resolve: one strategy per integration', () => {
  it('source_wins takes the provider value on conflicts and keeps one-sided changes from both', async () => {
    const r = await run({ default: { kind: 'source_wins' } });
    expect(r.merged).toEqual({ title: 'Remote', status: 'closed', amount: 15, tags: ['a', 'r'], owner: 'lee' });
    expect(r.remotePatch).toEqual({ set: { owner: 'lee' }, unset: [] });
    expect(r.localPatch.set).toEqual({ amount: 15, status: 'closed', tags: ['a', 'r'], title: 'Remote' });
    expect(r.changedLocal && r.changedRemote).toBe(true);
    expect(r.decisions.map((d) => [d.field, d.outcome, d.overridden])).toEqual([
      ['amount', 'took_remote', ['local']],
      ['tags', 'took_remote', ['local']],
      ['title', 'took_remote', ['local']],
    ]);
  });

  it('target_wins keeps the shard value on conflicts and pushes it', async () => {
    const r = await run({ default: { kind: 'target_wins' } });
    expect(r.merged).toEqual({ title: 'Local', status: 'closed', amount: 12, tags: ['a', 'l'], owner: 'lee' });
    expect(r.localPatch).toEqual({ set: { status: 'closed' }, unset: [] });
    expect(r.remotePatch.set).toEqual({ amount: 12, owner: 'lee', tags: ['a', 'l'], title: 'Local' });
    expect(r.decisions.every((d) => d.overridden.join() === 'remote')).toBe(true);
  });

  it('latest_wins goes by modification time, remote winning ties and unknown times', async () => {
    const later = await run(
      { default: { kind: 'latest_wins' } },
      { localModifiedAt: '2024-05-02T00:00:00Z', remoteModifiedAt: '2024-05-01T00:00:00Z' },
    );
    expect(later.merged).toMatchObject({ title: 'Local', amount: 12 });
    const earlier = await run(
      { default: { kind: 'latest_wins' } },
      { localModifiedAt: new Date('2024-04-01T00:00:00Z'), remoteModifiedAt: '2024-05-01T00:00:00Z' },
    );
    expect(earlier.merged).toMatchObject({ title: 'Remote', amount: 15 });
    const tie = await run(
      { default: { kind: 'latest_wins' } },
      { localModifiedAt: 1714521600000, remoteModifiedAt: '2024-05-01T00:00:00Z' },
    );
    expect(tie.merged).toMatchObject({ title: 'Remote' });
    expect(tie.decisions[0]?.reason).toMatch(/source wins ties/);
    const unknownRemote = await run(
      { default: { kind: 'latest_wins' } },
      { localModifiedAt: '2024-05-01T00:00:00Z', remoteModifiedAt: 'not a time' },
    );
    expect(unknownRemote.merged).toMatchObject({ title: 'Local' });
    const nothingKnown = await run({ default: { kind: 'latest_wins' } });
    expect(nothingKnown.merged).toMatchObject({ title: 'Remote' });
  });

  it('field_merge merges one-sided changes and settles overlaps by field priority (unlisted fields: source)', async () => {
    const r = await run({ default: { kind: 'field_merge', priority: { title: 'target', tags: 'source' } } });
    expect(r.merged).toEqual({ title: 'Local', status: 'closed', amount: 15, tags: ['a', 'r'], owner: 'lee' });
    expect(r.decisions.find((d) => d.field === 'amount')?.reason).toMatch(/no priority listed/);
    const whole = await run({ default: { kind: 'field_merge', priority: 'target' } });
    expect(whole.merged).toMatchObject({ title: 'Local', amount: 12, tags: ['a', 'l'] });
  });

  it('manual holds every conflicting field at its shard value while one-sided changes go on', async () => {
    const r = await run({ default: { kind: 'manual' } });
    expect(r.held.map((h) => h.field)).toEqual(['amount', 'tags', 'title']);
    expect(r.held[0]).toEqual({ field: 'amount', base: 10, local: 12, remote: 15 });
    expect(r.merged).toEqual({ title: 'Local', status: 'closed', amount: 12, tags: ['a', 'l'], owner: 'lee' });
    expect(r.remotePatch).toEqual({ set: { owner: 'lee' }, unset: [] });
    expect(r.counts).toMatchObject({ conflict: 3, held: 3, local_only: 1, remote_only: 1 });
  });
});

describe('resolve: per-field overrides', () => {
  it('an override beats the default', async () => {
    const r = await run({ default: { kind: 'source_wins' }, fields: { title: { kind: 'target_wins' } } });
    expect(r.merged).toMatchObject({ title: 'Local', amount: 15 });
    expect(r.decisions.find((d) => d.field === 'title')).toMatchObject({
      strategy: 'target_wins',
      via: 'fields.title',
    });
    expect(r.decisions.find((d) => d.field === 'amount')).toMatchObject({ strategy: 'source_wins', via: 'default' });
  });

  it('manual on one field holds only that field; the rest of the record is resolved and goes on', async () => {
    const r = await run({ default: { kind: 'source_wins' }, fields: { amount: { kind: 'manual' } } });
    expect(r.held.map((h) => h.field)).toEqual(['amount']);
    expect(r.merged).toEqual({ title: 'Remote', status: 'closed', amount: 12, tags: ['a', 'r'], owner: 'lee' });
    expect(r.nextBase).toEqual({ title: 'Remote', status: 'closed', amount: 10, tags: ['a', 'r'], owner: 'ann' });
    expect('amount' in r.localPatch.set || 'amount' in r.remotePatch.set).toBe(false);
  });
});

describe('resolve: custom rules', () => {
  it('takes the max of two numbers, concatenates tags and can pick a side', async () => {
    const r = await run({
      default: { kind: 'source_wins' },
      fields: {
        amount: { kind: 'custom', rule: '$max([local, remote])' },
        tags: { kind: 'custom', rule: '$distinct($append(local, remote))' },
        title: { kind: 'custom', rule: 'field = "title" ? {"take": "local"} : remote' },
      },
    });
    expect(r.merged).toMatchObject({ amount: 15, tags: ['a', 'l', 'r'], title: 'Local' });
    expect(r.decisions.find((d) => d.field === 'tags')).toMatchObject({
      outcome: 'custom_value',
      overridden: ['local', 'remote'],
    });
    expect(r.remotePatch.set).toMatchObject({ tags: ['a', 'l', 'r'], title: 'Local' });
    expect(r.localPatch.set).toMatchObject({ amount: 15, tags: ['a', 'l', 'r'] });
  });

  it('sees the modification times and the base', async () => {
    const rule = 'localModifiedAt > remoteModifiedAt ? local : base';
    const r = await run(
      { default: { kind: 'custom', rule } },
      { localModifiedAt: '2024-05-02T00:00:00Z', remoteModifiedAt: '2024-05-01T00:00:00Z' },
    );
    expect(r.merged).toMatchObject({ title: 'Local' });
    const older = await run(
      { default: { kind: 'custom', rule } },
      { localModifiedAt: '2024-04-02T00:00:00Z', remoteModifiedAt: '2024-05-01T00:00:00Z' },
    );
    expect(older.merged).toMatchObject({ title: 'Base' });
  });

  it('passes an absent side as missing, so a rule can tell a deletion from null', async () => {
    const policy = validatePolicy({
      default: { kind: 'custom', rule: '$exists(local) ? {"take": "local"} : {"take": "remote"}' },
    });
    const deleted = await mergeRecord({ base: { a: 1 }, local: {}, remote: { a: 2 } }, policy);
    expect(deleted.merged).toEqual({ a: 2 });
    const nulled = await mergeRecord({ base: { a: 1 }, local: { a: null }, remote: { a: 2 } }, policy);
    expect(nulled.merged).toEqual({ a: null });
  });

  it('holds the field with the reason when a rule fails or returns nothing at run time', async () => {
    const r = await run({
      default: { kind: 'source_wins' },
      fields: {
        amount: { kind: 'custom', rule: '$undefinedFunction(local)' },
        tags: { kind: 'custom', rule: 'nothing.here' },
        title: { kind: 'custom', rule: '($f := function($n) { $f($n + 1) }; $f(0))' },
      },
    });
    expect(r.held.map((h) => h.field)).toEqual(['amount', 'tags', 'title']);
    expect(r.decisions.find((d) => d.field === 'amount')?.reason).toMatch(/^custom: rule failed: .*T1006/);
    expect(r.decisions.find((d) => d.field === 'tags')?.reason).toMatch(/returned no value/);
    expect(r.decisions.find((d) => d.field === 'title')?.reason).toMatch(/D1011|D1012/);
    expect(r.merged).toMatchObject({ status: 'closed', owner: 'lee' });
  });
});

describe('resolve: deletions, bases and pushes', () => {
  it('a deletion that wins is an unset in the patch', async () => {
    const r = await mergeRecord(
      { base: { a: 1, b: 2 }, local: { a: 1 }, remote: { a: 1, b: 3 } },
      { default: { kind: 'target_wins' } },
    );
    expect(r.merged).toEqual({ a: 1 });
    expect(r.remotePatch).toEqual({ set: {}, unset: ['b'] });
    expect(r.decisions[0]).toMatchObject({ field: 'b', outcome: 'took_local', overridden: ['remote'] });
  });

  it('stores the provider values as the next base, and the merged values once the push is made', async () => {
    const r = await run({ default: { kind: 'target_wins' } });
    expect(r.nextBase).toEqual(remote);
    expect(baseAfterPush(r)).toEqual(r.merged);
  });

  it('a record that is the same on all sides changes nothing', async () => {
    const r = await mergeRecord({ base, local: base, remote: base }, { default: { kind: 'manual' } });
    expect(r).toMatchObject({ changedLocal: false, changedRemote: false, held: [], decisions: [] });
  });
});
