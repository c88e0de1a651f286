/** Batch helpers the adapters share: fetch ids into found/missing, push operations in order (optionally stopping early). */
import type { FetchByIdsResult, ProviderRecord, PushOperation, PushOutcome } from './contract';
import { toAppError, type AppError } from '../core/app-error';

/** Ids in request order; an id the provider does not have is reported missing (a deletion to the engine). */
export async function fetchEach(
  ids: readonly string[],
  fetchOne: (id: string) => Promise<ProviderRecord | undefined>,
): Promise<FetchByIdsResult> {
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
export async function pushEach(
  operations: readonly PushOperation[],
  pushOne: (operation: PushOperation) => Promise<PushOutcome>,
): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = [];
  for (const operation of operations) outcomes.push(await pushOne(operation));
  return outcomes;
}

/** Errors after which the rest of a batch would only fail the same way (and spend budget doing it). */
const BATCH_STOPPERS: ReadonlySet<string> = new Set(['rate_limited', 'auth_revoked', 'auth_expired']);

export function failedOutcome(operation: PushOperation, error: AppError): PushOutcome {
  return {
    idempotencyKey: operation.idempotencyKey,
    ok: false,
    error: { code: error.code, message: error.message, retryable: error.retryable, retryAfterMs: error.retryAfterMs },
  };
}

/**
 * Pushes operations in order; each failure becomes that operation's outcome. After a rate-limit or auth
 * error the remaining operations are not sent: they get the same error as their outcome.
 */
export async function pushUntilStopped(
  operations: readonly PushOperation[],
  pushOne: (operation: PushOperation) => Promise<ProviderRecord>,
): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = [];
  let stopper: AppError | undefined;
  for (const operation of operations) {
    if (stopper) {
      outcomes.push(failedOutcome(operation, stopper));
      continue;
    }
    try {
      const record = await pushOne(operation);
      outcomes.push({ idempotencyKey: operation.idempotencyKey, ok: true, id: record.id, version: record.version });
    } catch (error) {
      const appError = toAppError(error);
      if (BATCH_STOPPERS.has(appError.code)) stopper = appError;
      outcomes.push(failedOutcome(operation, appError));
    }
  }
  return outcomes;
}
