/**
 * Tokenizer for the SOQL subset the Salesforce sandbox understands. It knows words, quoted strings, numbers,
 * date and datetime literals and the comparison operators; anything else is a MALFORMED_QUERY, as on the real API.
 */

export type SoqlToken =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'datetime'; value: number; text: string; at: number }
  | { kind: 'date'; value: string; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | ','; at: number };

/** A query the sandbox refuses; `errorCode` is what Salesforce would put in its error array. */
export class SoqlError extends Error {
  override readonly name = 'SoqlError';
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

// SOQL datetime literals: no quotes, seconds required, optional fraction, Z or an offset.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![T\d])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/;
const OPS = ['<=', '>=', '!=', '<>', '=', '<', '>'];

export function tokenize(source: string): SoqlToken[] {
  const tokens: SoqlToken[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const rest = source.slice(i);
    if (ch === "'") {
      const { value, length } = readString(source, i);
      tokens.push({ kind: 'string', value, at: i });
      i += length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch, at: i });
      i += 1;
      continue;
    }
    const op = OPS.find((candidate) => rest.startsWith(candidate));
    if (op) {
      tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op, at: i });
      i += op.length;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      const value = Date.parse(datetime[0]);
      if (Number.isNaN(value)) throw malformed(`invalid datetime literal ${datetime[0]}`, i);
      tokens.push({ kind: 'datetime', value, text: datetime[0], at: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', value: date[0], at: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw malformed(`unexpected character '${ch}'`, i);
  }
  return tokens;
}

function readString(source: string, start: number): { value: string; length: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) break;
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    if (ch === "'") return { value, length: i + 1 - start };
    value += ch;
    i += 1;
  }
  throw malformed('unterminated string literal', start);
}

export function malformed(message: string, at?: number): SoqlError {
  return new SoqlError('MALFORMED_QUERY', at === undefined ? message : `${message} at column ${at + 1}`);
}
