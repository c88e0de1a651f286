/** Slack ts arithmetic: exact (microsecond) comparison and subtraction, where floats would round. */
import fc from 'fast-check';
import { compareTs, tsMinusMs, tsToIso } from './facts';

const ts = fc
  .tuple(fc.integer({ min: 0, max: 9_999_999_999 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([s, f]) => `${s}.${String(f).padStart(6, '0')}`);
const micros = (value: string): bigint => BigInt(value.replace('.', ''));

describe('Slack ts helpers', () => {
  it('compares like the microsecond integers they are, even where doubles cannot tell them apart', () => {
    expect(compareTs('1700000000.000101', '1700000000.000100')).toBe(1);
    fc.assert(
      fc.property(ts, ts, (a, b) =>
        expect(compareTs(a, b)).toBe(micros(a) < micros(b) ? -1 : micros(a) > micros(b) ? 1 : 0),
      ),
    );
  });

  it('subtracts milliseconds exactly and clamps at zero', () => {
    expect(tsMinusMs('1700000000.000100', 1500)).toBe('1699999998.500100');
    expect(tsMinusMs('1.000000', 5000)).toBe('0.000000');
    fc.assert(
      fc.property(ts, fc.integer({ min: 0, max: 10 ** 9 }), (value, ms) => {
        const expected = micros(value) - BigInt(ms) * 1000n;
        expect(micros(tsMinusMs(value, ms))).toBe(expected < 0n ? 0n : expected);
      }),
    );
  });

  it('turns a ts into ISO-8601 and refuses other text', () => {
    expect(tsToIso('1700000000.000100')).toBe('2023-11-14T22:13:20.000Z');
    expect(tsToIso('yesterday')).toBeUndefined();
  });
});
