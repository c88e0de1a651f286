/**
 * Request-unit estimates for Cosmos DB operations, from the published figures of "Understand request units
 * consumption in Azure Cosmos DB" (https://learn.microsoft.com/azure/cosmos-db/understand-request-unit-consumption,
 * ms.date 2026-04-21): a size-based charge per document (the page's table: a write of 1 KB 4.95 RU, a point read
 * of 1 KB 1.00 RU, …), plus 0.2 RU per indexed term written or removed; a replace deletes and inserts the document
 * (twice the size charge) and re-indexes only the terms that changed; a patch is a replace plus 0.4 RU per patch
 * operation; a delete is the size charge plus its terms. Between the table's sizes the charge is interpolated
 * linearly; below 1 KB the 1 KB figure applies (the table starts there). Queries have no published formula: they
 * are estimated from the documents they return (see queryCharge). The stand-in (cosmosdb-server) reports 1 RU for
 * everything, so the benchmarks measure sizes and terms and this module turns them into request units.
 */

/** [document KB, RU] for a write (single region, the page's table). */
const WRITE_BY_SIZE: ReadonlyArray<readonly [number, number]> = [
  [1, 4.95],
  [2, 6.29],
  [4, 6.67],
  [8, 7.04],
  [16, 9.52],
  [32, 11.23],
  [64, 22.67],
  [128, 48.19],
  [256, 98.29],
  [512, 184.57],
  [1024, 625],
  [2048, 1250],
];

/** [document KB, RU] for a point read at session or eventual consistency (the page's table). */
const READ_BY_SIZE: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [2, 1.04],
  [4, 1.14],
  [8, 1.33],
  [16, 1.67],
  [32, 2.19],
  [64, 4.76],
  [128, 9.95],
  [256, 20.28],
  [512, 40.95],
  [1024, 145.9],
  [2048, 291.8],
];

export const RU_PER_INDEXED_TERM = 0.2;
export const RU_PER_PATCH_OPERATION = 0.4;
/**
 * Assumption, not a published figure: a query page costs at least this much however little it returns (Cosmos
 * charges index lookups and the query's compilation on top of the documents it loads).
 */
export const QUERY_PAGE_MINIMUM_RU = 2.5;

function interpolate(table: ReadonlyArray<readonly [number, number]>, bytes: number): number {
  const kb = bytes / 1024;
  const [firstKb, firstRu] = table[0]!;
  if (kb <= firstKb) return firstRu;
  for (let i = 1; i < table.length; i++) {
    const [kbHigh, ruHigh] = table[i]!;
    const [kbLow, ruLow] = table[i - 1]!;
    if (kb <= kbHigh) return ruLow + ((kb - kbLow) / (kbHigh - kbLow)) * (ruHigh - ruLow);
  }
  // Past the table (Cosmos documents stop at 2 MB): the last step's slope.
  const [kbLast, ruLast] = table.at(-1)!;
  const [kbBefore, ruBefore] = table.at(-2)!;
  return ruLast + ((kb - kbLast) * (ruLast - ruBefore)) / (kbLast - kbBefore);
}

/** The size-based part of a write of a document of `bytes`. */
export const writeSizeCharge = (bytes: number): number => interpolate(WRITE_BY_SIZE, bytes);

export const pointReadCharge = (bytes: number): number => interpolate(READ_BY_SIZE, bytes);

/** A create (or an upsert that creates): insert plus every indexed term. */
export const createCharge = (bytes: number, indexedTerms: number): number =>
  writeSizeCharge(bytes) + RU_PER_INDEXED_TERM * indexedTerms;

/** A replace (or an upsert over an existing document): delete + insert, and the changed terms removed and added. */
export const replaceCharge = (bytes: number, changedTerms: number): number =>
  2 * writeSizeCharge(bytes) + 2 * RU_PER_INDEXED_TERM * changedTerms;

export const patchCharge = (bytes: number, changedTerms: number, operations: number): number =>
  replaceCharge(bytes, changedTerms) + RU_PER_PATCH_OPERATION * operations;

export const deleteCharge = (bytes: number, indexedTerms: number): number =>
  writeSizeCharge(bytes) + RU_PER_INDEXED_TERM * indexedTerms;

/** Estimate: the documents a query page returns, as point reads, and at least QUERY_PAGE_MINIMUM_RU a page. */
export function queryCharge(returnedDocumentBytes: readonly number[]): number {
  const reads = returnedDocumentBytes.reduce((sum, bytes) => sum + pointReadCharge(bytes), 0);
  return Math.max(QUERY_PAGE_MINIMUM_RU, reads);
}
