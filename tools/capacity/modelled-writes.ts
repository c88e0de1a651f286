/**
 * Writes the product makes that the benchmarks do not exercise, modelled the way the meter measures the others: a
 * representative document built by the product's own code, its size and indexed terms under the indexing policy
 * (indexed-terms.ts), its request charge (cosmos-charge.ts) and its ttl (the setting's default, as the host has it).
 *
 * - Shard history (container `shard-history`): one entry per shard a page changes (shared/sync/page/writer.ts),
 *   never for a creation (that is `Shard.created`). The benchmarks' targeted runs refetch unchanged records and the
 *   sync benchmark creates records, so neither writes history; a webhook's record has changed, so the model writes
 *   one entry per record id of a delivery. The entry names the changed fields: CHANGED_FIELDS, an assumption.
 * - Webhook summaries (container `activity`): each instance's recorder writes one entry per integration and
 *   verdict per window (shared/activity/recorder.ts, 30 s), longer than a benchmark stage, so the model adds them
 *   from that rule rather than from the meter.
 */
import { activityDocId, type ActivityDoc } from '../../shared/stores/documents/activity-repository';
import { historyEntry } from '../../shared/core/shard-history';
import { shardIdFor } from '../../shared/core/shard';
import { settingsSchema } from '../../shared/config/settings-schema';
import { createCharge } from './cosmos-charge';
import { indexedTermCount } from './indexed-terms';
import type { ContainerUnits } from './measured';

/** Assumption: the top-level fields a webhook's change names (a GitHub issue edited: the benchmark's event). */
export const CHANGED_FIELDS = ['body', 'labels', 'state', 'title', 'updated_at'];
/** The recorder's window (ActivityRecorderDeps.webhookWindowMs default): one summary per integration and verdict. */
export const WEBHOOK_SUMMARY_WINDOW_S = 30;
/** Assumption: the verdicts an integration's deliveries get in one window at steady load (accepted only). */
export const VERDICTS_PER_WINDOW = 1;

const DAY_S = 86_400;
// Ids as long as the product's: tenant and integration ids are UUIDs; a run id is a UUID (start-run.ts).
const TENANT = '7d0c5a3e-1f2b-4c8d-9e6f-0a1b2c3d4e5f';
const INTEGRATION = '3f9e8d7c-6b5a-4938-8271-605f4e3d2c1b';
const RUN = 'b2c4d6e8-f0a1-4b3c-8d5e-7f9a0b1c2d3e';
const AT = '2026-12-08T00:00:00.000Z';

/** The retention settings' defaults (shared/config/settings-schema.ts), in days. */
export function retentionDays(setting: 'SHARD_HISTORY_RETENTION_DAYS' | 'ACTIVITY_RETENTION_DAYS'): number {
  return settingsSchema.shape[setting].parse(undefined);
}

/** One created document of the container, per unit, with its charge and the storage its ttl keeps. */
function createdOnce(document: { ttl: number }): ContainerUnits {
  const bytes = Buffer.byteLength(JSON.stringify(document));
  const terms = indexedTermCount(document);
  return {
    writes: 1,
    creates: 1,
    avgWriteBytes: bytes,
    avgIndexedTerms: terms,
    writeRu: createCharge(bytes, terms),
    pointReads: 0,
    readRu: 0,
    queries: 0,
    queryRu: 0,
    ttlCreates: 1,
    ttlByteSeconds: bytes * document.ttl,
  };
}

/** A shard history entry as the inbound page writer writes it for a changed record. */
export function shardHistoryEntryUnits(days = retentionDays('SHARD_HISTORY_RETENTION_DAYS')): ContainerUnits {
  const entry = historyEntry(
    {
      tenantId: TENANT,
      shardId: shardIdFor(INTEGRATION, 'issues', '123456789'),
      source: 'provider',
      runId: RUN,
      integrationId: INTEGRATION,
      changedFields: CHANGED_FIELDS,
      key: `${RUN}|${INTEGRATION}|issues`,
    },
    AT,
    days,
  );
  return createdOnce(entry);
}

/** A webhook summary entry as the activity recorder writes it ("37 deliveries accepted"). */
export function webhookSummaryUnits(days = retentionDays('ACTIVITY_RETENTION_DAYS')): ContainerUnits {
  const summary: ActivityDoc = {
    at: AT,
    type: 'webhook',
    integrationId: INTEGRATION,
    integrationName: 'GitHub issues (production)',
    status: 'accepted',
    summary: '1250 deliveries accepted',
    deliveryId: '72a4b6c8-d0e2-11ef-8a1b-2c3d4e5f6a7b',
    id: activityDocId(AT, '0a1b2c3d4e5f'),
    tenantId: TENANT,
    kind: 'activity',
    ttl: days * DAY_S,
  };
  return createdOnce(summary);
}

/** What footprint.ts adds for these writes. */
export interface ModelledWrites {
  /** Per record id a delivery names (its record has changed). */
  historyPerChangedRecord: ContainerUnits;
  /** Per summary entry; footprint.ts works out how many a second. */
  webhookSummary: ContainerUnits;
  summaryWindowS: number;
  verdictsPerWindow: number;
}

export function modelledWrites(): ModelledWrites {
  return {
    historyPerChangedRecord: shardHistoryEntryUnits(),
    webhookSummary: webhookSummaryUnits(),
    summaryWindowS: WEBHOOK_SUMMARY_WINDOW_S,
    verdictsPerWindow: VERDICTS_PER_WINDOW,
  };
}
