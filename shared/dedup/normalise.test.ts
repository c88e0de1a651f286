import fc from 'fast-check';
import { foldAccents, normaliseCompany, normaliseEmail, normaliseName, normalisePhone } from './normalise';
import { jaroWinkler, nameSimilarity, trigramDice } from './similarity';

describe('normalisation', () => {
  it('emails: lowercased and trimmed; +tags stripped only when configured', () => {
    expect(normaliseEmail('  Ada.Lovelace+crm@Example.COM ')).toBe('ada.lovelace+crm@example.com');
    expect(normaliseEmail('Ada.Lovelace+crm@Example.COM', true)).toBe('ada.lovelace@example.com');
    expect(normaliseEmail('+x@example.com', true)).toBe('+x@example.com');
    expect(normaliseEmail('not-an-email')).toBeUndefined();
    expect(normaliseEmail('a@')).toBeUndefined();
  });

  it('phones: punctuation dropped, 00 → +, national numbers take the default country, (0) trunk removed', () => {
    expect(normalisePhone('+49 (0)30 1234-567')).toBe('+49301234567');
    expect(normalisePhone('0049 30 1234567')).toBe('+49301234567');
    expect(normalisePhone('030 1234567', '+49')).toBe('+49301234567');
    expect(normalisePhone('(415) 555-0100')).toBe('4155550100');
    expect(normalisePhone('+90 (0)212 555 0100')).toBe('+902125550100');
    expect(normalisePhone('12-34')).toBeUndefined();
  });

  it('names: accents folded, punctuation and apostrophes handled, spaces collapsed', () => {
    expect(normaliseName("  Zoë  O'Brien-Smith ")).toBe('zoe obrien smith');
    expect(foldAccents('Ångström Straße Łódź Øre')).toBe('Angstrom Strasse Lodz Ore');
  });

  it('companies: legal-form suffixes and a leading "the" dropped', () => {
    expect(normaliseCompany('Acme, Inc.')).toBe('acme');
    expect(normaliseCompany('ACME GmbH & Co. KG')).toBe('acme');
    expect(normaliseCompany('The Widget Company Ltd')).toBe('widget');
    expect(normaliseCompany('Inc')).toBe('inc');
  });
});

describe('similarity', () => {
  it('known values: Jaro-Winkler of the classic pairs, Dice of shared trigrams', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(trigramDice('night', 'nacht')).toBeLessThan(0.4);
    expect(nameSimilarity('smith john', 'john smith')).toBe(1);
  });

  const text = fc.oneof(fc.string(), fc.stringMatching(/^[a-z ]{0,12}$/));
  for (const [name, similarity] of [
    ['jaro-winkler', jaroWinkler],
    ['trigram dice', trigramDice],
    ['name similarity', (a: string, b: string) => nameSimilarity(a, b)],
    ['name similarity (trigram)', (a: string, b: string) => nameSimilarity(a, b, 'trigram')],
  ] as const) {
    it(`property: ${name} is symmetric, in [0, 1], and 1 for identical strings`, () => {
      fc.assert(
        fc.property(text, text, (a, b) => {
          const score = similarity(a, b);
          expect(score).toBe(similarity(b, a));
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
          expect(similarity(a, a)).toBe(1);
        }),
        { numRuns: 500 },
      );
    });
  }
});
