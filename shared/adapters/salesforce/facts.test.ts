import fc from 'fast-check';
import { toIsoUtc } from './facts';

/** What toIsoUtc must answer: Date's reading of the stamp, with Salesforce's +hhmm offset made ISO. */
function viaDate(value: string): string | undefined {
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const wireStamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

describe('toIsoUtc', () => {
  it('reads every wire stamp as Date does, including the ones its shortcut takes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }),
        (ms) => {
          const stamp = wireStamp(ms);
          expect(toIsoUtc(stamp)).toBe(viaDate(stamp));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with Date on out-of-range and mangled stamps (no shortcut past the 28th, hour 24, month 13…)', () => {
    const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
    const mangled = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        digits(3),
        fc.constantFrom('+0000', '-0500', '+0130', 'Z', '+00'),
      )
      .map(([y, mo, d, h, mi, s, ms, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone}`);
    fc.assert(
      fc.property(mangled, (stamp) => expect(toIsoUtc(stamp)).toBe(viaDate(stamp))),
      { numRuns: 5000 },
    );
    for (const stamp of [
      '2024-02-30T00:00:00.000+0000',
      '2024-13-01T00:00:00.000+0000',
      '2024-01-01T24:00:00.000+0000',
      '0000-01-01T00:00:00.000+0000',
    ]) {
      expect(toIsoUtc(stamp)).toBe(viaDate(stamp));
    }
    expect(toIsoUtc(42)).toBeUndefined();
  });
});
