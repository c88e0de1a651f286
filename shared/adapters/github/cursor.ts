/**
 * The GitHub fetch cursor. Between runs: per repository the `since` the next run starts from (the newest
 * updated_at seen) and the ETag of a one-page answer. Within a run, keyset paging: `at.since` is the newest
 * updated_at delivered so far, `at.page` the page within that instant (only > 1 when a whole page shares one
 * timestamp) and `at.skip` the ids already delivered at that instant (GitHub's since is inclusive).
 * Page numbers alone would skip records: a record changed mid-read moves to the end and shifts the rest left.
 */
import { AppError } from '../../errors/app-error';

export interface PagePosition {
  since?: string;
  page: number;
  skip: string[];
}

export interface GithubCursor {
  v: 2;
  since: Record<string, string>;
  /** Ids already delivered at each repository's `since` instant, so the next run does not repeat them. */
  boundary?: Record<string, string[]>;
  /** Index of the repository being read. */
  repo: number;
  /** Position inside the current repository while a run is under way. */
  at?: PagePosition;
  etags: Record<string, string>;
}

/** Ids remembered at one instant; beyond this the boundary may deliver duplicates (harmless, idempotent). */
export const MAX_SKIP_IDS = 500;

export function freshCursor(): GithubCursor {
  return { v: 2, since: {}, repo: 0, etags: {} };
}

export function encodeCursor(cursor: GithubCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string | undefined): GithubCursor {
  if (!value) return freshCursor();
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as GithubCursor;
    if (parsed.v !== 2 || typeof parsed.repo !== 'number' || typeof parsed.since !== 'object') throw new Error('shape');
    return { ...freshCursor(), ...parsed };
  } catch (error) {
    throw new AppError('validation', 'GitHub cursor is not one this adapter wrote', { target: 'cursor', cause: error });
  }
}

/** Where the next request of this repository starts, given the page just read (oldest first). */
export function advance(position: PagePosition, items: { id: string; updatedAt: string }[]): PagePosition {
  const last = items.at(-1);
  if (!last) return position;
  if (position.since === undefined || Date.parse(last.updatedAt) > Date.parse(position.since)) {
    const atInstant = items.filter((item) => item.updatedAt === last.updatedAt).map((item) => item.id);
    return { since: last.updatedAt, page: 1, skip: atInstant.slice(-MAX_SKIP_IDS) };
  }
  // The whole page shares the boundary instant: keyset cannot move, so page within it.
  return { since: position.since, page: position.page + 1, skip: [...position.skip, ...items.map((item) => item.id)].slice(-MAX_SKIP_IDS) };
}

/** Whether a Link header has rel="next". */
export function hasNextLink(link: string | null): boolean {
  return link !== null && link.split(',').some((part) => /;\s*rel="?next"?/.test(part));
}
