/** The sandbox's SOQL subset: what it accepts, what it refuses, and that evaluation agrees with a plain filter. */
import fc from 'fast-check';
import { parseSoql, SoqlError, type SoqlSchema } from './soql';
import { matches, orderComparator } from './soql-eval';

const schema: SoqlSchema = (name) =>
  name.toLowerCase() === 'account'
    ? { name: 'Account', fields: ['Id', 'Name', 'SystemModstamp', 'IsDeleted', 'NumberOfEmployees'] }
    : undefined;

function refused(q: string): string {
  try {
    parseSoql(q, schema);
  } catch (error) {
    if (error instanceof SoqlError) return error.errorCode;
    throw error;
  }
  return 'accepted';
}

describe('SOQL subset parser', () => {
  it('parses the incremental keyset query the adapter sends, resolving names case-insensitively', () => {
    const query = parseSoql(
      "select id, name from ACCOUNT where SystemModstamp > 2024-01-01T00:00:00.000Z or (systemmodstamp = 2024-01-01T00:00:00Z and Id > '001x') order by SystemModstamp asc, Id limit 200",
      schema,
    );
    expect(query.object).toBe('Account');
    expect(query.fields).toEqual(['Id', 'Name']);
    expect(query.orderBy).toEqual([
      { field: 'SystemModstamp', descending: false },
      { field: 'Id', descending: false },
    ]);
    expect(query.limit).toBe(200);
    expect(query.where?.kind).toBe('or');
  });

  it.each([
    ['SELECT Id FROM Account WHERE', 'MALFORMED_QUERY'],
    ['SELECT COUNT() FROM Account', 'MALFORMED_QUERY'],
    ['SELECT Owner.Name FROM Account', 'MALFORMED_QUERY'],
    ["SELECT Id FROM Account WHERE Name = 'unterminated", 'MALFORMED_QUERY'],
    ['SELECT Id FROM Account LIMIT -1', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Account GROUP BY Name', 'MALFORMED_QUERY'],
    ["SELECT Id FROM Account WHERE Name LIKE 'a%'", 'MALFORMED_QUERY'],
    ['SELECT Foo FROM Account', 'INVALID_FIELD'],
    ['SELECT Id FROM Lead', 'INVALID_TYPE'],
  ])('refuses %s with %s', (q, code) => {
    expect(refused(q)).toBe(code);
  });

  it('compares strings case-insensitively and datetimes as instants, null-safe', () => {
    const row = {
      Id: '001A',
      Name: 'Acme',
      SystemModstamp: '2024-01-01T00:00:05.000+0000',
      IsDeleted: false,
      NumberOfEmployees: null,
    };
    const where = (condition: string) => parseSoql(`SELECT Id FROM Account WHERE ${condition}`, schema).where;
    expect(matches(row, where("Name = 'ACME'"))).toBe(true);
    expect(matches(row, where('SystemModstamp > 2024-01-01T00:00:04Z'))).toBe(true);
    expect(matches(row, where('SystemModstamp > 2024-01-01T00:00:05.000Z'))).toBe(false);
    expect(matches(row, where('NumberOfEmployees = null AND NOT IsDeleted = true'))).toBe(true);
    expect(matches(row, where("Id IN ('001B', '001A')"))).toBe(true);
    expect(matches(row, where("Id NOT IN ('001A')"))).toBe(false);
  });

  it('property: the keyset condition selects exactly the rows after the cursor in (SystemModstamp, Id) order', () => {
    const rowArb = fc.record({ stampS: fc.integer({ min: 0, max: 5 }), id: fc.stringMatching(/^[0-9A-Z]{4}$/) });
    fc.assert(
      fc.property(
        fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 30 }),
        fc.integer({ min: 0, max: 5 }),
        fc.stringMatching(/^[0-9A-Z]{4}$/),
        (raw, afterS, afterId) => {
          const stamp = (s: number) => `2024-01-01T00:00:0${s}.000Z`;
          const rows = raw.map((r) => ({
            Id: r.id,
            SystemModstamp: stamp(r.stampS).replace('Z', '+0000'),
            IsDeleted: false,
            Name: 'x',
          }));
          const query = parseSoql(
            `SELECT Id FROM Account WHERE SystemModstamp > ${stamp(afterS)} OR (SystemModstamp = ${stamp(afterS)} AND Id > '${afterId}') ORDER BY SystemModstamp, Id`,
            schema,
          );
          const selected = rows
            .filter((row) => matches(row, query.where))
            .sort(orderComparator(query))
            .map((row) => row.Id);
          const expected = raw
            .filter((r) => r.stampS > afterS || (r.stampS === afterS && r.id > afterId))
            .sort((a, b) => a.stampS - b.stampS || (a.id < b.id ? -1 : 1))
            .map((r) => r.id);
          expect(selected).toEqual(expected);
        },
      ),
    );
  });

  it('property: any input either parses or is refused with a SoqlError, never anything else', () => {
    const pieces = fc.constantFrom(
      'SELECT',
      'Id',
      'Name',
      ',',
      'FROM',
      'Account',
      'WHERE',
      '=',
      '>',
      '(',
      ')',
      "'x'",
      '2024-01-01T00:00:00Z',
      'AND',
      'OR',
      'NOT',
      'IN',
      'ORDER',
      'BY',
      'LIMIT',
      '5',
      'DESC',
      '%',
      '"',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 14 }).map((parts) => parts.join(' ')),
        ),
        (source) => {
          try {
            parseSoql(source, schema);
          } catch (error) {
            expect(error).toBeInstanceOf(SoqlError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
