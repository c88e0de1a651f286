import { applyPatch, canonicalJson, isUnder, joinPath, splitPath, unflatten, valuesEqual } from './field-paths';

describe('field paths', () => {
  it('escapes dots and backslashes in keys so a path splits back into its keys', () => {
    const path = joinPath(joinPath(joinPath('', 'a.b'), 'c\\d'), 'e');
    expect(path).toBe('a\\.b.c\\\\d.e');
    expect(splitPath(path)).toEqual(['a.b', 'c\\d', 'e']);
  });

  it('knows which paths lie under a prefix', () => {
    expect(isUnder('address.city', 'address')).toBe(true);
    expect(isUnder('address', 'address')).toBe(true);
    expect(isUnder('addressLine', 'address')).toBe(false);
    expect(isUnder('a\\.b', 'a')).toBe(false);
  });

  it('rebuilds nested records from flat paths and drops absent values', () => {
    expect(unflatten({ 'a.x': 1, 'a.y': undefined, b: [1, 2], 'k\\.dot': true })).toEqual({
      a: { x: 1 },
      b: [1, 2],
      'k.dot': true,
    });
  });
});

describe('value equality', () => {
  it('ignores object key order but not array order', () => {
    expect(valuesEqual({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(valuesEqual([1, 2], [2, 1])).toBe(false);
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('tells absent from null and from other values', () => {
    expect(valuesEqual(undefined, null)).toBe(false);
    expect(valuesEqual(undefined, undefined)).toBe(true);
    expect(valuesEqual(0, '0')).toBe(false);
    expect(valuesEqual(new Date('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00.000Z')).toBe(true);
  });
});

describe('applyPatch', () => {
  it('sets and removes nested paths without changing the input', () => {
    const input = { a: { x: 1, y: 2 }, b: 'keep' };
    const out = applyPatch(input, { set: { 'a.x': 10, 'c.d': [1] }, unset: ['a.y'] });
    expect(out).toEqual({ a: { x: 10 }, b: 'keep', c: { d: [1] } });
    expect(input).toEqual({ a: { x: 1, y: 2 }, b: 'keep' });
  });
});
