/**
 * A fast path for the simple JSONata most computed fields use ("a & ' ' & b", "x * 100", "$uppercase(code)",
 * "state = 'closed' ? 'done' : 'todo'"): the parsed JSONata tree is turned into plain closures once, so a
 * record costs a few function calls instead of JSONata's async tree walk.
 *
 * Correctness rule: the fast path handles only values whose JSONata meaning is simple (strings, finite
 * numbers, booleans, null; objects only as path steps). Anything else (arrays, sequences, type errors,
 * unsupported syntax) returns BAIL and the record is evaluated by JSONata itself, so results never differ.
 * A differential property test checks this against JSONata.
 */

export const BAIL: unique symbol = Symbol('bail');
export type FastResult = unknown;
export type FastExpression = (input: unknown) => FastResult;

interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  lhs?: Node;
  rhs?: Node;
  expression?: Node;
  condition?: Node;
  then?: Node;
  else?: Node;
  arguments?: Node[];
  procedure?: Node;
  expressions?: Node[];
}

// Keys whose presence means JSONata semantics this path does not model (predicates, grouping, focus…).
const ALLOWED_KEYS: Record<string, ReadonlySet<string>> = {
  path: new Set(['type', 'steps']),
  name: new Set(['type', 'value', 'position']),
  string: new Set(['type', 'value', 'position']),
  number: new Set(['type', 'value', 'position']),
  value: new Set(['type', 'value', 'position']),
  binary: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
  unary: new Set(['type', 'value', 'position', 'expression']),
  condition: new Set(['type', 'position', 'condition', 'then', 'else']),
  function: new Set(['type', 'name', 'value', 'position', 'arguments', 'procedure']),
  block: new Set(['type', 'position', 'expressions']),
};

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function isSimple(node: Node): boolean {
  const allowed = ALLOWED_KEYS[node.type];
  return allowed !== undefined && Object.keys(node).every((key) => allowed.has(key));
}

/** JSONata's $string for the values the fast path accepts; BAIL for the rest. */
function toText(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // JSONata prints numbers through toPrecision(15): plain integers below 1e15 print as JS prints them.
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return BAIL;
}

/** JSONata's boolean cast for primitives. */
function truthy(value: unknown): boolean | typeof BAIL {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  return BAIL;
}

const isPrimitive = (value: unknown) =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function compilePath(steps: Node[]): FastExpression | undefined {
  if (!steps.every((step) => step.type === 'name' && isSimple(step) && typeof step.value === 'string'))
    return undefined;
  const names = steps.map((step) => step.value as string);
  return (input) => {
    let current: unknown = input;
    for (const name of names) {
      if (current === undefined) return undefined;
      if (Array.isArray(current)) return BAIL;
      if (current === null || typeof current !== 'object') return undefined;
      if (!hasOwn(current, name)) return (current as Record<string, unknown>)[name] === undefined ? undefined : BAIL;
      current = (current as Record<string, unknown>)[name];
    }
    return Array.isArray(current) || typeof current === 'function' ? BAIL : current;
  };
}

type Binary = (left: unknown, right: unknown) => unknown;

const arithmetic =
  (op: (a: number, b: number) => number): Binary =>
  (left, right) => {
    if (left === undefined || right === undefined)
      return typeof left === 'number' || typeof right === 'number' || (left === undefined && right === undefined)
        ? undefined
        : BAIL;
    if (typeof left !== 'number' || typeof right !== 'number') return BAIL;
    const result = op(left, right);
    return Number.isFinite(result) ? result : BAIL;
  };

const comparable = (value: unknown) => value === undefined || typeof value === 'string' || typeof value === 'number';

const ordering =
  (op: (a: number | string, b: number | string) => boolean): Binary =>
  (left, right) => {
    if (!comparable(left) || !comparable(right)) return BAIL;
    if (left === undefined || right === undefined) return undefined;
    if (
      (typeof left === 'number' && typeof right === 'number') ||
      (typeof left === 'string' && typeof right === 'string')
    )
      return op(left, right);
    return BAIL;
  };

const equality =
  (negate: boolean): Binary =>
  (left, right) => {
    if (left === undefined || right === undefined) return false;
    if (!isPrimitive(left) || !isPrimitive(right)) return BAIL;
    return negate ? left !== right : left === right;
  };

const BINARY: Record<string, Binary> = {
  '&': (left, right) => {
    const a = left === undefined ? '' : toText(left);
    const b = right === undefined ? '' : toText(right);
    return a === BAIL || b === BAIL ? BAIL : (a as string) + (b as string);
  },
  '+': arithmetic((a, b) => a + b),
  '-': arithmetic((a, b) => a - b),
  '*': arithmetic((a, b) => a * b),
  '/': arithmetic((a, b) => a / b),
  '%': arithmetic((a, b) => a % b),
  '<': ordering((a, b) => a < b),
  '<=': ordering((a, b) => a <= b),
  '>': ordering((a, b) => a > b),
  '>=': ordering((a, b) => a >= b),
  '=': equality(false),
  '!=': equality(true),
};

const stringFn = (op: (text: string) => unknown) => (value: unknown) =>
  value === undefined ? undefined : typeof value === 'string' ? op(value) : BAIL;

const FUNCTIONS: Record<string, (value: unknown) => unknown> = {
  string: (value) => (value === undefined ? undefined : toText(value)),
  uppercase: stringFn((text) => text.toUpperCase()),
  lowercase: stringFn((text) => text.toLowerCase()),
  trim: stringFn((text) => {
    let result = text.replace(/[ \t\n\r]+/gm, ' ');
    if (result.charAt(0) === ' ') result = result.substring(1);
    if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
    return result;
  }),
  length: stringFn((text) => Array.from(text).length),
  exists: (value) => value !== undefined,
};

function compileNode(node: Node): FastExpression | undefined {
  if (!isSimple(node)) return undefined;
  switch (node.type) {
    case 'path':
      return node.steps ? compilePath(node.steps) : undefined;
    case 'string':
    case 'number':
    case 'value': {
      const constant = node.value;
      return () => constant;
    }
    case 'binary':
      return compileBinary(node);
    case 'unary': {
      const inner = node.value === '-' && node.expression ? compileNode(node.expression) : undefined;
      if (!inner) return undefined;
      return (input) => {
        const value = inner(input);
        return value === undefined ? undefined : typeof value === 'number' ? -value : BAIL;
      };
    }
    case 'condition':
      return compileCondition(node);
    case 'function':
      return compileFunction(node);
    case 'block':
      // "(expr)": a block of one expression is that expression; longer blocks bind variables.
      return node.expressions?.length === 1 ? compileNode(node.expressions[0]!) : undefined;
    default:
      return undefined;
  }
}

function compileBinary(node: Node): FastExpression | undefined {
  const left = node.lhs && compileNode(node.lhs);
  const right = node.rhs && compileNode(node.rhs);
  if (!left || !right) return undefined;
  if (node.value === 'and' || node.value === 'or') {
    const isAnd = node.value === 'and';
    return (input) => {
      const a = truthy(left(input));
      if (a === BAIL) return BAIL;
      // JSONata short-circuits too: the right side is not evaluated when the left decides.
      if (a !== isAnd) return a;
      return truthy(right(input));
    };
  }
  const op = BINARY[node.value as string];
  if (!op) return undefined;
  return (input) => {
    const a = left(input);
    if (a === BAIL) return BAIL;
    const b = right(input);
    return b === BAIL ? BAIL : op(a, b);
  };
}

function compileCondition(node: Node): FastExpression | undefined {
  const condition = node.condition && compileNode(node.condition);
  const then = node.then && compileNode(node.then);
  const otherwise = node.else === undefined ? () => undefined : compileNode(node.else);
  if (!condition || !then || !otherwise) return undefined;
  return (input) => {
    const value = condition(input);
    if (value === BAIL) return BAIL;
    const test = truthy(value);
    if (test === BAIL) return BAIL;
    return test ? then(input) : otherwise(input);
  };
}

function compileFunction(node: Node): FastExpression | undefined {
  const procedure = node.procedure;
  if (!procedure || procedure.type !== 'variable' || typeof procedure.value !== 'string' || node.value !== '(')
    return undefined;
  const fn = hasOwn(FUNCTIONS, procedure.value) ? FUNCTIONS[procedure.value] : undefined;
  if (!fn || node.arguments?.length !== 1) return undefined;
  const argument = compileNode(node.arguments[0]!);
  if (!argument) return undefined;
  return (input) => {
    const value = argument(input);
    return value === BAIL ? BAIL : fn(value);
  };
}

/** A closure for the expression's parsed tree, or undefined when it uses anything beyond the simple subset. */
export function compileFast(ast: unknown): FastExpression | undefined {
  if (ast === null || typeof ast !== 'object') return undefined;
  const compiled = compileNode(ast as Node);
  if (!compiled) return undefined;
  // Arrays at the root are JSONata sequences: never the fast path's business.
  return (input) => (Array.isArray(input) ? BAIL : compiled(input));
}
