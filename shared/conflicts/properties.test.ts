/**
 * Property tests over random records edited on both sides (nested objects, arrays, null, deletions, shape
 * changes, keys with dots) and random policies: nothing is lost silently, merging is deterministic, and
 * applying the same page twice changes nothing.
 */
import fc from 'fast-check';
import { diffThreeWay } from './diff';
import { applyPatch, getPath, isPlainObject, valuesEqual, type FieldPatch, type JsonRecord } from './field-paths';
import type { ConflictPolicy, Strategy } from './policy';
import { baseAfterPush, resolve, type Resolution } from './resolve';

const RUNS = 100;
const PATHS = ['a', 'b', 'c', 'o.p', 'o.q', 'o.r.s', 'k\\.dot'];

const leaf = fc.oneof(
  fc.integer({ min: -2, max: 2 }),
  fc.constantFrom('x', 'y', null, true, false),
  fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
);
const value = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('p', 'q'), leaf, { maxKeys: 2 }) },
);
const edits = fc.dictionary(fc.constantFrom(...PATHS), fc.option(value, { nil: undefined, freq: 4 }), { maxKeys: 4 });
const baseRecord = edits.map((e) => toRecord(undefined, e));

function toRecord(start: JsonRecord | undefined, e: Record<string, unknown>): JsonRecord {
  const patch: FieldPatch = { set: {}, unset: [] };
  for (const [path, v] of Object.entries(e)) {
    if (v === undefined) patch.unset.push(path);
    else patch.set[path] = v;
  }
  return applyPatch(start, patch);
}

const RULES = [
  '{"take": "local"}',
  'remote',
  '[local, remote]',
  'nothing.here',
  '$type(local) = "number" and $type(remote) = "number" ? $max([local, remote]) : {"take": "remote"}',
];
const strategy: fc.Arbitrary<Strategy> = fc.oneof(
  fc.constantFrom<Strategy>(
    { kind: 'source_wins' },
    { kind: 'target_wins' },
    { kind: 'latest_wins' },
    { kind: 'manual' },
  ),
  fc.record({
    kind: fc.constant('field_merge' as const),
    priority: fc.oneof(
      fc.constantFrom('source' as const, 'target' as const),
      fc.dictionary(fc.constantFrom(...PATHS), fc.constantFrom('source' as const, 'target' as const), { maxKeys: 3 }),
    ),
  }),
  fc.record({ kind: fc.constant('custom' as const), rule: fc.constantFrom(...RULES) }),
);
const policy: fc.Arbitrary<ConflictPolicy> = fc.record({
  default: strategy,
  fields: fc.dictionary(fc.constantFrom('a', 'o', 'o.q'), strategy, { maxKeys: 2 }),
});
const context = fc.record({
  localModifiedAt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  remoteModifiedAt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
});

// A case: a base (sometimes none: first sync) and the two sides, each the base with its own edits.
const scenario = fc
  .record({
    base: fc.option(baseRecord, { nil: undefined, freq: 6 }),
    localEdits: edits,
    remoteEdits: edits,
    policy,
    context,
  })
  .map((s) => ({
    ...s,
    local: toRecord(s.base, s.localEdits),
    remote: toRecord(s.base, s.remoteEdits),
  }));

const heldFields = (r: Resolution) => new Set(r.held.map((h) => h.field));

describe('conflict resolution properties', () => {
  it('loses no change silently, and the patches bring each side to the merged record', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const diff = diffThreeWay(s.base, s.local, s.remote);
        const r = await resolve(diff, s.policy, s.context);
        const held = heldFields(r);
        for (const f of diff.fields) {
          const merged = getPath(r.merged, f.field);
          for (const side of ['local', 'remote'] as const) {
            if (valuesEqual(f.base, f[side])) continue;
            const kept = valuesEqual(merged, f[side]);
            const explained = r.decisions.some(
              (d) => d.field === f.field && d.overridden.includes(side) && d.reason.length > 0,
            );
            expect(kept || held.has(f.field) || explained).toBe(true);
          }
        }
        expect(valuesEqual(applyPatch(s.local, r.localPatch), r.merged)).toBe(true);
        const pushed = applyPatch(s.remote, r.remotePatch);
        for (const f of diff.fields) {
          expect(valuesEqual(getPath(pushed, f.field), held.has(f.field) ? f.remote : getPath(r.merged, f.field))).toBe(
            true,
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same inputs in any key order give the same output, key order included', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const first = await resolve(diffThreeWay(s.base, s.local, s.remote), s.policy, s.context);
        const shuffled = await resolve(
          diffThreeWay(reversed(s.base), reversed(s.local), reversed(s.remote)),
          reversed(s.policy) as ConflictPolicy,
          s.context,
        );
        expect(JSON.stringify(shuffled)).toBe(JSON.stringify(first));
      }),
      { numRuns: RUNS },
    );
  });

  it('applying the same page twice changes nothing, before and after the push', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const r1 = await resolve(diffThreeWay(s.base, s.local, s.remote), s.policy, s.context);
        const r2 = await resolve(diffThreeWay(r1.nextBase, r1.merged, s.remote), s.policy, s.context);
        expect(r2.changedLocal).toBe(false);
        expect(valuesEqual(r2.merged, r1.merged)).toBe(true);
        expect(r2.held).toEqual(r1.held);
        expect(valuesEqual(applyPatch(s.remote, r2.remotePatch), applyPatch(s.remote, r1.remotePatch))).toBe(true);

        const pushedRemote = applyPatch(s.remote, r1.remotePatch);
        const r3 = await resolve(diffThreeWay(baseAfterPush(r1), r1.merged, pushedRemote), s.policy, s.context);
        expect(r3).toMatchObject({ changedLocal: false, changedRemote: false });
        expect(r3.held.map((h) => h.field)).toEqual(r1.held.map((h) => h.field));
      }),
      { numRuns: RUNS },
    );
  });

  it('source_wins ends with the remote value and target_wins with the local value on every conflicting field', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const diff = diffThreeWay(s.base, s.local, s.remote);
        const source = await resolve(diff, { default: { kind: 'source_wins' } });
        const target = await resolve(diff, { default: { kind: 'target_wins' } });
        for (const f of diff.fields.filter((x) => x.kind === 'conflict')) {
          expect(valuesEqual(getPath(source.merged, f.field), f.remote)).toBe(true);
          expect(valuesEqual(getPath(target.merged, f.field), f.local)).toBe(true);
        }
        expect(source.held).toEqual([]);
        expect(target.held).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

/** The same value with every object's keys in reverse order. */
function reversed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversed) as T;
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reversed(value[k])]),
  ) as T;
}
