/**
 * The group commit of accepted webhook deliveries. Every delivery the receiver verified and claimed joins the
 * next micro-batch; one flush then writes, for the whole group:
 *   0. (in memory) the runs the deliveries start, coalesced: deliveries of one group that target the same
 *      integration, entity and mode share one run, whose ids are the union of theirs (up to 100 a run), so a
 *      burst of events about one entity costs one run, one message and one provider fetch instead of one each;
 *   1. the archive (one blob per integration in the group) and the run documents (in bulk, shared/sync/runs), side by side;
 *   2. the first-page messages of the runs (one send per integration: its session), the durable hand-off;
 *   3. the receipts in `webhook-deliveries` (in bulk calls of 100), which record the archive name;
 *   4. the delivery claims, promoted from pending to accepted (delivery-claims.ts; one Redis write, not waited for).
 * The provider's 2xx waits for its delivery's commit, so everything the product promises for an accepted
 * delivery (archive, receipt, enqueued sync) is stored before the answer; a process that dies mid-commit
 * answered nothing, and the provider's retry is processed again. Every step is idempotent for a delivery id
 * (blob name, run id and message id derive from it), so a retry after a partial commit completes it. A
 * delivery whose step fails does not take the rest of its group down with it.
 */
import type { BlobArchive } from '../../stores/blob/blob-archive';
import type { SyncJobMessage, SyncRun } from '../../core/sync-run';
import type { OutgoingMessage, QueueSender } from '../../stores/queue/queue-port';
import { QUEUES } from '../../stores/queue/queues';
import type { Logger } from '../../platform/observability/logger';
import type { SyncRunsRepository } from '../../stores/documents/sync-runs-repository';
import { createRunDocuments, failRunsNeverEnqueued } from '../../sync/runs/start-run';
import { archiveDeliveries } from './archive';
import { receiptId, type DeliveryLog, type DeliveryReceipt } from './delivery-log';
import type { DeliveryClaims } from './delivery-claims';
import { MicroBatcher, type ItemOutcome } from './micro-batcher';

export interface AcceptedDelivery {
  tenantId: string;
  integrationId: string;
  provider: string;
  deliveryId: string;
  /** The receipt's id (a hash of the delivery id), when the caller has computed it already. */
  receiptId?: string;
  /** Milliseconds since the epoch, when the request reached the receiver. */
  receivedAt: number;
  /** Request headers; credentials among them are redacted before archiving. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The targeted runs the delivery starts: their documents and first-page messages. */
  starts: Array<{ run: SyncRun; message: OutgoingMessage<SyncJobMessage> }>;
  /** The provider's event type (verify/event-type.ts), kept on the receipt for the delivery viewer's filter. */
  eventType?: string;
}

export interface CommittedDelivery {
  runIds: string[];
  archiveBlob: string;
  bodySha256: string;
  /** When the receipt was committed (ms since the epoch): received → saved is this minus receivedAt. */
  savedAt: number;
}

export interface IntakeDeps {
  blob: BlobArchive;
  runs: SyncRunsRepository;
  queue: QueueSender;
  deliveryLog: DeliveryLog;
  /** The owner of each delivery's claim: told which deliveries this commit accepted. */
  claims: DeliveryClaims;
  logger: Logger;
}

export interface IntakeOptions {
  /** Deliveries per group commit (receipts and runs go in bulk calls of 100). */
  maxItems?: number;
  /** How long the first delivery of a group waits for company. */
  maxDelayMs?: number;
  maxConcurrentFlushes?: number;
  /** Flushes in flight below which a partial group may start (micro-batcher.ts). */
  partialFlushSlots?: number;
}

/**
 * One partial group at a time: while it is written the next one gathers, so at a steady load the per-request
 * costs (a blob upload per integration, a bulk call per container, the queue send) are paid once per 50-100
 * deliveries instead of once per few (measured: host CPU per accepted delivery about a third lower, and
 * received → saved no slower). Full groups still flush up to four at a time, so a burst is not held back.
 */
const DEFAULT_OPTIONS: Required<IntakeOptions> = {
  maxItems: 100,
  maxDelayMs: 2,
  maxConcurrentFlushes: 4,
  partialFlushSlots: 1,
};

/** Per-delivery progress through one flush: the first failure is kept, later steps skip the delivery. */
interface Slot {
  delivery: AcceptedDelivery;
  receiptId: string;
  error?: unknown;
  archive?: { name: string; bodySha256: string };
  savedAt?: number;
  /** The (coalesced) runs this delivery's events went into. */
  runIds: string[];
}

type RunStart = AcceptedDelivery['starts'][number];

/** One run of the group and the deliveries whose events it carries. */
interface GroupRun {
  start: RunStart;
  members: Slot[];
  /** This commit created the run document (not an earlier attempt's). */
  created?: boolean;
  /** Its first page is on the queue. */
  sent?: boolean;
  /** A targeted run's ids, gathered while the group is coalesced (then written into its start). */
  ids?: Set<string>;
}

/** Ids one coalesced targeted run may carry: its single page fetches them all. */
const MAX_IDS_PER_RUN = 100;

export class WebhookIntake {
  private readonly batcher: MicroBatcher<AcceptedDelivery, CommittedDelivery>;

  constructor(
    private readonly deps: IntakeDeps,
    options: IntakeOptions = {},
  ) {
    const { maxItems, maxDelayMs, maxConcurrentFlushes, partialFlushSlots } = { ...DEFAULT_OPTIONS, ...options };
    this.batcher = new MicroBatcher({
      maxItems,
      maxDelayMs,
      maxConcurrentFlushes,
      partialFlushSlots,
      flush: (group) => this.commitGroup(group),
    });
  }

  /** Resolves once the delivery is archived, its runs enqueued and its receipt written; rejects otherwise. */
  commit(delivery: AcceptedDelivery): Promise<CommittedDelivery> {
    return this.batcher.add(delivery);
  }

  /** Commit everything waiting and wait for commits in flight (shutdown). */
  async drain(): Promise<void> {
    await this.batcher.drain();
    await this.deps.deliveryLog.flush();
  }

  private async commitGroup(group: AcceptedDelivery[]): Promise<Array<ItemOutcome<CommittedDelivery>>> {
    const slots: Slot[] = group.map((delivery) => ({
      delivery,
      receiptId: delivery.receiptId ?? receiptId(delivery.deliveryId),
      runIds: [],
    }));
    const runs = coalesceRuns(slots);
    await Promise.all([this.archive(slots), this.createRuns(runs)]);
    await this.enqueue(runs);
    await this.closeUnsentRuns(runs);
    await this.writeReceipts(slots);
    const committed = slots.filter((slot) => slot.error === undefined);
    // Not awaited: a claim left pending by a crash here is settled by the receipt written above.
    void this.deps.claims.accepted(
      committed.map((slot) => ({ integrationId: slot.delivery.integrationId, receiptId: slot.receiptId })),
    );
    return slots.map((slot) =>
      slot.error === undefined
        ? {
            ok: true,
            value: {
              runIds: slot.runIds,
              archiveBlob: slot.archive!.name,
              bodySha256: slot.archive!.bodySha256,
              savedAt: slot.savedAt!,
            },
          }
        : { ok: false, error: slot.error },
    );
  }

  /** One archive write per integration in the group (a segment when it has several deliveries). */
  private async archive(slots: Slot[]): Promise<void> {
    const byIntegration = new Map<string, Slot[]>();
    for (const slot of slots)
      byIntegration.set(slot.delivery.integrationId, [...(byIntegration.get(slot.delivery.integrationId) ?? []), slot]);
    await Promise.all(
      [...byIntegration.values()].map(async (group) => {
        try {
          const archived = await archiveDeliveries(
            this.deps.blob,
            group.map(({ delivery }) => ({
              delivery: {
                provider: delivery.provider,
                integrationId: delivery.integrationId,
                deliveryId: delivery.deliveryId,
                receivedAt: new Date(delivery.receivedAt).toISOString(),
                headers: delivery.headers,
              },
              rawBody: delivery.rawBody,
            })),
          );
          group.forEach((slot, index) => (slot.archive = archived[index]));
        } catch (error) {
          for (const slot of group) slot.error ??= error;
        }
      }),
    );
  }

  /** The group's run documents, created in bulk (an existing one, from a retried delivery, stays as it is). */
  private async createRuns(runs: GroupRun[]): Promise<void> {
    const outcomes = await createRunDocuments(
      this.deps.runs,
      runs.map(({ start }) => start.run),
    );
    runs.forEach((groupRun, index) => {
      const outcome = outcomes[index];
      if (outcome?.status === 'created') groupRun.created = true;
      else if (outcome?.status === 'failed') failMembers(groupRun, outcome.error);
    });
  }

  /**
   * One send per session (integration): a batch never mixes sessions, which partitioned queues refuse. A run
   * is sent while any of its deliveries is still good; a delivery that failed earlier is retried by its
   * provider and then starts a run of its own, so its ids being in this one too costs one extra fetch at most.
   */
  private async enqueue(runs: GroupRun[]): Promise<void> {
    const bySession = new Map<string, GroupRun[]>();
    for (const groupRun of runs) {
      if (groupRun.members.every((slot) => slot.error !== undefined)) continue;
      const session = groupRun.start.message.sessionId ?? groupRun.start.run.integrationId;
      bySession.set(session, [...(bySession.get(session) ?? []), groupRun]);
    }
    await Promise.all(
      [...bySession.values()].map(async (sessionRuns) => {
        try {
          await this.deps.queue.send(
            QUEUES.syncInbound.name,
            sessionRuns.map((groupRun) => groupRun.start.message),
          );
          for (const groupRun of sessionRuns) groupRun.sent = true;
        } catch (error) {
          for (const groupRun of sessionRuns) failMembers(groupRun, error);
        }
      }),
    );
  }

  /**
   * A run this commit created but could not enqueue (the send failed, or every delivery in it failed to
   * archive) would stay "queued" for ever: the providers' retries may group their deliveries differently and
   * start other runs. It is closed as failed, saying why; best effort (a failure here is only logged).
   */
  private async closeUnsentRuns(runs: GroupRun[]): Promise<void> {
    const unsent = runs.filter((groupRun) => groupRun.created && !groupRun.sent).map(({ start }) => start.run);
    const notClosed = await failRunsNeverEnqueued(this.deps.runs, unsent, new Date());
    if (notClosed.length > 0)
      this.deps.logger.warn('webhook intake: could not close runs that were never enqueued', { runIds: notClosed });
  }

  private async writeReceipts(slots: Slot[]): Promise<void> {
    const pending = slots.filter((slot) => slot.error === undefined);
    const now = Date.now();
    const receipts: DeliveryReceipt[] = pending.map(({ delivery, receiptId: id, archive, runIds }) => ({
      id,
      integrationId: delivery.integrationId,
      tenantId: delivery.tenantId,
      provider: delivery.provider,
      deliveryId: delivery.deliveryId,
      verdict: 'accepted',
      receivedAt: new Date(delivery.receivedAt).toISOString(),
      // Received until handed off durably: what the provider waits for, less the receipt write itself.
      handlingMs: now - delivery.receivedAt,
      archiveBlob: archive!.name,
      bodySha256: archive!.bodySha256,
      runIds,
      ...(delivery.eventType ? { eventType: delivery.eventType } : {}),
    }));
    const outcomes = await this.deps.deliveryLog.upsertMany(receipts);
    const savedAt = Date.now();
    pending.forEach((slot, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) slot.savedAt = savedAt;
      else slot.error ??= outcome?.error ?? new Error('no outcome for the receipt');
    });
  }
}

function failMembers(groupRun: GroupRun, error: unknown): void {
  for (const slot of groupRun.members) slot.error ??= error;
}

/**
 * The group's runs: the first delivery's start for each (integration, mode, entity) is the run, later ones add
 * their ids to it (a targeted run takes up to MAX_IDS_PER_RUN, then the next start opens another). The run
 * keeps the first delivery's deterministic id, so one delivery alone starts exactly the run it always did.
 */
function coalesceRuns(slots: Slot[]): GroupRun[] {
  const runs: GroupRun[] = [];
  const open = new Map<string, GroupRun>();
  for (const slot of slots) {
    for (const start of slot.delivery.starts) {
      const key = `${start.run.integrationId}\u0000${start.run.mode}\u0000${start.run.entity ?? ''}`;
      let target = open.get(key);
      if (!target || !joined(target, start)) {
        target = { start, members: [], ...(start.run.mode === 'targeted' ? { ids: new Set(start.run.ids) } : {}) };
        open.set(key, target);
        runs.push(target);
      }
      // Slots are taken in order, so a slot already among the members is the last one.
      if (target.members.at(-1) !== slot) target.members.push(slot);
      if (!slot.runIds.includes(target.start.run.id)) slot.runIds.push(target.start.run.id);
    }
  }
  for (const groupRun of runs) withGatheredIds(groupRun);
  return runs;
}

/** Adds `start`'s ids to the targeted run `into` when they fit; false when they do not (nothing changed then). */
function joined(into: GroupRun, start: RunStart): boolean {
  if (!into.ids) return true;
  const adding = new Set((start.run.ids ?? []).filter((id) => !into.ids!.has(id)));
  if (into.ids.size + adding.size > MAX_IDS_PER_RUN) return false;
  for (const id of adding) into.ids.add(id);
  return true;
}

/**
 * The run's start with the ids gathered into it. New start objects: the deliveries' own starts stay as they were
 * (a replay starts exactly its own run).
 */
function withGatheredIds(groupRun: GroupRun): void {
  const { run, message } = groupRun.start;
  if (!groupRun.ids || groupRun.ids.size === (run.ids?.length ?? 0)) return;
  const ids = [...groupRun.ids];
  groupRun.start = { run: { ...run, ids }, message: { ...message, body: { ...message.body, ids } } };
}
