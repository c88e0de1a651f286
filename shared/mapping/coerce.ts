/**
 * Type coercions from provider values to shard values, one small function per kind of the `Coercion` union.
 * Every function is total: it returns a value or a failure message, never throws, so a bad value becomes a
 * record-level error instead of failing the page.
 */

export type Coercion =
  | { to: 'string'; trim?: boolean }
  | { to: 'number' }
  | { to: 'integer' }
  | { to: 'boolean' }
  /** Any date/time the provider sends → ISO-8601 UTC ("2024-05-01T10:00:00.000Z"). */
  | { to: 'datetime' }
  /** A calendar date → "YYYY-MM-DD" (a date-time keeps its UTC date). */
  | { to: 'date' }
  /** Provider values → shard values through a lookup table; `fallback` for values not in it. */
  | { to: 'enum'; values: Record<string, string>; fallback?: string; caseInsensitive?: boolean }
  /** Kept as is (objects, arrays, mixed). */
  | { to: 'json' };

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (message: string): Coerced => ({ ok: false, message });

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function toStr(value: unknown, trim?: boolean): Coerced {
  if (typeof value === 'string') return ok(trim ? value.trim() : value);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  if (typeof value === 'boolean' || typeof value === 'bigint') return ok(String(value));
  return fail(`expected a string, got ${describe(value)}`);
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(value: unknown): Coerced {
  if (typeof value === 'number')
    return Number.isFinite(value) ? ok(value) : fail(`expected a finite number, got ${describe(value)}`);
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return ok(Number(value.trim()));
  return fail(`expected a number, got ${describe(value)}`);
}

function toInteger(value: unknown): Coerced {
  const number = toNumber(value);
  if (!number.ok) return fail(`expected an integer, got ${describe(value)}`);
  return Number.isSafeInteger(number.value) ? number : fail(`expected an integer, got ${describe(value)}`);
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

function toBoolean(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value);
  if (value === 1 || value === 0) return ok(value === 1);
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
  }
  return fail(`expected a boolean, got ${describe(value)}`);
}

// Date-only, or date-time with optional seconds/fraction and optional zone. Strict on purpose: Date.parse
// accepts "Tuesday 5" and friends, which would turn garbage into a plausible date.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const EPOCH = /^\d{9,13}(\.\d+)?$/;

/** Milliseconds since the epoch of any accepted date input, or undefined. */
function parseInstant(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  // Epochs: below 1e11 they are seconds (Slack "ts", Unix times), above milliseconds.
  if (typeof value === 'number')
    return Number.isFinite(value) ? (Math.abs(value) < 1e11 ? value * 1000 : value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH.test(text)) return parseInstant(Number(text));
  const match = ISO.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match;
  // A time without a zone is read as UTC: providers that omit it (Notion dates, SOQL dates) mean UTC.
  const normalisedZone =
    !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  // Some engines roll "2024-02-31" over to March: reject days the month does not have.
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(d) < 1 || Number(d) > daysInMonth) return undefined;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${millis}${normalisedZone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Already canonical ("2024-05-01T10:00:00.000Z"), as most providers send: checked by a round trip. */
function canonicalInstant(value: string): boolean {
  if (value.length !== 24 || value.charCodeAt(23) !== 90 /* Z */ || value.charCodeAt(10) !== 84 /* T */) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}

function toDatetime(value: unknown): Coerced {
  if (typeof value === 'string' && canonicalInstant(value)) return ok(value);
  const ms = parseInstant(value);
  if (ms === undefined) return fail(`expected a date-time, got ${describe(value)}`);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? fail(`date-time out of range: ${describe(value)}`) : ok(date.toISOString());
}

function toDate(value: unknown): Coerced {
  const datetime = toDatetime(value);
  return datetime.ok ? ok((datetime.value as string).slice(0, 10)) : fail(`expected a date, got ${describe(value)}`);
}

function toEnum(value: unknown, coercion: Extract<Coercion, { to: 'enum' }>): Coerced {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    return fail(`expected an enum value, got ${describe(value)}`);
  const key = String(value);
  if (Object.prototype.hasOwnProperty.call(coercion.values, key)) return ok(coercion.values[key]);
  if (coercion.caseInsensitive) {
    const lower = key.toLowerCase();
    for (const [candidate, mapped] of Object.entries(coercion.values))
      if (candidate.toLowerCase() === lower) return ok(mapped);
  }
  if (coercion.fallback !== undefined) return ok(coercion.fallback);
  return fail(`value ${describe(value)} is not one of ${Object.keys(coercion.values).slice(0, 10).join(', ')}`);
}

type CoercerFactories = {
  [K in Coercion['to']]: (coercion: Extract<Coercion, { to: K }>) => (value: unknown) => Coerced;
};

const FACTORIES: CoercerFactories = {
  string: (coercion) => (value) => toStr(value, coercion.trim),
  number: () => toNumber,
  integer: () => toInteger,
  boolean: () => toBoolean,
  datetime: () => toDatetime,
  date: () => toDate,
  enum: (coercion) => (value) => toEnum(value, coercion),
  json: () => ok,
};

/** Compiles a coercion into a function over one value (done once per schema, not per record). */
export function coercer(coercion: Coercion): (value: unknown) => Coerced {
  return (FACTORIES[coercion.to] as (c: Coercion) => (value: unknown) => Coerced)(coercion);
}

/** Shard value → provider value for outbound: only enums change (through the inverted table). */
export function reverseCoercion(coercion: Coercion): (value: unknown) => Coerced {
  if (coercion.to !== 'enum') return ok;
  const inverse = new Map<string, string>();
  // First provider value wins when several map to one shard value: the table's order is the operator's choice.
  for (const [providerValue, shardValue] of Object.entries(coercion.values))
    if (!inverse.has(shardValue)) inverse.set(shardValue, providerValue);
  return (value) => {
    const providerValue = inverse.get(String(value));
    return providerValue === undefined
      ? fail(`shard value ${describe(value)} has no provider value in the enum table`)
      : ok(providerValue);
  };
}
