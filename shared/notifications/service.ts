/**
 * The NotificationService: routes each event through the tenant's rules to its channels. Per (rule, channel)
 * it applies quiet hours (non-critical alerts are held and show up in the next digest), dedupe (the first
 * occurrence within the window is sent, repeats are counted) and escalation (the Nth repeat sends one louder
 * message). Every send, failure (with its reason) and hold is recorded in the `notifications` container.
 */
import { randomUUID } from 'node:crypto';
import type { AppEvent } from '../stores/events/events';
import type { CredentialService } from '../credentials';
import type { Logger } from '../platform/observability/logger';
import type { Settings } from '../config/settings';
import { toAppError } from '../core/app-error';
import { sendToChannel } from './channels/adapters';
import { loadTarget } from './channel-secrets';
import { escalationMessage, eventMessage } from './messages';
import type { NotificationsRepository } from '../stores/documents/notifications-repository';
import { dedupeKey, inQuietHours, matchingRules } from './rules';
import type { NotifyState } from './state';
import type { ChannelDoc, DeliveryDoc, DeliveryStatus, NotificationMessage, RuleDoc } from './types';

const DELIVERY_TTL_S = 30 * 24 * 3600;
const MAX_IN_FLIGHT = 256;

export interface NotificationServiceDeps {
  repository: NotificationsRepository;
  credentials: CredentialService;
  state: NotifyState;
  logger: Logger;
  settings: Settings['notifications'];
  now(): Date;
}

export interface RouteOutcome {
  ruleId: string;
  channelId: string;
  status: DeliveryStatus;
  reason?: string;
  /** Set when the repeat reached the rule's escalation threshold. */
  escalated?: boolean;
}

export interface DeliverMeta {
  purpose: DeliveryDoc['purpose'];
  ruleId?: string;
  event?: AppEvent;
  signal?: AbortSignal;
}

export class NotificationService {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: NotificationServiceDeps) {}

  get repository(): NotificationsRepository {
    return this.deps.repository;
  }

  /** For event subscribers: returns at once and delivers in the background; waits only when many are in flight. */
  async enqueue(event: AppEvent): Promise<void> {
    const work = this.handle(event)
      .catch((error: unknown) =>
        this.deps.logger.warn('notification routing failed', {
          eventId: event.id,
          tenantId: event.tenantId,
          error: toAppError(error),
        }),
      )
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
    if (this.inFlight.size > MAX_IN_FLIGHT) await work;
  }

  /** Waits for background deliveries (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async handle(event: AppEvent, signal?: AbortSignal): Promise<RouteOutcome[]> {
    const rules = matchingRules(await this.deps.repository.listRules(event.tenantId), event);
    const outcomes: RouteOutcome[] = [];
    const sentTo = new Set<string>(); // two rules naming one channel still give one message per event
    for (const rule of rules) {
      for (const channelId of rule.channelIds) {
        if (sentTo.has(channelId)) continue;
        sentTo.add(channelId);
        outcomes.push(await this.route(event, rule, channelId, signal));
      }
    }
    return outcomes;
  }

  private async route(event: AppEvent, rule: RuleDoc, channelId: string, signal?: AbortSignal): Promise<RouteOutcome> {
    const channel = await this.deps.repository.get(event.tenantId, 'channel', channelId);
    const base = { ruleId: rule.id, channelId };
    if (!channel)
      return {
        ...base,
        ...(await this.record(
          event.tenantId,
          channelId,
          eventMessage(event),
          { purpose: 'alert', ruleId: rule.id, event },
          'failed',
          0,
          'channel does not exist',
        )),
      };

    const quiet = rule.quietHours;
    if (quiet && inQuietHours(quiet, this.deps.now()) && !(event.severity === 'critical' && quiet.allowCritical)) {
      return {
        ...base,
        ...(await this.record(
          event.tenantId,
          channelId,
          eventMessage(event),
          { purpose: 'alert', ruleId: rule.id, event },
          'held',
          0,
          'quiet hours',
        )),
      };
    }

    const windowMs = rule.dedupeWindowMs ?? this.deps.settings.dedupeWindowMs;
    const occurrence =
      windowMs > 0 ? await this.deps.state.increment(dedupeKey(event, rule.id, channelId), windowMs) : 1;
    if (occurrence === 1)
      return {
        ...base,
        ...(await this.deliver(channel, eventMessage(event), { purpose: 'alert', ruleId: rule.id, event, signal })),
      };

    const threshold = rule.escalation?.afterRepeats;
    if (threshold === undefined || occurrence !== threshold)
      return { ...base, status: 'suppressed', reason: `repeat ${occurrence} within the dedupe window` };
    const message = escalationMessage(event, occurrence, windowMs);
    const targets = rule.escalation?.channelIds?.length ? rule.escalation.channelIds : [channelId];
    let first: { status: DeliveryStatus; reason?: string } | undefined;
    for (const target of targets) {
      const targetChannel =
        target === channelId ? channel : await this.deps.repository.get(event.tenantId, 'channel', target);
      const result = targetChannel
        ? await this.deliver(targetChannel, message, { purpose: 'escalation', ruleId: rule.id, event, signal })
        : await this.record(
            event.tenantId,
            target,
            message,
            { purpose: 'escalation', ruleId: rule.id, event },
            'failed',
            0,
            'channel does not exist',
          );
      first ??= result;
    }
    return { ...base, ...first!, escalated: true };
  }

  /** Sends one message to one channel and records the outcome; never throws for a channel's failure. */
  async deliver(
    channel: ChannelDoc,
    message: NotificationMessage,
    meta: DeliverMeta,
  ): Promise<{ status: DeliveryStatus; reason?: string; attempts: number; id: string }> {
    const { settings } = this.deps;
    let outcome: { ok: boolean; attempts: number; reason?: string };
    try {
      const target = await loadTarget(this.deps.credentials, channel, settings.slackApiUrl, meta.signal);
      outcome = await sendToChannel(
        target,
        message,
        {
          timeoutMs: settings.sendTimeoutMs,
          maxAttempts: settings.maxAttempts,
          maxRetryWaitMs: settings.maxRetryWaitMs,
        },
        meta.signal,
      );
    } catch (error) {
      outcome = { ok: false, attempts: 0, reason: toAppError(error).message };
    }
    const fields = {
      tenantId: channel.tenantId,
      channelId: channel.id,
      channelType: channel.type,
      purpose: meta.purpose,
      eventId: meta.event?.id,
      attempts: outcome.attempts,
    };
    if (outcome.ok) this.deps.logger.info('notification sent', fields);
    else this.deps.logger.warn('notification not delivered', { ...fields, reason: outcome.reason });
    return this.record(
      channel.tenantId,
      channel.id,
      message,
      meta,
      outcome.ok ? 'sent' : 'failed',
      outcome.attempts,
      outcome.reason,
    );
  }

  private async record(
    tenantId: string,
    channelId: string,
    message: NotificationMessage,
    meta: DeliverMeta,
    status: DeliveryStatus,
    attempts: number,
    reason?: string,
  ) {
    const doc: DeliveryDoc = {
      id: randomUUID(),
      tenantId,
      kind: 'delivery',
      channelId,
      ruleId: meta.ruleId,
      eventId: meta.event?.id,
      eventType: meta.event?.type,
      purpose: meta.purpose,
      status,
      reason,
      attempts,
      message,
      createdAt: this.deps.now().toISOString(),
      ttl: DELIVERY_TTL_S,
    };
    try {
      await this.deps.repository.upsert(doc);
    } catch (error) {
      // The record is the "not lost" guarantee: if even that fails, the log line is the last trace.
      this.deps.logger.error('notification outcome could not be recorded', {
        tenantId,
        channelId,
        status,
        reason,
        error: toAppError(error),
      });
    }
    return { status, reason, attempts, id: doc.id };
  }
}
