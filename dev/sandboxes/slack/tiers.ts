/**
 * Slack's per-method rate-limit tiers, enforced by the sandbox when asked (extra.rateTiers): Tier 2 20/min,
 * Tier 3 50/min, Tier 4 100/min, chat.postMessage about 1/s per channel, and conversations.history 1/min for
 * non-Marketplace apps. Over the limit a call gets 429 with Retry-After and {"ok": false, "error": "ratelimited"}.
 */
import type { SandboxResponse } from '../common/types';

const WINDOW_MS = 60_000;

/** Calls per minute by method (Slack documents these as "+" minimums; the sandbox holds to them exactly). */
export const SLACK_TIERS: Record<string, number> = {
  'users.list': 20,
  'conversations.history': 50,
  'conversations.info': 50,
  'chat.update': 50,
  'chat.delete': 50,
  'users.info': 100,
  'auth.test': 100,
};
const POST_MESSAGE_PER_CHANNEL_MS = 1000;

export class SlackRateTiers {
  private readonly calls = new Map<string, number[]>();
  private readonly lastPost = new Map<string, number>();

  constructor(private readonly nonMarketplace: boolean) {}

  /** A 429 answer when this call is over its method's budget, else undefined (and the call is counted). */
  check(method: string, channel: string | undefined, now = Date.now()): SandboxResponse | undefined {
    if (method === 'chat.postMessage') {
      const key = channel ?? '';
      const last = this.lastPost.get(key);
      if (last !== undefined && now - last < POST_MESSAGE_PER_CHANNEL_MS)
        return limited(POST_MESSAGE_PER_CHANNEL_MS - (now - last));
      this.lastPost.set(key, now);
      return undefined;
    }
    const perMinute = method === 'conversations.history' && this.nonMarketplace ? 1 : SLACK_TIERS[method];
    if (perMinute === undefined) return undefined;
    const recent = (this.calls.get(method) ?? []).filter((at) => now - at < WINDOW_MS);
    if (recent.length >= perMinute) {
      this.calls.set(method, recent);
      return limited(WINDOW_MS - (now - recent[0]!));
    }
    recent.push(now);
    this.calls.set(method, recent);
    return undefined;
  }
}

function limited(waitMs: number): SandboxResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    json: { ok: false, error: 'ratelimited' },
  };
}
