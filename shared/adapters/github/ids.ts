/**
 * Record ids of the GitHub adapter: issues are "owner/repo#123" (number, as the UI shows it), comments are
 * "owner/repo#comment-456" (the global comment id). Both carry the repository, which every REST path needs.
 */

export interface IssueRef {
  kind: 'issue';
  repository: string;
  number: number;
}

export interface CommentRef {
  kind: 'comment';
  repository: string;
  commentId: number;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function isRepositoryName(value: string): boolean {
  return REPOSITORY.test(value);
}

export function issueId(repository: string, number: number): string {
  return `${repository}#${number}`;
}

export function commentRecordId(repository: string, commentId: number): string {
  return `${repository}#comment-${commentId}`;
}

/** Parses either id form; undefined for anything else. */
export function parseRecordId(id: string): IssueRef | CommentRef | undefined {
  const match = /^([^#]+)#(comment-)?(\d+)$/.exec(id);
  if (!match || !isRepositoryName(match[1]!)) return undefined;
  const value = Number(match[3]);
  if (!Number.isSafeInteger(value) || value <= 0) return undefined;
  return match[2]
    ? { kind: 'comment', repository: match[1]!, commentId: value }
    : { kind: 'issue', repository: match[1]!, number: value };
}
