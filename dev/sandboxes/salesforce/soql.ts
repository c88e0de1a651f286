/**
 * The SOQL subset of the Salesforce sandbox: SELECT fields FROM object [WHERE condition] [ORDER BY fields]
 * [LIMIT n]. Conditions compare a field with a literal (=, !=, <, <=, >, >=, IN, NOT IN) and combine with AND, OR,
 * NOT and parentheses. Field and object names resolve case-insensitively against the object's schema, like the
 * real API; what the subset does not support is refused with MALFORMED_QUERY rather than guessed at.
 */
import { malformed, SoqlError, tokenize, type SoqlToken } from './soql-tokens';

export { SoqlError } from './soql-tokens';

export type SoqlLiteral = string | number | boolean | null | { datetime: number };

export type SoqlCondition =
  | { kind: 'and' | 'or'; left: SoqlCondition; right: SoqlCondition }
  | { kind: 'not'; inner: SoqlCondition }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: SoqlLiteral }
  | { kind: 'in'; field: string; negated: boolean; values: SoqlLiteral[] };

export interface SoqlQuery {
  object: string;
  fields: string[];
  where?: SoqlCondition;
  orderBy: { field: string; descending: boolean }[];
  limit?: number;
}

/** Canonical object and field names, for case-insensitive resolution. */
export type SoqlSchema = (objectName: string) => { name: string; fields: readonly string[] } | undefined;

export function parseSoql(source: string, schema: SoqlSchema): SoqlQuery {
  const parser = new Parser(tokenize(source));
  parser.keyword('SELECT');
  const rawFields = [parser.word()];
  while (parser.punct(',')) rawFields.push(parser.word());
  parser.keyword('FROM');
  const objectWord = parser.word();
  const object = schema(objectWord);
  if (!object) throw new SoqlError('INVALID_TYPE', `sObject type '${objectWord}' is not supported.`);
  const resolve = (field: string): string => {
    const found = object.fields.find((name) => name.toLowerCase() === field.toLowerCase());
    if (!found) throw new SoqlError('INVALID_FIELD', `No such column '${field}' on entity '${object.name}'.`);
    return found;
  };
  const query: SoqlQuery = { object: object.name, fields: rawFields.map(resolve), orderBy: [] };
  if (parser.optionalKeyword('WHERE')) query.where = parser.condition(resolve);
  if (parser.optionalKeyword('ORDER')) {
    parser.keyword('BY');
    do {
      const field = resolve(parser.word());
      const descending = parser.optionalKeyword('DESC');
      if (!descending) parser.optionalKeyword('ASC');
      query.orderBy.push({ field, descending });
    } while (parser.punct(','));
  }
  if (parser.optionalKeyword('LIMIT')) {
    const token = parser.next();
    if (token?.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0)
      throw malformed('LIMIT needs a whole number', token?.at);
    query.limit = token.value;
  }
  parser.end();
  return query;
}

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'LIMIT',
  'TRUE',
  'FALSE',
  'NULL',
]);

class Parser {
  private index = 0;
  constructor(private readonly tokens: SoqlToken[]) {}

  next(): SoqlToken | undefined {
    const token = this.tokens[this.index];
    this.index += 1;
    return token;
  }

  private peek(): SoqlToken | undefined {
    return this.tokens[this.index];
  }

  private isKeyword(token: SoqlToken | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.text.toUpperCase() === keyword;
  }

  keyword(keyword: string): void {
    const token = this.next();
    if (!this.isKeyword(token, keyword)) throw malformed(`expected ${keyword}`, token?.at);
  }

  optionalKeyword(keyword: string): boolean {
    if (!this.isKeyword(this.peek(), keyword)) return false;
    this.index += 1;
    return true;
  }

  punct(text: '(' | ')' | ','): boolean {
    const token = this.peek();
    if (token?.kind !== 'punct' || token.text !== text) return false;
    this.index += 1;
    return true;
  }

  word(): string {
    const token = this.next();
    if (token?.kind !== 'word' || RESERVED.has(token.text.toUpperCase())) throw malformed('expected a name', token?.at);
    // Relationship paths (Account.Name) and functions are outside the subset.
    if (token.text.includes('.')) throw malformed(`relationship fields are not supported: ${token.text}`, token.at);
    if (this.peek()?.kind === 'punct' && (this.peek() as { text: string }).text === '(')
      throw malformed(`functions are not supported: ${token.text}`, token.at);
    return token.text;
  }

  end(): void {
    const token = this.peek();
    if (token) throw malformed('unexpected token after the end of the query', token.at);
  }

  condition(resolve: (field: string) => string): SoqlCondition {
    let left = this.conjunction(resolve);
    while (this.optionalKeyword('OR')) left = { kind: 'or', left, right: this.conjunction(resolve) };
    return left;
  }

  private conjunction(resolve: (field: string) => string): SoqlCondition {
    let left = this.unary(resolve);
    while (this.optionalKeyword('AND')) left = { kind: 'and', left, right: this.unary(resolve) };
    return left;
  }

  private unary(resolve: (field: string) => string): SoqlCondition {
    if (this.optionalKeyword('NOT')) return { kind: 'not', inner: this.unary(resolve) };
    if (this.punct('(')) {
      const inner = this.condition(resolve);
      if (!this.punct(')')) throw malformed('expected )', this.peek()?.at);
      return inner;
    }
    const field = resolve(this.word());
    const negated = this.optionalKeyword('NOT');
    if (this.optionalKeyword('IN')) {
      if (!this.punct('(')) throw malformed('expected ( after IN', this.peek()?.at);
      const values = [this.literal()];
      while (this.punct(',')) values.push(this.literal());
      if (!this.punct(')')) throw malformed('expected ) after the IN list', this.peek()?.at);
      return { kind: 'in', field, negated, values };
    }
    if (negated) throw malformed('expected IN after NOT', this.peek()?.at);
    const op = this.next();
    if (op?.kind !== 'op') throw malformed('expected a comparison operator', op?.at);
    return { kind: 'compare', field, op: op.text as '=', value: this.literal() };
  }

  private literal(): SoqlLiteral {
    const token = this.next();
    if (!token) throw malformed('expected a value at the end of the query');
    switch (token.kind) {
      case 'string':
        return token.value;
      case 'number':
        return token.value;
      case 'datetime':
        return { datetime: token.value };
      case 'date':
        return token.value;
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE') return true;
        if (upper === 'FALSE') return false;
        if (upper === 'NULL') return null;
        throw malformed(`expected a value, found ${token.text}`, token.at);
      }
      default:
        throw malformed('expected a value', token.at);
    }
  }
}
