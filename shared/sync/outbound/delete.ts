/**
 * A shard deleted locally (soft delete: `deleted` set by a local write) is deleted at the provider through the
 * adapter's `delete` operation, which each provider maps to its own archive: GitHub closes the issue, Notion
 * trashes the page, Salesforce and Google delete the record. The record state is then marked deleted locally,
 * so the provider's copy of our delete (a closed issue still listed) is not taken for a new record and the
 * shard is not brought back: the same echo suppression as for a pushed edit.
 */
import { AppError } from '../../core/app-error';
import { recordStateId, type RecordState } from '../../core/record-state';
import { isAppError } from '../../core/app-error';
import { outcomeError, settleLedger, type OutboundResult, type PushContext } from './settle';

export async function deleteRecord(ctx: PushContext, externalId: string): Promise<OutboundResult> {
  const { deps, integration, entity, shard } = ctx;
  const state = (await deps.syncState.records(integration.id, entity, [externalId])).get(externalId);
  // Deleted at the provider already (an inbound sync saw it go): nothing left to send.
  if (!state?.deleted) {
    const [outcome] = await ctx.adapter.push({
      entity,
      operations: [{ kind: 'delete', idempotencyKey: `${shard.id}:delete`, id: externalId }],
      signal: ctx.signal,
    });
    if (!outcome) throw new AppError('transient', 'provider answered no push outcome');
    // A retried delete that finds the record gone has done its work.
    if (!outcome.ok && outcome.error.code !== 'not_found') throw outcomeError(outcome.error);
  }
  const next: RecordState = {
    ...(state ?? {
      id: recordStateId(entity, externalId),
      kind: 'record',
      integrationId: integration.id,
      tenantId: integration.tenantId,
      entity,
      externalId,
      shardId: shard.id,
      base: {},
      contentHash: '',
      lastSeenRunId: 'outbound',
    }),
    deleted: true,
    deletedLocally: true,
    updatedAt: deps.now().toISOString(),
  };
  await deps.syncState.saveRecords([next]);
  const { pushError, ...rest } = shard;
  void pushError;
  // Settled: no longer a local change for the scan. A newer local write (ETag moved) keeps its own message.
  await deps.shards
    .replace({ ...rest, lastWrittenBy: 'inbound', updatedAt: deps.now().toISOString() })
    .catch((error: unknown) => {
      if (!isAppError(error) || error.code !== 'precondition_failed') throw error;
    });
  await settleLedger(ctx, { externalId, contentHash: 'deleted' });
  return { outcome: 'pushed', externalId };
}
