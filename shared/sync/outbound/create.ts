/**
 * Pushing a shard that has no provider record yet: a create, at most once.
 *
 * Before the create request the ledger gets a pending-create marker (the data sent and where the provider's
 * change feed stood); right after a successful answer it gets the provider id. A retry that finds the id links
 * the shard to it. A retry that finds only the marker (the first attempt crashed or timed out, so the
 * provider may or may not have the record) first reads the provider's changes since the marker's cursor and
 * adopts a record whose fields equal what was sent; only when there is none does it create again. The
 * idempotency key (the shard id) covers providers that honour one. What remains: a provider without
 * idempotency keys whose change feed cannot show the new record (or that changes the sent values on create)
 * can still get a second record after a crash between its answer and our write of the id.
 */
import { AppError } from '../../core/app-error';
import { valuesEqual } from '../../conflicts';
import { contentHash } from '../../mapping';
import type { OutboundLedger } from '../../stores/documents/sync-state-repository';
import {
  outcomeError,
  readBack,
  saveRecordState,
  settleLedger,
  settleShard,
  toProvider,
  toShard,
  type OutboundResult,
  type PushContext,
} from './settle';

/** Errors that prove the provider made nothing, so the marker can go. */
const NOTHING_CREATED = new Set([
  'validation',
  'auth_expired',
  'auth_revoked',
  'rate_limited',
  'not_found',
  'conflict',
]);
/** Pages of the change feed a retried create reads to find its first attempt's record. */
const LOOKUP_MAX_PAGES = 10;

async function saveLedger(ctx: PushContext, fields: Partial<OutboundLedger>): Promise<void> {
  ctx.ledger = await ctx.deps.syncState.saveOutboundLedger(
    { ...ctx.ledger, ...fields, updatedAt: ctx.deps.now().toISOString() },
    ctx.ledger._etag,
  );
}

/** A record the provider changed since `cursor` whose every sent field equals what was sent. */
async function findCreated(
  ctx: PushContext,
  marker: NonNullable<OutboundLedger['pendingCreate']>,
): Promise<string | undefined> {
  let cursor = marker.cursor;
  for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
    const result = await ctx.adapter.fetchChanges({
      entity: ctx.entity,
      cursor,
      pageSize: ctx.deps.pageSize,
      signal: ctx.signal,
    });
    const match = result.records.find(
      (record) =>
        !record.deleted && Object.entries(marker.data).every(([key, value]) => valuesEqual(record.data[key], value)),
    );
    if (match) return match.id;
    if (result.done) return undefined;
    cursor = result.nextCursor;
  }
  return undefined;
}

export async function createRecord(ctx: PushContext): Promise<OutboundResult> {
  const { deps, integration, shard, entity } = ctx;
  const data = toProvider(ctx, shard.data);
  let externalId = ctx.ledger.pendingCreate ? await findCreated(ctx, ctx.ledger.pendingCreate) : undefined;
  let version: string | undefined;
  if (!externalId) {
    const cursor = (await deps.syncState.checkpoint(integration.id, entity))?.cursor;
    const attempts = (ctx.ledger.pendingCreate?.attempts ?? 0) + 1;
    await saveLedger(ctx, {
      pendingCreate: {
        idempotencyKey: shard.id,
        data,
        ...(cursor ? { cursor } : {}),
        startedAt: deps.now().toISOString(),
        attempts,
      },
    });
    const [outcome] = await ctx.adapter.push({
      entity,
      operations: [{ kind: 'create', idempotencyKey: shard.id, data }],
      signal: ctx.signal,
    });
    if (!outcome) throw new AppError('transient', 'provider answered no push outcome');
    if (!outcome.ok) {
      if (NOTHING_CREATED.has(outcome.error.code)) await saveLedger(ctx, { pendingCreate: undefined });
      throw outcomeError(outcome.error);
    }
    externalId = outcome.id;
    version = outcome.version;
    // From here on a retry links to this record and never creates again.
    await saveLedger(ctx, { externalId, pendingCreate: undefined });
  } else {
    await saveLedger(ctx, { externalId, pendingCreate: undefined });
  }

  const after = await readBack(ctx, externalId, version);
  const mapped = after ? await toShard(ctx, after.record) : { data: {}, contentHash: '' };
  const created = mapped.data;
  // Provider-set fields (number, url, timestamps) join the shard; fields the provider does not know stay.
  const merged = { ...shard.data, ...created };
  const hash = after?.exact ? mapped.contentHash : '';
  const providerVersion = after?.record.version ?? version;
  await saveRecordState(ctx, undefined, externalId, { base: created, contentHash: hash, providerVersion });
  await settleShard(ctx, merged, {
    provider: integration.provider,
    integrationId: integration.id,
    entity,
    externalId,
    ...(providerVersion ? { version: providerVersion } : {}),
  });
  await settleLedger(ctx, { externalId, contentHash: contentHash(data), providerVersion });
  return { outcome: 'created', externalId };
}
