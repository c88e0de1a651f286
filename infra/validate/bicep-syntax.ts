/**
 * Parses Bicep with tree-sitter-bicep (no Bicep compiler can run offline) and lists syntax problems:
 * every ERROR node and every token the parser had to invent (MISSING), with its line and column.
 */
import Parser from 'tree-sitter';
import Bicep from 'tree-sitter-bicep';

export type SyntaxNode = Parser.SyntaxNode;

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

let parser: Parser | undefined;

function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Bicep as unknown as Parser.Language);
  }
  return parser;
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
