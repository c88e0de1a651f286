import fc from 'fast-check';
import jsonata from 'jsonata';
import { BAIL, compileFast } from './fast-expressions';

const leaf = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'o.x', 'o.y.z', 'missing', 'o.missing', 's.x', 'list.x'),
  fc.string({ maxLength: 4 }).map((text) => JSON.stringify(text)),
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.constantFrom('0.5', 'true', 'false', 'null'),
);

const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(
        tie('expression'),
        fc.constantFrom('&', '+', '-', '*', '/', '%', '<', '<=', '>', '>=', '=', '!=', 'and', 'or'),
        tie('expression'),
      )
      .map(([l, op, r]) => `(${l}) ${op} (${r})`),
    fc
      .tuple(tie('expression'), tie('expression'), fc.option(tie('expression'), { nil: undefined }))
      .map(([c, t, e]) => (e === undefined ? `(${c}) ? (${t})` : `(${c}) ? (${t}) : (${e})`)),
    fc
      .tuple(fc.constantFrom('$string', '$uppercase', '$lowercase', '$trim', '$length', '$exists'), tie('expression'))
      .map(([fn, arg]) => `${fn}(${arg})`),
    tie('expression').map((inner) => `-(${inner})`),
  ),
}));

const primitive = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -20, max: 20 }),
  fc.double({ noNaN: true, min: -1e3, max: 1e3 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value = fc.oneof(primitive, fc.array(primitive, { maxLength: 2 }), fc.record({ x: primitive }));
const data = fc.record({
  a: value,
  b: value,
  c: primitive,
  o: fc.oneof(fc.record({ x: value, y: fc.oneof(fc.record({ z: primitive }), primitive) }), primitive),
  s: fc.string({ maxLength: 3 }),
  list: fc.array(fc.record({ x: primitive }), { maxLength: 2 }),
});

describe('fast expression path', () => {
  it('compiles the simple subset and leaves the rest to JSONata', () => {
    expect(compileFast(jsonata('a & " " & $uppercase(b)').ast())).toBeDefined();
    expect(compileFast(jsonata('state = "closed" ? "done" : "todo"').ast())).toBeDefined();
    for (const text of [
      'labels[0]',
      'items.price',
      '$sum(items.price)',
      '($x := 1; $x)',
      '{"a": a}',
      '[a, b]',
      '$f(a)',
      'a.b[c > 1]',
      '$string()',
      '$',
    ]) {
      const fast = compileFast(jsonata(text).ast());
      if (fast) expect(fast({ items: [{ price: 1 }], labels: ['x'], a: { b: [{ c: 2 }] } })).toBe(BAIL);
    }
  });

  it('property: wherever it answers, it answers exactly what JSONata answers', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(expression, data, async (text, input) => {
        const compiled = jsonata(text);
        const fast = compileFast(compiled.ast());
        // Every expression of this grammar is in the subset.
        expect(fast).toBeDefined();
        if (!fast) return;
        const result = fast(input);
        let expected: unknown;
        let threw = false;
        try {
          expected = await compiled.evaluate(input);
        } catch {
          threw = true;
        }
        if (result === BAIL) return;
        answered++;
        expect(threw).toBe(false);
        expect(result).toStrictEqual(expected);
      }),
      { numRuns: 2_000 },
    );
    // The comparison must have happened often enough to mean something.
    expect(answered).toBeGreaterThan(500);
  });
});
