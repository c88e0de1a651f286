import fc from 'fast-check';
import { canonicalJson, contentHash } from './content-hash';
import { getPath, parsePath, setPath } from './paths';

/** The same value with every object's keys in reversed order. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key must stay an own key, as JSON.parse makes it.
    for (const key of Object.keys(value).reverse())
      Object.defineProperty(out, key, {
        value: reorder((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

describe('content hash', () => {
  it('property: invariant under key order at every depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (data) => {
        expect(contentHash(reorder(data) as Record<string, unknown>)).toBe(contentHash(data));
      }),
    );
  });

  it('property: different canonical JSON gives a different hash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(contentHash(a)).not.toBe(contentHash(b));
      }),
    );
  });

  it('ignores volatile fields and undefined values, keeps nulls and array order', () => {
    const base = contentHash({ a: 1, b: [1, 2], c: null });
    expect(contentHash({ c: null, b: [1, 2], a: 1, syncedAt: 'now' }, ['syncedAt'])).toBe(base);
    expect(contentHash({ a: 1, b: [1, 2], c: null, d: undefined })).toBe(base);
    expect(contentHash({ a: 1, b: [2, 1], c: null })).not.toBe(base);
    expect(contentHash({ a: 1, b: [1, 2] })).not.toBe(base);
    expect(canonicalJson({ b: { y: 1, x: -0 }, a: 'é' })).toBe('{"a":"é","b":{"x":0,"y":1}}');
  });
});

describe('paths', () => {
  it('reads nested objects, array indexes and fans out over arrays', () => {
    const data = { a: { b: [{ c: 1 }, { c: 2 }, { d: 3 }] }, 'Due date': { start: 'x' } };
    expect(getPath(data, parsePath('a.b.1.c')!)).toBe(2);
    expect(getPath(data, parsePath('a.b.c')!)).toEqual([1, 2]);
    expect(getPath(data, parsePath('Due date.start')!)).toBe('x');
    expect(getPath(data, parsePath('a.constructor')!)).toBeUndefined();
    expect(parsePath('a..b')).toBeUndefined();
  });

  it('writes along a path, creating objects and arrays, and never into a prototype', () => {
    const target: Record<string, unknown> = {};
    setPath(target, ['a', 'b', '0', 'c'], 1);
    expect(target).toEqual({ a: { b: [{ c: 1 }] } });
    setPath(target, ['__proto__', 'polluted'], true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** The canonical form as first written (before shapes were cached): stored hashes depend on it staying the same. */
function referenceCanonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value === 0 ? 0 : value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value !== 'object') return typeof value === 'function' ? 'null' : JSON.stringify(String(value));
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined || typeof record[key] === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${referenceCanonical(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

describe('canonical JSON with cached object shapes', () => {
  it('property: equals the reference form, also for many objects that share or almost share a shape', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(
            fc.constantFrom('a', 'b', 'B', '__proto__', 'é', 'x y', '"q"', '', 'z'),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          { maxLength: 20 },
        ),
        (records) => {
          for (const record of records) {
            expect(canonicalJson(record)).toBe(referenceCanonical(record));
            expect(canonicalJson(reorder(record))).toBe(referenceCanonical(record));
          }
        },
      ),
    );
  });

  it('drops undefined and function values whatever the shape says, and keeps one key set apart from another', () => {
    const shaped = (a: unknown, b: unknown) => ({ b, a });
    expect(canonicalJson(shaped(1, 2))).toBe('{"a":1,"b":2}');
    expect(canonicalJson(shaped(undefined, 2))).toBe('{"b":2}');
    expect(canonicalJson(shaped(() => 1, null))).toBe('{"b":null}');
    expect(canonicalJson({ b: 1, c: 2 })).toBe('{"b":1,"c":2}');
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
    expect(canonicalJson([{ b: 1, a: [{ b: 2, a: 3 }] }, new Date(0)])).toBe(
      '[{"a":[{"a":3,"b":2}],"b":1},"1970-01-01T00:00:00.000Z"]',
    );
  });
});
