/**
 * One container of the memory document store: documents by partition key and id, each with the ETag and the
 * modification second a real store gives it, and the same answers to a create of an existing id (conflict) and
 * to a write with a stale ETag (precondition_failed).
 *
 * Documents are kept as they were given and answered by reference (the hot paths of a page would otherwise
 * measure copying, not the pipeline): callers never change a document after writing it or after reading it,
 * which the product's code already holds to (a write is always a new object). Reads that answer an ETag make a
 * shallow copy to carry it.
 */
import type { Stored } from '../../../core/stored';
import { alreadyExists, changedMeanwhile, notFound } from '../errors';

export interface Slot<T> {
  doc: T;
  /** The write that made this version (its ETag is built from it when asked: most documents never are). */
  version: number;
  /** Modification time, seconds since the epoch (Cosmos' `_ts`). */
  ts: number;
}

export function etagOf(slot: Slot<unknown>): string {
  return `"${slot.version}"`;
}

export class MemoryContainer<T extends { id: string }> {
  private readonly partitions = new Map<string, Map<string, Slot<T>>>();
  private version = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  read(partitionKey: string, id: string): Slot<T> | undefined {
    return this.partitions.get(partitionKey)?.get(id);
  }

  /** Every document of one partition (empty when it has none). */
  partition(partitionKey: string): Iterable<Slot<T>> {
    return this.partitions.get(partitionKey)?.values() ?? [];
  }

  /** Every document of every partition (the cross-partition queries). */
  *all(): Iterable<Slot<T>> {
    for (const partition of this.partitions.values()) yield* partition.values();
  }

  upsert(partitionKey: string, doc: T): Slot<T> {
    let partition = this.partitions.get(partitionKey);
    if (!partition) this.partitions.set(partitionKey, (partition = new Map()));
    const slot: Slot<T> = {
      doc: withoutStoreFields(doc),
      version: ++this.version,
      ts: Math.floor(this.nowMs() / 1000),
    };
    partition.set(doc.id, slot);
    return slot;
  }

  create(partitionKey: string, doc: T, what: string): Slot<T> {
    if (this.read(partitionKey, doc.id)) throw alreadyExists(what);
    return this.upsert(partitionKey, doc);
  }

  /** Replaces the document only while it still has `etag` (none: whatever it has). */
  replace(partitionKey: string, doc: T, etag: string | undefined, what: string): Slot<T> {
    const current = this.read(partitionKey, doc.id);
    if (!current) throw notFound(what);
    if (etag !== undefined && etagOf(current) !== etag) throw changedMeanwhile(what);
    return this.upsert(partitionKey, doc);
  }

  /** False when there was nothing to delete. */
  delete(partitionKey: string, id: string): boolean {
    return this.partitions.get(partitionKey)?.delete(id) ?? false;
  }
}

/** The document with the ETag it has in the store (a shallow copy). */
export function stored<T>(slot: Slot<T>): Stored<T> {
  return { ...slot.doc, _etag: etagOf(slot) };
}

/** A document read from a store may carry its old ETag or time: the store's own take their place. */
function withoutStoreFields<T>(doc: T): T {
  if (!('_etag' in (doc as object)) && !('_ts' in (doc as object))) return doc;
  const { _etag, _ts, ...rest } = doc as T & { _etag?: string; _ts?: number };
  void _etag;
  void _ts;
  return rest as T;
}
