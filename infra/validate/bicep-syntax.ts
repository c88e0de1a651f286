/**
 * Parses Bicep with tree-sitter-bicep (no Bicep compiler can run offline) and lists syntax problems:
 * every ERROR node and every token the parser had to invent (MISSING), with its line and column.
 */
import type Parser from 'tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * One parser per process. tree-sitter's JS wrapper patches the native Tree prototype when it loads and
 * breaks it when loaded a second time in the same process (rootNode becomes undefined), which is what
 * Jest does: a fresh module registry and global object per test file. So the parser is created once and
 * kept on an object every registry shares: a Node core module (Jest hands out the real one).
 */
const PARSER_KEY = Symbol.for('infra-validate.bicep-parser');

function getParser(): Parser {
  /* eslint-disable @typescript-eslint/no-require-imports -- see above: loaded lazily, once per process */
  const holder = require('node:os') as Record<symbol, Parser | undefined>;
  if (!holder[PARSER_KEY]) {
    const TreeSitter = require('tree-sitter') as typeof Parser;
    const parser = new TreeSitter();
    parser.setLanguage(require('tree-sitter-bicep') as Parser.Language);
    holder[PARSER_KEY] = parser;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  return holder[PARSER_KEY];
}

/** Parse one Bicep source. Never throws on bad syntax: the tree holds ERROR / MISSING nodes instead. */
export function parseBicep(source: string): SyntaxNode {
  // The default 32 KB buffer truncates long files silently; give the whole text room.
  return getParser().parse(source, undefined, { bufferSize: Math.max(source.length * 2, 64 * 1024) }).rootNode;
}

export function syntaxProblems(root: SyntaxNode): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: SyntaxNode): void => {
    if (!node.hasError && !node.isMissing) return;
    const where = { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
    if (node.isMissing) {
      problems.push({ ...where, message: `missing ${JSON.stringify(node.type)}` });
      return;
    }
    if (node.type === 'ERROR') {
      const excerpt = node.text.split('\n')[0]!.slice(0, 60);
      problems.push({ ...where, message: `unexpected ${JSON.stringify(excerpt)}` });
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}
