/**
 * A document as the document store answered it: its own fields and the ETag that guards the next write of it
 * (optimistic concurrency: a write with a stale ETag fails with precondition_failed).
 */
export type Stored<T> = T & { _etag: string };
