/** Batch helpers every adapter shares: fetch ids one by one into found/missing, push operations in order. */
import type { FetchByIdsResult, ProviderRecord, PushOperation, PushOutcome } from './contract';

/** Ids in request order; an id the provider does not have is reported missing (a deletion to the engine). */
export async function fetchEach(ids: readonly string[], fetchOne: (id: string) => Promise<ProviderRecord | undefined>): Promise<FetchByIdsResult> {
  const records: ProviderRecord[] = [];
  const missingIds: string[] = [];
  for (const id of ids) {
    const record = await fetchOne(id);
    if (record) records.push(record);
    else missingIds.push(id);
  }
  return { records, missingIds };
}

/** One outcome per operation, in order: a failed operation does not stop or fail the batch. */
export async function pushEach(operations: readonly PushOperation[], pushOne: (operation: PushOperation) => Promise<PushOutcome>): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = [];
  for (const operation of operations) outcomes.push(await pushOne(operation));
  return outcomes;
}
