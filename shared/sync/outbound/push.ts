/**
 * SyncOutboundWorker's work for one `push-shard` message: push one locally changed shard to its provider.
 *
 *  1. Skip what is not (or no longer) ours to push: a shard whose ETag moved on (a newer message follows), a
 *     shard last written by a sync (echo suppression: what an inbound sync or an earlier push wrote is never
 *     pushed back), a shard version the outbound ledger already settled (a message delivered twice).
 *  2. Claim the shard's ledger entry with an ETag-guarded write and a lease, so one delivery pushes at a time.
 *  3. Update: read the provider's current record, merge three-way (base = last-synced snapshot, local = shard,
 *     remote = current) with the integration's conflict strategy, and push only the fields the provider lacks,
 *     with the version just read as the expected version. Create: see outbound-create.ts.
 *  4. Record what the provider now holds: the record state's base and content hash become the record as read
 *     back after the push, so the next inbound sync sees it as unchanged (no re-import of our own change).
 *     The shard gets the merged data and lastWrittenBy "inbound" — "settled by a sync, nothing left to push" —
 *     so the outbound scan does not find it again. The ledger keeps the pushed hash and provider version.
 */
import { AppError, isAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { OutboundJobMessage } from '../../core/sync-run';
import {
  baseAfterPush,
  buildConflictDocument,
  mergeRecord,
  policyForIntegration,
  splitPath,
  type Resolution,
} from '../../conflicts';
import { contentHash } from '../../mapping';
import type { Stored } from '../../core/stored';
import type { Shard } from '../../core/shard';
import { outboundLedgerId, type OutboundLedger } from '../../stores/documents/sync-state-repository';
import { createRecord } from './create';
import { inboundLeaseActive } from '../page/record-lease';
import { deleteRecord } from './delete';
import { shardTypeOf } from './scan';
import {
  outcomeError,
  readBack,
  saveRecordState,
  settleLedger,
  settleShard,
  toProvider,
  toShard,
  type OutboundDeps,
  type OutboundResult,
  type PushContext,
} from './settle';

export type { OutboundDeps, OutboundResult } from './settle';

const skipped = (reason: Extract<OutboundResult, { outcome: 'skipped' }>['reason']): OutboundResult => ({
  outcome: 'skipped',
  reason,
});

export async function pushShard(
  deps: OutboundDeps,
  integration: Stored<Integration>,
  job: OutboundJobMessage,
  signal?: AbortSignal,
): Promise<OutboundResult> {
  const shard = await deps.shards.get(integration.tenantId, job.shardId);
  if (!shard) return skipped('shard_not_found');
  if (job.etag !== undefined && shard._etag !== job.etag) return skipped('superseded');
  if (shard.lastWrittenBy !== 'local') return skipped('not_a_local_change');
  const ref = shard.externalRefs.find((candidate) => candidate.integrationId === integration.id);
  // A shard deleted locally is deleted at the provider (outbound-delete.ts); one never created there is left alone.
  if (shard.deleted && !ref) return skipped('deleted');
  if (!ref && shard.targetIntegrationId !== integration.id) return skipped('not_linked');
  const entity =
    ref?.entity ?? integration.entities.find((candidate) => shardTypeOf(integration, candidate) === shard.shardType);
  if (!entity)
    throw new AppError(
      'validation',
      `shard type ${shard.shardType} is not an entity of integration ${integration.id}`,
      { target: 'shardType' },
    );

  const claim = await claimLedger(deps, integration, shard, entity);
  if (claim.kind === 'settled') return skipped('already_settled');
  if (claim.kind === 'busy') return { outcome: 'busy', retryAt: claim.until };
  // An inbound page may have written the shard between our read and the claim (record-lease.ts): what it
  // wrote wins, and the scan brings the newer version if it still has something to push.
  const now = await deps.shards.get(integration.tenantId, job.shardId);
  if (!now || now._etag !== shard._etag) {
    await giveBack(deps, claim.ledger, claim.previous);
    return skipped('superseded');
  }
  const ctx: PushContext = {
    deps,
    integration,
    shard,
    entity,
    adapter: deps.adapterFor(integration),
    policy: policyForIntegration(integration),
    schema: deps.schemaFor(integration, entity),
    ledger: claim.ledger,
    signal,
  };
  if (shard.deleted) return deleteRecord(ctx, ref!.externalId);
  const externalId = ref?.externalId ?? claim.ledger.externalId;
  return externalId ? updateRecord(ctx, externalId) : createRecord(ctx);
}

type Claim =
  | { kind: 'claimed'; ledger: Stored<OutboundLedger>; previous?: OutboundLedger }
  | { kind: 'settled' }
  | { kind: 'busy'; until: Date };

/** Undoes a claim that turned out stale: the entry as it was, with the lease already expired. */
async function giveBack(
  deps: OutboundDeps,
  claimed: Stored<OutboundLedger>,
  previous: OutboundLedger | undefined,
): Promise<void> {
  const entry: OutboundLedger = {
    ...claimed,
    status: previous?.status ?? 'pushed',
    leaseUntil: deps.now().toISOString(),
    updatedAt: deps.now().toISOString(),
  };
  if (previous?.shardEtag) entry.shardEtag = previous.shardEtag;
  else delete entry.shardEtag;
  await deps.syncState.saveOutboundLedger(entry, claimed._etag).catch(() => undefined);
}

async function claimLedger(
  deps: OutboundDeps,
  integration: Stored<Integration>,
  shard: Stored<Shard>,
  entity: string,
): Promise<Claim> {
  const current = await deps.syncState.outboundLedger(integration.id, shard.id);
  const now = deps.now();
  if (current && current.shardEtag === shard._etag && current.status !== 'pushing') return { kind: 'settled' };
  if (current?.status === 'pushing' && current.leaseUntil && Date.parse(current.leaseUntil) > now.getTime())
    return { kind: 'busy', until: new Date(current.leaseUntil) };
  const inboundUntil = inboundLeaseActive(current, now);
  // A page holds the record for milliseconds, not for its whole lease: look again soon.
  if (inboundUntil) return { kind: 'busy', until: new Date(Math.min(inboundUntil.getTime(), now.getTime() + 1000)) };
  const entry: OutboundLedger = {
    ...(current ?? {
      id: outboundLedgerId(shard.id),
      kind: 'outbound',
      integrationId: integration.id,
      tenantId: integration.tenantId,
      shardId: shard.id,
    }),
    entity,
    status: 'pushing',
    shardEtag: shard._etag,
    leaseUntil: new Date(now.getTime() + deps.leaseMs).toISOString(),
    updatedAt: now.toISOString(),
  };
  try {
    return {
      kind: 'claimed',
      ledger: await deps.syncState.saveOutboundLedger(entry, current?._etag),
      ...(current ? { previous: current } : {}),
    };
  } catch (error) {
    // Another delivery claimed it between our read and write: it pushes; look again after a short while.
    if (isAppError(error) && (error.code === 'precondition_failed' || error.code === 'conflict'))
      return { kind: 'busy', until: new Date(now.getTime() + 1000) };
    throw error;
  }
}

/** The top-level fields the remote patch touches, with their merged values (a cleared field is sent as null). */
function patchedFields(resolution: Resolution): Record<string, unknown> {
  const keys = new Set(
    [...Object.keys(resolution.remotePatch.set), ...resolution.remotePatch.unset].map((path) => splitPath(path)[0]!),
  );
  return Object.fromEntries([...keys].map((key) => [key, resolution.merged[key] ?? null]));
}

async function updateRecord(ctx: PushContext, externalId: string): Promise<OutboundResult> {
  const { deps, integration, shard, entity } = ctx;
  const state = (await deps.syncState.records(integration.id, entity, [externalId])).get(externalId);
  const current = (await readBack(ctx, externalId, undefined))?.record;
  if (!current)
    throw new AppError('not_found', `${integration.provider} ${entity} ${externalId} no longer exists`, {
      target: externalId,
    });
  const remote = await toShard(ctx, current);
  const resolution = await mergeRecord(
    { base: state?.base ?? {}, local: shard.data, remote: remote.data },
    ctx.policy,
    { localModifiedAt: shard.updatedAt, remoteModifiedAt: current.modifiedAt },
  );
  const conflict = buildConflictDocument(
    { tenantId: integration.tenantId, integrationId: integration.id, shardId: shard.id, entity, externalId },
    resolution.held,
    deps.now(),
  );
  if (conflict) await deps.conflicts.saveMany([conflict]);

  let merged = resolution.merged;
  let base = resolution.nextBase;
  let hash = remote.contentHash;
  let version = current.version;
  let pushedHash: string | undefined;
  const data = resolution.changedRemote ? toProvider(ctx, patchedFields(resolution)) : {};
  if (Object.keys(data).length > 0) {
    const [outcome] = await ctx.adapter.push({
      entity,
      operations: [
        {
          kind: 'update',
          idempotencyKey: `${shard.id}:${shard._etag.replace(/"/g, '')}`,
          id: externalId,
          data,
          expectedVersion: current.version,
        },
      ],
      signal: ctx.signal,
    });
    if (!outcome) throw new AppError('transient', 'provider answered no push outcome');
    if (!outcome.ok) throw outcomeError(outcome.error);
    pushedHash = contentHash(data);
    base = baseAfterPush(resolution);
    version = outcome.version;
    const after = await readBack(ctx, externalId, outcome.version);
    if (after?.exact) {
      // Provider-set fields (modified time, counters) arrive with the read-back; our fields settle as pushed.
      const written = await toShard(ctx, after.record);
      const settled = await mergeRecord({ base, local: merged, remote: written.data }, ctx.policy);
      merged = settled.merged;
      base = settled.nextBase;
      hash = written.contentHash;
    } else {
      // Someone wrote after us: leave the hash unknown, so the next inbound sync merges their change.
      hash = '';
    }
  }
  await saveRecordState(ctx, state, externalId, { base, contentHash: hash, providerVersion: version });
  await settleShard(ctx, merged, {
    provider: integration.provider,
    integrationId: integration.id,
    entity,
    externalId,
    ...(version ? { version } : {}),
  });
  await settleLedger(ctx, { externalId, contentHash: pushedHash ?? hash, providerVersion: version });
  const outcome = pushedHash ? 'pushed' : resolution.changedLocal ? 'merged' : 'unchanged';
  return { outcome, externalId };
}
