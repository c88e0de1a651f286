/**
 * The GitHub fetch cursor: per repository the `since` lower bound of the current run, where paging stands
 * (repository index + the Link rel="next" path, which carries the page number), the newest updated_at seen, and the
 * ETag of the first page of the last finished run (for a free 304 when nothing changed).
 */
import { AppError } from '../../errors/app-error';

export interface GithubCursor {
  v: 1;
  /** since per repository for this run (absent: full read). */
  since: Record<string, string>;
  /** Newest updated_at seen per repository in this run: the next run's since. */
  seen: Record<string, string>;
  /** Repository position, and the next page's path + query from Link rel="next" while paging. */
  repo: number;
  next?: string;
  etags: Record<string, string>;
}

export function freshCursor(): GithubCursor {
  return { v: 1, since: {}, seen: {}, repo: 0, etags: {} };
}

export function encodeCursor(cursor: GithubCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string | undefined): GithubCursor {
  if (!value) return freshCursor();
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as GithubCursor;
    if (parsed.v !== 1 || typeof parsed.repo !== 'number' || (parsed.next !== undefined && typeof parsed.next !== 'string')) throw new Error('shape');
    return { ...freshCursor(), ...parsed };
  } catch (error) {
    throw new AppError('validation', 'GitHub cursor is not one this adapter wrote', { target: 'cursor', cause: error });
  }
}

export function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** The URL of rel="next" in a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}
