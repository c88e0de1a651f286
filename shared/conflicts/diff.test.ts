import { diffThreeWay, type ChangeKind } from './diff';

function kinds(diff: ReturnType<typeof diffThreeWay>): Record<string, ChangeKind> {
  return Object.fromEntries(diff.fields.map((f) => [f.field, f.kind]));
}

describe('diffThreeWay', () => {
  const base = { title: 'A', status: 'open', owner: 'ann', points: 3, notes: 'n' };

  it('classifies each field against the base', () => {
    const local = { ...base, title: 'A local', status: 'closed', points: 5 };
    const remote = { ...base, owner: 'bob', status: 'closed', points: 8 };
    expect(kinds(diffThreeWay(base, local, remote))).toEqual({
      notes: 'unchanged',
      owner: 'remote_only',
      points: 'conflict',
      status: 'both_same',
      title: 'local_only',
    });
  });

  it('walks nested objects into dot paths and compares arrays as whole values', () => {
    const b = { address: { city: 'Oslo', zip: '0150' }, tags: ['a', 'b'] };
    const l = { address: { city: 'Bergen', zip: '0150' }, tags: ['b', 'a'] };
    const r = { address: { city: 'Oslo', zip: '5003' }, tags: ['a', 'b'] };
    expect(kinds(diffThreeWay(b, l, r))).toEqual({
      'address.city': 'local_only',
      'address.zip': 'remote_only',
      tags: 'local_only',
    });
  });

  it('compares a key as one value where its shape differs between sides', () => {
    const d = diffThreeWay({ a: 5 }, { a: { x: 1 } }, { a: 6 });
    expect(d.fields).toEqual([{ field: 'a', kind: 'conflict', base: 5, local: { x: 1 }, remote: 6 }]);
  });

  it('does not depend on key order', () => {
    const d1 = diffThreeWay({ a: 1, b: { c: 1, d: 2 } }, { b: { d: 3, c: 1 }, a: 1 }, { a: 2, b: { c: 1, d: 2 } });
    const d2 = diffThreeWay({ b: { d: 2, c: 1 }, a: 1 }, { a: 1, b: { c: 1, d: 3 } }, { b: { c: 1, d: 2 }, a: 2 });
    expect(d1).toEqual(d2);
  });

  it('distinguishes absent from null unless nullIsAbsent is set', () => {
    expect(kinds(diffThreeWay({ a: 1 }, { a: 1, b: null }, { a: 1 }))).toEqual({ a: 'unchanged', b: 'local_only' });
    expect(kinds(diffThreeWay({ a: 1 }, { a: 1, b: null }, { a: 1 }, { nullIsAbsent: true }))).toEqual({
      a: 'unchanged',
    });
  });

  it('sees a deletion on one side as that side changing the field', () => {
    const d = diffThreeWay({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 3 });
    expect(d.fields.find((f) => f.field === 'b')).toEqual({
      field: 'b',
      kind: 'conflict',
      base: 2,
      local: undefined,
      remote: 3,
    });
  });

  it('with partialRemote, a field the remote leaves out counts as unchanged there', () => {
    const d = diffThreeWay({ a: 1, b: 2 }, { a: 1, b: 5 }, { a: 9 }, { partialRemote: true });
    expect(kinds(d)).toEqual({ a: 'remote_only', b: 'local_only' });
  });

  it('on first sync (no base), one-sided fields are additions and differing shared fields are conflicts', () => {
    const d = diffThreeWay(undefined, { a: 1, mine: 'x', same: true }, { a: 2, theirs: 'y', same: true });
    expect(d.firstSync).toBe(true);
    expect(kinds(d)).toEqual({ a: 'conflict', mine: 'local_only', same: 'both_same', theirs: 'remote_only' });
  });
});
