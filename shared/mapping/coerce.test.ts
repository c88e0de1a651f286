import fc from 'fast-check';
import { coercer, reverseCoercion } from './coerce';

const run = (coercion: Parameters<typeof coercer>[0], value: unknown) => coercer(coercion)(value);

describe('coercions', () => {
  it('strings: keeps strings, stringifies scalars, trims on request, rejects objects', () => {
    expect(run({ to: 'string' }, ' a ')).toEqual({ ok: true, value: ' a ' });
    expect(run({ to: 'string', trim: true }, ' a ')).toEqual({ ok: true, value: 'a' });
    expect(run({ to: 'string' }, 42)).toEqual({ ok: true, value: '42' });
    expect(run({ to: 'string' }, { a: 1 }).ok).toBe(false);
  });

  it('numbers and integers: numeric strings parse, junk and non-integers fail', () => {
    expect(run({ to: 'number' }, '12.5')).toEqual({ ok: true, value: 12.5 });
    expect(run({ to: 'number' }, ' -3e2 ')).toEqual({ ok: true, value: -300 });
    expect(run({ to: 'number' }, '12abc').ok).toBe(false);
    expect(run({ to: 'number' }, Infinity).ok).toBe(false);
    expect(run({ to: 'number' }, true).ok).toBe(false);
    expect(run({ to: 'integer' }, '7')).toEqual({ ok: true, value: 7 });
    expect(run({ to: 'integer' }, 7.5).ok).toBe(false);
  });

  it('booleans: words and 0/1, nothing else', () => {
    expect(run({ to: 'boolean' }, 'Yes')).toEqual({ ok: true, value: true });
    expect(run({ to: 'boolean' }, '0')).toEqual({ ok: true, value: false });
    expect(run({ to: 'boolean' }, 1)).toEqual({ ok: true, value: true });
    expect(run({ to: 'boolean' }, 'maybe').ok).toBe(false);
    expect(run({ to: 'boolean' }, 2).ok).toBe(false);
  });

  it('datetimes: ISO with zones, date-only, epochs (s and ms) all become ISO-8601 UTC', () => {
    expect(run({ to: 'datetime' }, '2024-05-01T12:00:00+02:00')).toEqual({
      ok: true,
      value: '2024-05-01T10:00:00.000Z',
    });
    expect(run({ to: 'datetime' }, '2024-05-01T12:00:00-0130')).toEqual({
      ok: true,
      value: '2024-05-01T13:30:00.000Z',
    });
    expect(run({ to: 'datetime' }, '2024-05-01')).toEqual({ ok: true, value: '2024-05-01T00:00:00.000Z' });
    expect(run({ to: 'datetime' }, '2024-05-01T12:00')).toEqual({ ok: true, value: '2024-05-01T12:00:00.000Z' });
    expect(run({ to: 'datetime' }, '2024-05-01T12:00:00.123456Z')).toEqual({
      ok: true,
      value: '2024-05-01T12:00:00.123Z',
    });
    expect(run({ to: 'datetime' }, 1714564800)).toEqual({ ok: true, value: '2024-05-01T12:00:00.000Z' });
    expect(run({ to: 'datetime' }, '1531420618.000200')).toEqual({ ok: true, value: '2018-07-12T18:36:58.000Z' });
    expect(run({ to: 'datetime' }, 1714564800000)).toEqual({ ok: true, value: '2024-05-01T12:00:00.000Z' });
  });

  it('datetimes: rejects words, impossible days and hours', () => {
    for (const bad of ['Tuesday', '2024-02-30', '2023-02-29', '2024-05-01T25:00:00Z', '', 'null', {}, true]) {
      expect(run({ to: 'datetime' }, bad).ok).toBe(false);
    }
    expect(run({ to: 'datetime' }, '2024-02-29').ok).toBe(true);
  });

  it('dates: keep the UTC calendar date', () => {
    expect(run({ to: 'date' }, '2024-05-01T23:30:00-02:00')).toEqual({ ok: true, value: '2024-05-02' });
    expect(run({ to: 'date' }, '2024-05-01')).toEqual({ ok: true, value: '2024-05-01' });
    expect(run({ to: 'date' }, 'soon').ok).toBe(false);
  });

  it('enums: through the lookup table, case-insensitive on request, fallback, else an error listing values', () => {
    const status = { to: 'enum' as const, values: { open: 'OPEN', closed: 'DONE' } };
    expect(run(status, 'closed')).toEqual({ ok: true, value: 'DONE' });
    expect(run(status, 'Closed').ok).toBe(false);
    expect(run({ ...status, caseInsensitive: true }, 'Closed')).toEqual({ ok: true, value: 'DONE' });
    expect(run({ ...status, fallback: 'OTHER' }, 'merged')).toEqual({ ok: true, value: 'OTHER' });
    const failure = run(status, 'merged');
    expect(failure.ok === false && failure.message).toContain('open, closed');
    expect(run(status, 'toString').ok).toBe(false);
  });

  it('enums reverse through the inverted table (first provider value wins)', () => {
    const reverse = reverseCoercion({ to: 'enum', values: { open: 'OPEN', reopened: 'OPEN', closed: 'DONE' } });
    expect(reverse('OPEN')).toEqual({ ok: true, value: 'open' });
    expect(reverse('DONE')).toEqual({ ok: true, value: 'closed' });
    expect(reverse('LOST').ok).toBe(false);
  });

  it('property: a valid ISO date-time round-trips unchanged', () => {
    const valid = fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(valid, (date) => {
        const iso = date.toISOString();
        expect(run({ to: 'datetime' }, iso)).toEqual({ ok: true, value: iso });
        expect(run({ to: 'datetime' }, date)).toEqual({ ok: true, value: iso });
      }),
    );
  });

  it('property: coercions never throw, whatever the input', () => {
    const kinds = [
      { to: 'string' },
      { to: 'number' },
      { to: 'integer' },
      { to: 'boolean' },
      { to: 'datetime' },
      { to: 'date' },
      { to: 'enum', values: { a: 'A' } },
    ] as const;
    fc.assert(
      fc.property(fc.anything(), (value) => {
        for (const kind of kinds) expect(typeof coercer(kind)(value).ok).toBe('boolean');
      }),
    );
  });
});
