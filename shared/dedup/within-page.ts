/**
 * Deduplication inside one fetched page: a provider may list the same record twice (an edit between two
 * reads of a paginated listing). Only the latest copy is kept, by modifiedAt, then numeric version, then
 * position in the page (later wins), so processing the page twice keeps the same copy.
 */

export interface PageRecordLike {
  id: string;
  entity: string;
  modifiedAt?: string;
  version?: string;
}

export interface DroppedDuplicate {
  recordId: string;
  entity: string;
  reason: string;
}

const NUMERIC_VERSION = /^\d+(\.\d+)?$/;

/** True when `next` is at least as new as `kept` (so, with nothing to tell them apart, the later one wins). */
function isNewer(kept: PageRecordLike, next: PageRecordLike): boolean {
  const keptTime = kept.modifiedAt === undefined ? NaN : Date.parse(kept.modifiedAt);
  const nextTime = next.modifiedAt === undefined ? NaN : Date.parse(next.modifiedAt);
  if (!Number.isNaN(keptTime) && !Number.isNaN(nextTime) && keptTime !== nextTime) return nextTime > keptTime;
  if (kept.version && next.version && NUMERIC_VERSION.test(kept.version) && NUMERIC_VERSION.test(next.version)) {
    const a = Number(kept.version);
    const b = Number(next.version);
    if (a !== b) return b > a;
  }
  return true;
}

/** Kept records stay at the position of their first occurrence. */
export function dedupeWithinPage<T extends PageRecordLike>(
  records: readonly T[],
): { kept: T[]; dropped: DroppedDuplicate[] } {
  const kept: T[] = [];
  const positions = new Map<string, number>();
  const dropped: DroppedDuplicate[] = [];
  for (const record of records) {
    const key = `${record.entity}\u0000${record.id}`;
    const position = positions.get(key);
    if (position === undefined) {
      positions.set(key, kept.length);
      kept.push(record);
      continue;
    }
    const current = kept[position]!;
    const loser = isNewer(current, record) ? current : record;
    if (loser === current) kept[position] = record;
    dropped.push({
      recordId: record.id,
      entity: record.entity,
      reason: `duplicate in page; kept the copy modified ${kept[position]!.modifiedAt ?? `at version ${kept[position]!.version ?? '(unknown)'}`}`,
    });
  }
  return { kept, dropped };
}
