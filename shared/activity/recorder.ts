/**
 * The activity log's writer. Callers hand over what happened (`record`) and go on: entries are gathered and
 * written in bulk off the caller's path (a flush per 200 ms or 100 entries), so no request, page or webhook waits
 * for the log, and a failed write is logged, never thrown.
 *
 * Webhook deliveries are many and their receipt path is the hottest in the product: each verdict only bumps a
 * counter in memory (`webhookVerdict`, no I/O), and one summary entry per integration and verdict is written per
 * window ("37 deliveries accepted"), carrying the latest delivery id so the UI links into the delivery viewer.
 * Each delivery itself stays in the webhook receipt log.
 */
import { randomBytes } from 'node:crypto';
import type { ActivityItem } from '../admin/contracts/activity';
import type { Logger } from '../platform/observability/logger';
import type { ActivityDoc, ActivityRepository } from '../stores/documents/activity-repository';
import { activityDocId } from '../stores/documents/activity-repository';
import type { IntegrationsRepository } from '../stores/documents/integrations-repository';
import type { DeliveryReceipt } from '../webhooks/intake/receipt-types';
import { MicroBatcher, type ItemOutcome } from '../webhooks/intake/micro-batcher';

/** What a caller says happened; the integration's name is looked up when not given. */
export type ActivityEntry = Omit<ActivityItem, 'at' | 'integrationName'> & {
  tenantId: string;
  at?: string;
  integrationName?: string;
};

export interface ActivityRecorderDeps {
  repository: ActivityRepository;
  integrations: Pick<IntegrationsRepository, 'get'>;
  retentionDays: number;
  logger: Logger;
  now(): Date;
  /** How long webhook verdicts are counted before their summary is written (default 30 s). */
  webhookWindowMs?: number;
}

interface VerdictCount {
  tenantId: string;
  integrationId: string;
  verdict: string;
  count: number;
  lastAt: string;
  lastDeliveryId: string;
  reasons: Map<string, number>;
}

/** Verdicts that are bookkeeping of the provider's protocol, not deliveries an operator asks about. */
const QUIET_VERDICTS = new Set(['handshake', 'challenge', 'channel_sync', 'duplicate']);

export class ActivityRecorder {
  private readonly batcher: MicroBatcher<ActivityDoc>;
  private verdicts = new Map<string, VerdictCount>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: ActivityRecorderDeps) {
    this.batcher = new MicroBatcher({
      maxItems: 100,
      maxDelayMs: 200,
      maxConcurrentFlushes: 1,
      flush: (docs) => this.write(docs),
    });
    this.timer = setInterval(() => this.summariseWebhooks(), deps.webhookWindowMs ?? 30_000);
    this.timer.unref();
  }

  /** Queue an entry for the log; returns at once. */
  record(entry: ActivityEntry): void {
    const at = entry.at ?? this.deps.now().toISOString();
    const { tenantId, integrationName, ...item } = entry;
    const doc: ActivityDoc = {
      ...item,
      at,
      integrationName: integrationName ?? '',
      id: activityDocId(at, randomBytes(6).toString('hex')),
      tenantId,
      kind: 'activity',
      ttl: this.deps.retentionDays * 86_400,
    };
    this.batcher
      .add(doc)
      .catch((error: unknown) =>
        this.deps.logger.warn('could not write to the activity log', { error, type: entry.type }),
      );
  }

  /** One webhook verdict: a counter in memory (see the module comment). */
  webhookVerdict(
    receipt: Pick<DeliveryReceipt, 'tenantId' | 'integrationId' | 'verdict' | 'deliveryId' | 'receivedAt' | 'reason'>,
  ): void {
    if (QUIET_VERDICTS.has(receipt.verdict)) return;
    const key = `${receipt.tenantId}\u0000${receipt.integrationId}\u0000${receipt.verdict}`;
    let count = this.verdicts.get(key);
    if (!count) {
      count = {
        tenantId: receipt.tenantId,
        integrationId: receipt.integrationId,
        verdict: receipt.verdict,
        count: 0,
        lastAt: receipt.receivedAt,
        lastDeliveryId: receipt.deliveryId,
        reasons: new Map(),
      };
      this.verdicts.set(key, count);
    }
    count.count++;
    if (receipt.receivedAt >= count.lastAt) {
      count.lastAt = receipt.receivedAt;
      count.lastDeliveryId = receipt.deliveryId;
    }
    if (receipt.reason) count.reasons.set(receipt.reason, (count.reasons.get(receipt.reason) ?? 0) + 1);
  }

  /** Write everything gathered so far (reads of the log call this so a caller sees its own changes). */
  async flush(): Promise<void> {
    this.summariseWebhooks();
    await this.batcher.drain();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private summariseWebhooks(): void {
    if (this.verdicts.size === 0) return;
    const counts = [...this.verdicts.values()];
    this.verdicts = new Map();
    for (const count of counts) {
      const reasons = [...count.reasons.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([reason, times]) => `${reason} ×${times}`);
      this.record({
        tenantId: count.tenantId,
        at: count.lastAt,
        type: 'webhook',
        integrationId: count.integrationId,
        status: count.verdict,
        summary: `${count.count} ${count.count === 1 ? 'delivery' : 'deliveries'} ${count.verdict}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
        deliveryId: count.lastDeliveryId,
      });
    }
  }

  /** Names are looked up once per integration per write. */
  private async write(docs: ActivityDoc[]): Promise<Array<ItemOutcome<void>>> {
    const names = new Map<string, Promise<string>>();
    const nameOf = (tenantId: string, integrationId: string): Promise<string> => {
      const key = `${tenantId}\u0000${integrationId}`;
      let name = names.get(key);
      if (!name) {
        name = this.deps.integrations
          .get(tenantId, integrationId)
          .then((integration) => integration?.name ?? '')
          .catch(() => '');
        names.set(key, name);
      }
      return name;
    };
    const named = await Promise.all(
      docs.map(async (doc) =>
        doc.integrationName || !doc.integrationId
          ? doc
          : { ...doc, integrationName: await nameOf(doc.tenantId, doc.integrationId) },
      ),
    );
    try {
      await this.deps.repository.appendMany(named);
      return docs.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      return docs.map(() => ({ ok: false, error }));
    }
  }
}
