/**
 * A small evaluator for Bicep expressions, enough for rules over literal configuration: literals, objects,
 * arrays, strings with interpolation, references to `var`s (resolved) and member access on them. Anything
 * that only Azure can know (params, resource properties, function calls) becomes an `Expr` that keeps its
 * source text, the identifiers it refers to and the values of its evaluable parts.
 */
import type { SyntaxNode } from './bicep-syntax';

export class Expr {
  constructor(
    /** Source text, with resolvable interpolations substituted. */
    readonly text: string,
    /** Every identifier the expression refers to (params, vars, resource / module symbols, functions). */
    readonly refs: readonly string[],
    /** Evaluated sub-expressions (call arguments, operands, interpolations): where literals hide. */
    readonly parts: readonly Value[],
  ) {}
}

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Expr;

export interface Scope {
  /** `var` declarations of the file: name → value node. */
  vars: ReadonlyMap<string, SyntaxNode>;
}

const SKIPPED = new Set(['comment', 'decorators', 'decorator']);

export function isPlainObject(value: Value | undefined): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Expr);
}

/** Property path lookup on plain objects; undefined when any step is missing or not a plain object. */
export function getPath(value: Value | undefined, path: string): Value | undefined {
  let current = value;
  for (const key of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A value as a problem message shows it: expressions by their source text. */
export function describeValue(value: Value | undefined): string {
  if (value === undefined) return 'nothing';
  if (value instanceof Expr) return `the expression ${value.text}`;
  return JSON.stringify(value);
}

/** Every string literal reachable in a value, including inside expressions (for id / GUID searches). */
export function flattenStrings(value: Value | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flattenStrings);
  if (value instanceof Expr) return [value.text, ...value.parts.flatMap(flattenStrings)];
  if (typeof value === 'object') return Object.values(value).flatMap(flattenStrings);
  return [];
}

/** Identifiers a value depends on (through expressions anywhere inside it). */
export function refsOf(value: Value | undefined): string[] {
  if (value instanceof Expr) return [...value.refs];
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (isPlainObject(value)) return Object.values(value).flatMap(refsOf);
  return [];
}

export function objectKey(keyNode: SyntaxNode): string {
  return keyNode.type === 'string' ? stringText(keyNode) : keyNode.text;
}

/** The literal text of a string node, interpolations kept as `${…}` source. */
export function stringText(node: SyntaxNode): string {
  return node.namedChildren
    .map((part) =>
      part.type === 'interpolation' ? `\${${part.namedChildren.map((c) => c.text).join('')}}` : unescape(part),
    )
    .join('');
}

function unescape(part: SyntaxNode): string {
  if (part.type !== 'escape_sequence') return part.text;
  const escapes: Record<string, string> = {
    "\\'": "'",
    '\\\\': '\\',
    '\\n': '\n',
    '\\r': '\r',
    '\\t': '\t',
    '\\$': '$',
  };
  return escapes[part.text] ?? part.text;
}

function identifiersIn(node: SyntaxNode): string[] {
  const found = node.type === 'identifier' ? [node.text] : [];
  return [...found, ...node.namedChildren.flatMap(identifiersIn)];
}

export class Evaluator {
  private readonly cache = new Map<string, Value>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly scope: Scope) {}

  evaluate(node: SyntaxNode): Value {
    switch (node.type) {
      case 'string':
        return this.evaluateString(node);
      case 'number':
        return Number(node.text);
      case 'boolean':
        return node.text === 'true';
      case 'null':
        return null;
      case 'object':
        return this.evaluateObject(node);
      case 'array':
        return node.namedChildren.filter((child) => !SKIPPED.has(child.type)).map((child) => this.evaluate(child));
      case 'parenthesized_expression':
        return node.namedChildren.length === 1 ? this.evaluate(node.namedChildren[0]!) : this.opaque(node);
      case 'identifier':
        return this.evaluateIdentifier(node);
      case 'member_expression':
        return this.evaluateMember(node);
      default:
        return this.opaque(node);
    }
  }

  private opaque(node: SyntaxNode): Expr {
    const parts = node.namedChildren.filter((child) => !SKIPPED.has(child.type)).map((child) => this.evaluate(child));
    return new Expr(node.text, identifiersIn(node), parts);
  }

  private evaluateString(node: SyntaxNode): Value {
    const pieces: string[] = [];
    const parts: Value[] = [];
    let literal = true;
    for (const part of node.namedChildren) {
      if (part.type !== 'interpolation') {
        pieces.push(unescape(part));
        continue;
      }
      const inner = part.namedChildren.filter((child) => !SKIPPED.has(child.type));
      const value = inner.length === 1 ? this.evaluate(inner[0]!) : this.opaque(part);
      parts.push(value);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        pieces.push(String(value));
      } else {
        literal = false;
        pieces.push(`\${${inner.map((child) => child.text).join('')}}`);
      }
    }
    if (literal) return pieces.join('');
    return new Expr(pieces.join(''), identifiersIn(node), parts);
  }

  private evaluateObject(node: SyntaxNode): Value {
    const result: { [key: string]: Value } = {};
    for (const property of node.namedChildren) {
      if (property.type !== 'object_property') continue;
      const [keyNode, valueNode] = property.namedChildren.filter((child) => !SKIPPED.has(child.type));
      // Nested resource declarations are children of the object but not properties of it.
      if (!keyNode || !valueNode || keyNode.type === 'resource_declaration') continue;
      result[objectKey(keyNode)] = this.evaluate(valueNode);
    }
    return result;
  }

  private evaluateIdentifier(node: SyntaxNode): Value {
    const name = node.text;
    const declaration = this.scope.vars.get(name);
    if (!declaration || this.evaluating.has(name)) return new Expr(name, [name], []);
    if (!this.cache.has(name)) {
      this.evaluating.add(name);
      this.cache.set(name, this.evaluate(declaration));
      this.evaluating.delete(name);
    }
    return this.cache.get(name)!;
  }

  private evaluateMember(node: SyntaxNode): Value {
    const objectNode = node.childForFieldName('object');
    const propertyNode = node.childForFieldName('property');
    if (!objectNode || !propertyNode) return this.opaque(node);
    const target = this.evaluate(objectNode);
    if (isPlainObject(target) && propertyNode.text in target) return target[propertyNode.text]!;
    return new Expr(node.text, identifiersIn(node), [target]);
  }
}
