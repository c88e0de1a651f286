/**
 * One conformance suite, every implementation of the document store: Cosmos (the product's code against the
 * cosmosdb-server the jest global set-up started, one database per test file) and memory. A suite states what
 * a repository promises; both implementations must keep it, so the memory store can stand in for Cosmos in tests
 * and benchmarks without telling a different story.
 */
import { randomBytes } from 'node:crypto';
import { isAppError } from '../../../shared/core/app-error';
import { openDocumentStore } from '../../../shared/stores/documents/cosmos/document-store';
import type { DocumentStore } from '../../../shared/stores/documents/document-store';
import { createMemoryDocumentStore } from '../../../shared/stores/documents/memory/document-store';

export type StoreKind = 'cosmos' | 'memory';

/** Declares `suite` once per implementation; `store()` is the store of the running describe block. */
export function eachDocumentStore(suite: (store: () => DocumentStore, kind: StoreKind) => void): void {
  describe.each<StoreKind>(['cosmos', 'memory'])('%s', (kind) => {
    let store: DocumentStore | undefined;
    beforeAll(async () => {
      store =
        kind === 'cosmos'
          ? await openDocumentStore({
              endpoint: process.env.COSMOS_ENDPOINT!,
              key: process.env.COSMOS_KEY!,
              database: `conformance-${randomBytes(6).toString('hex')}`,
              allowSelfSignedLocal: true,
            })
          : createMemoryDocumentStore();
    });
    afterAll(() => store?.dispose());
    suite(() => store!, kind);
  });
}

/** A fresh id per test, so the tests of one file never see each other's documents. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** The error code a promise rejects with (the test fails if it resolves). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error('expected a rejection');
  return isAppError(outcome) ? outcome.code : `not an AppError: ${String(outcome)}`;
}
