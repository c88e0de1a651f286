/**
 * Turns one parsed Bicep file into the declarations the rules look at: params (with decorators and
 * defaults), vars, resources (full type, api version, existing / conditional / loop, evaluated body),
 * modules (path and the params they pass) and the listKeys-style calls in the file.
 */
import { parseBicep, syntaxProblems, type SyntaxNode, type SyntaxProblem } from './bicep-syntax';
import { Evaluator, isPlainObject, stringText, type Value } from './bicep-values';

export interface ParamDecl {
  name: string;
  hasDefault: boolean;
  /** Decorator name → evaluated first argument (or true when it has none), e.g. allowed → ['a', 'b']. */
  decorators: Record<string, Value>;
}

export interface ResourceDecl {
  symbol: string;
  /** Full type, e.g. Microsoft.ServiceBus/namespaces/queues (nested declarations get the parent's prefix). */
  type: string;
  apiVersion: string;
  existing: boolean;
  conditional: boolean;
  loop: boolean;
  body: { [key: string]: Value };
  line: number;
  node: SyntaxNode;
}

export interface ModuleDecl {
  symbol: string;
  path: string;
  params: { [key: string]: Value };
  line: number;
}

export interface SecretCall {
  name: string;
  line: number;
  /** Type of the resource whose body holds the call, when it is inside one. */
  insideResourceType?: string;
}

export interface BicepFile {
  /** Path relative to the infra folder, with forward slashes. */
  path: string;
  root: SyntaxNode;
  syntax: SyntaxProblem[];
  params: Map<string, ParamDecl>;
  vars: Map<string, SyntaxNode>;
  resources: ResourceDecl[];
  modules: ModuleDecl[];
  secretCalls: SecretCall[];
  /** Names of the file's `output` declarations. */
  outputs: string[];
  evaluator: Evaluator;
}

/** Functions that return keys or key-bearing connection strings. */
const SECRET_FUNCTIONS = /^list(Keys|Key|ConnectionStrings|AccountSas|ServiceSas|Secrets)$/;

export function loadBicepFile(path: string, source: string): BicepFile {
  const root = parseBicep(source);
  const vars = new Map<string, SyntaxNode>();
  const params = new Map<string, ParamDecl>();
  for (const node of root.namedChildren) {
    const name = node.namedChildren[0]?.text;
    if (node.type === 'variable_declaration' && name)
      vars.set(name, node.namedChildren[node.namedChildren.length - 1]!);
  }
  const evaluator = new Evaluator({ vars });
  const file: BicepFile = {
    path,
    root,
    syntax: syntaxProblems(root),
    params,
    vars,
    resources: [],
    modules: [],
    secretCalls: [],
    outputs: [],
    evaluator,
  };

  for (const node of root.namedChildren) {
    if (node.type === 'parameter_declaration') {
      const name = node.namedChildren[0]?.text;
      if (!name) continue;
      const typeIndex = node.namedChildren.findIndex((child) => child.type === 'type');
      params.set(name, {
        name,
        hasDefault: typeIndex >= 0 && typeIndex < node.namedChildren.length - 1,
        decorators: decoratorsOf(node, evaluator),
      });
    } else if (node.type === 'output_declaration') {
      const name = node.namedChildren[0]?.text;
      if (name) file.outputs.push(name);
    } else if (node.type === 'resource_declaration') {
      collectResource(file, node, undefined);
    } else if (node.type === 'module_declaration') {
      const pathNode = node.namedChildren[1];
      const body = bodyOf(node);
      const evaluated = body ? evaluator.evaluate(body.object) : {};
      const passed = isPlainObject(evaluated) ? evaluated['params'] : undefined;
      file.modules.push({
        symbol: node.namedChildren[0]?.text ?? '',
        path: pathNode?.type === 'string' ? stringText(pathNode) : '',
        params: isPlainObject(passed) ? passed : {},
        line: node.startPosition.row + 1,
      });
    }
  }
  collectSecretCalls(file, root);
  return file;
}

function decoratorsOf(node: SyntaxNode, evaluator: Evaluator): Record<string, Value> {
  const result: Record<string, Value> = {};
  const group = node.previousNamedSibling;
  if (group?.type !== 'decorators') return result;
  for (const decorator of group.namedChildren) {
    const call = decorator.namedChildren[0];
    const fn = call?.childForFieldName('function');
    if (!call || !fn) continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    result[fn.text] = args[0] ? evaluator.evaluate(args[0]) : true;
  }
  return result;
}

/** The object body of a resource or module, and whether it sits behind `if` or `for`. */
function bodyOf(node: SyntaxNode): { object: SyntaxNode; conditional: boolean; loop: boolean } | undefined {
  const last = node.namedChildren[node.namedChildren.length - 1];
  if (!last) return undefined;
  if (last.type === 'object') return { object: last, conditional: false, loop: false };
  if (last.type === 'if_statement') {
    const object = last.namedChildren.find((child) => child.type === 'object');
    return object ? { object, conditional: true, loop: false } : undefined;
  }
  if (last.type === 'for_statement') {
    const body = last.childForFieldName('body');
    const object = body?.type === 'object' ? body : body?.namedChildren.find((child) => child.type === 'object');
    return object ? { object, conditional: false, loop: true } : undefined;
  }
  return undefined;
}

function collectResource(
  file: BicepFile,
  node: SyntaxNode,
  parent: { type: string; apiVersion: string } | undefined,
): void {
  const typeNode = node.namedChildren[1];
  const body = bodyOf(node);
  if (!typeNode || typeNode.type !== 'string' || !body) return;
  const [rawType = '', ownVersion = ''] = stringText(typeNode).split('@');
  // A nested declaration names only its last type segment and may inherit the parent's api version.
  const type = parent && !rawType.includes('.') ? `${parent.type}/${rawType}` : rawType;
  const apiVersion = ownVersion || (parent?.apiVersion ?? '');
  const evaluated = file.evaluator.evaluate(body.object);
  file.resources.push({
    symbol: node.namedChildren[0]?.text ?? '',
    type,
    apiVersion,
    existing: node.children.some((child) => child.type === 'existing'),
    conditional: body.conditional,
    loop: body.loop,
    body: isPlainObject(evaluated) ? evaluated : {},
    line: node.startPosition.row + 1,
    node,
  });
  for (const property of body.object.namedChildren) {
    const nested = property.namedChildren[0];
    if (property.type === 'object_property' && nested?.type === 'resource_declaration')
      collectResource(file, nested, { type, apiVersion });
  }
}

function collectSecretCalls(file: BicepFile, root: SyntaxNode): void {
  for (const call of root.descendantsOfType('call_expression')) {
    const fn = call.childForFieldName('function');
    const name = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn?.text;
    if (!name || !SECRET_FUNCTIONS.test(name)) continue;
    const owner = file.resources.find(
      (resource) =>
        resource.node.startIndex <= call.startIndex &&
        call.endIndex <= resource.node.endIndex &&
        !hasNestedOwner(file, resource, call),
    );
    file.secretCalls.push({ name, line: call.startPosition.row + 1, insideResourceType: owner?.type });
  }
}

/** True when a resource nested inside `outer` also contains the call (the innermost owner wins). */
function hasNestedOwner(file: BicepFile, outer: ResourceDecl, call: SyntaxNode): boolean {
  return file.resources.some(
    (inner) =>
      inner !== outer &&
      outer.node.startIndex <= inner.node.startIndex &&
      inner.node.endIndex <= outer.node.endIndex &&
      inner.node.startIndex <= call.startIndex &&
      call.endIndex <= inner.node.endIndex,
  );
}
