/**
 * Slack Events API deliveries from the sandbox: `event_callback` envelopes with a unique event_id, signed
 * `v0=HMAC-SHA256(v0:{timestamp}:{body})` with X-Slack-Request-Timestamp, and Slack's retry policy: a delivery
 * that fails (non-2xx, or no answer within 3 s) is sent again up to three times with X-Slack-Retry-Num and
 * X-Slack-Retry-Reason, keeping the same event_id. Retry delays are options so tests need not wait minutes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { WebhookEmitter } from '../common/webhooks';
import { TEAM_ID } from './workspace';
import type { WorkspaceChange } from './types';

export const SLACK_EVENT_TIMEOUT_MS = 3000;
/** Slack retries nearly at once, then after a minute, then after five. */
export const SLACK_RETRY_DELAYS_MS = [0, 60_000, 300_000];

export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function eventPayload(change: WorkspaceChange, eventId: string): Record<string, unknown> {
  const eventTs = `${(Date.now() / 1000).toFixed(6)}`;
  const base = { type: 'message', channel: change.channel, channel_type: 'channel', event_ts: eventTs };
  const event =
    change.kind === 'posted'
      ? { ...base, ...change.message }
      : change.kind === 'changed'
        ? {
            ...base,
            subtype: 'message_changed',
            hidden: true,
            ts: eventTs,
            message: change.message,
            previous_message: change.previous,
          }
        : {
            ...base,
            subtype: 'message_deleted',
            hidden: true,
            ts: eventTs,
            deleted_ts: change.message.ts,
            previous_message: change.message,
          };
  return {
    token: 'sandbox-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0SANDBOX',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: 'U0SBXBOT1', is_bot: true }],
  };
}

/** Deliveries later than this are not waited for by flush() (and so not by stop()). */
const FLUSH_WAIT_CAP_MS = 5_000;

export class SlackEventSender extends WebhookEmitter {
  private readonly pendingRetries = new Map<Promise<void>, number>();

  constructor(
    url: string,
    private readonly secret: string,
    private readonly retryDelaysMs: number[] = SLACK_RETRY_DELAYS_MS,
  ) {
    super({ url, sign: () => ({}), timeoutMs: SLACK_EVENT_TIMEOUT_MS });
  }

  send(change: WorkspaceChange): void {
    const eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    this.attempt(JSON.stringify(eventPayload(change, eventId)), eventId, 0);
  }

  /** Resolves when every delivery, and every retry due within a few seconds, has been attempted. */
  override async flush(): Promise<void> {
    for (;;) {
      await super.flush();
      const soon = [...this.pendingRetries]
        .filter(([, dueAt]) => dueAt - Date.now() <= FLUSH_WAIT_CAP_MS)
        .map(([promise]) => promise);
      if (soon.length === 0) return;
      await Promise.all(soon);
    }
  }

  private attempt(rawBody: string, eventId: string, retryNum: number): void {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(this.secret, timestamp, rawBody),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (retryNum > 0) {
      headers['x-slack-retry-num'] = String(retryNum);
      headers['x-slack-retry-reason'] = 'http_error';
    }
    const deliveryId = retryNum === 0 ? eventId : `${eventId}#retry${retryNum}`;
    this.emitRaw('event_callback', rawBody, headers, deliveryId);
    const delay = this.retryDelaysMs[retryNum];
    if (delay === undefined) return;
    const followUp = super.flush().then(async () => {
      const result = this.deliveries()
        .reverse()
        .find((delivery) => delivery.id === deliveryId);
      const failed = !result || result.error !== undefined || (result.status ?? 0) < 200 || (result.status ?? 0) >= 300;
      if (!failed) return;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      this.attempt(rawBody, eventId, retryNum + 1);
    });
    this.pendingRetries.set(followUp, Date.now() + delay);
    void followUp.finally(() => this.pendingRetries.delete(followUp));
  }
}
