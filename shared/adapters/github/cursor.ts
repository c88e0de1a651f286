/**
 * The GitHub fetch cursor. Between runs: per repository the `since` the next run starts from (the newest
 * updated_at seen) and the ETag of a one-page answer. Within a run, keyset paging: `at.since` is the newest
 * updated_at consumed so far and what of that instant was consumed (GitHub's since is inclusive). Page numbers
 * are only used inside one instant holding more records than a page (over 100 changes in one second).
 * Page numbers alone would skip records: a record changed mid-read moves to the end and shifts the rest left.
 */
import { AppError } from '../../core/app-error';

export interface PagePosition {
  /** The newest updated_at consumed so far (GitHub's `since` is inclusive: this instant is listed again). */
  since?: string;
  /** How many records at the `since` instant were consumed (the offset to resume from inside that instant). */
  atInstant: number;
  /** Ids consumed at the `since` instant (capped), dropped when listed again. */
  skip: string[];
}

export interface GithubCursor {
  v: 2;
  since: Record<string, string>;
  /** Per repository, what was consumed at its `since` instant, so the next run does not repeat it. */
  boundary?: Record<string, Omit<PagePosition, 'since'>>;
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

export interface KeyedItem {
  id: string;
  updatedAt: string;
}

/**
 * The list request for a position. Page 1 normally, with room for what was already consumed at the boundary
 * instant so that a page always holds something new; page numbers only inside an instant bigger than a page.
 */
export function pageQuery(
  position: PagePosition,
  pageSize: number,
  maxPerPage: number,
): { since?: string; page?: number; perPage: number; offset: number } {
  const want = Math.max(1, pageSize);
  if (position.atInstant + want <= maxPerPage)
    return { since: position.since, perPage: position.atInstant + want, offset: 0 };
  const page = Math.floor(position.atInstant / maxPerPage) + 1;
  return { since: position.since, page, perPage: maxPerPage, offset: (page - 1) * maxPerPage };
}

/**
 * Splits one answer (oldest first) into what to deliver now and where to continue: at most `pageSize` new
 * items, ids consumed before at the boundary instant dropped, and whether the list goes on past what was taken.
 */
export function takePage<T extends KeyedItem>(
  position: PagePosition,
  items: T[],
  pageSize: number,
  hasMore: boolean,
  offset: number,
): { deliver: T[]; next: PagePosition; more: boolean } {
  const skip = new Set(position.skip);
  const deliver: T[] = [];
  let taken = 0;
  for (const item of items) {
    if (deliver.length >= Math.max(1, pageSize)) break;
    taken += 1;
    if (!(item.updatedAt === position.since && skip.has(item.id))) deliver.push(item);
  }
  return { deliver, next: advance(position, items.slice(0, taken), offset), more: hasMore || taken < items.length };
}

/** The position after consuming `consumed` (oldest first) from a list answer that started at `offset`. */
export function advance(position: PagePosition, consumed: KeyedItem[], offset: number): PagePosition {
  const last = consumed.at(-1);
  if (!last) return position;
  if (position.since === undefined || Date.parse(last.updatedAt) > Date.parse(position.since)) {
    const atInstant = consumed.filter((item) => item.updatedAt === last.updatedAt).map((item) => item.id);
    return { since: last.updatedAt, atInstant: atInstant.length, skip: atInstant.slice(-MAX_SKIP_IDS) };
  }
  // Everything consumed shares the boundary instant: stay on it and count how far into it we are.
  const seen = new Set(position.skip);
  const skip = [...position.skip, ...consumed.map((item) => item.id).filter((id) => !seen.has(id))];
  return { since: position.since, atInstant: offset + consumed.length, skip: skip.slice(-MAX_SKIP_IDS) };
}

/** Whether a Link header has rel="next". */
export function hasNextLink(link: string | null): boolean {
  return link !== null && link.split(',').some((part) => /;\s*rel="?next"?/.test(part));
}
