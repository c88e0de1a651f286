/**
 * Slack's per-method rate-limit tiers, enforced by the sandbox when asked (extra.rateTiers): Tier 2 20/min,
 * Tier 3 50/min, Tier 4 100/min, chat.postMessage about 1/s per channel. Apps distributed outside the Slack
 * Marketplace get conversations.history and conversations.replies at 1 call a minute (and 15 messages a call,
 * see methods.ts); Marketplace and internal (customer-built) apps keep Tier 3. Over the limit a call gets 429
 * with Retry-After and {"ok": false, "error": "ratelimited"}. The clock is an option so tests need not wait.
 */
import type { SandboxResponse } from '../common/types';

const WINDOW_MS = 60_000;

/** How the app is distributed, the way Slack tells its rate limits apart. */
export type SlackAppDistribution = 'non_marketplace' | 'marketplace' | 'internal';
export const SLACK_APP_DISTRIBUTIONS: readonly SlackAppDistribution[] = ['non_marketplace', 'marketplace', 'internal'];

/** Calls per minute by method (Slack documents these as "+" minimums; the sandbox holds to them exactly). */
export const SLACK_TIERS: Record<string, number> = {
  'users.list': 20,
  'conversations.history': 50,
  'conversations.replies': 50,
  'conversations.info': 50,
  'chat.update': 50,
  'chat.delete': 50,
  'users.info': 100,
  'auth.test': 100,
};
/** Methods held to 1 call a minute for apps outside the Marketplace. */
const NON_MARKETPLACE_METHODS = new Set(['conversations.history', 'conversations.replies']);
/** Messages per conversations.history / .replies call (and the default limit) outside the Marketplace. */
export const NON_MARKETPLACE_READ_LIMIT = 15;
const POST_MESSAGE_PER_CHANNEL_MS = 1000;

export class SlackRateTiers {
  private readonly calls = new Map<string, number[]>();
  private readonly lastPost = new Map<string, number>();

  constructor(
    private readonly distribution: SlackAppDistribution,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A 429 answer when this call is over its method's budget, else undefined (and the call is counted). */
  check(method: string, channel: string | undefined, now = this.clock()): SandboxResponse | undefined {
    if (method === 'chat.postMessage') {
      const key = channel ?? '';
      const last = this.lastPost.get(key);
      if (last !== undefined && now - last < POST_MESSAGE_PER_CHANNEL_MS)
        return limited(POST_MESSAGE_PER_CHANNEL_MS - (now - last));
      this.lastPost.set(key, now);
      return undefined;
    }
    const perMinute =
      this.distribution === 'non_marketplace' && NON_MARKETPLACE_METHODS.has(method) ? 1 : SLACK_TIERS[method];
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
