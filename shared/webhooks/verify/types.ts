/**
 * The plain values every webhook verifier and event parser speaks. No HTTP or Functions type crosses this line:
 * the receiver hands in the raw body bytes and a header lookup, and gets back a verdict and a list of
 * sync targets. Rejection reasons form a closed union so the receiver can count them and map them to a status.
 */
import { PROVIDER_IDS, type ProviderId } from '../../core/providers';

/** The real providers plus `generic`, which speaks Standard Webhooks. */
export const WEBHOOK_PROVIDER_IDS = [...PROVIDER_IDS, 'generic'] as const;
export type WebhookProviderId = ProviderId | 'generic';

export function isWebhookProviderId(value: string): value is WebhookProviderId {
  return (WEBHOOK_PROVIDER_IDS as readonly string[]).includes(value);
}

/** Case-insensitive header lookup (e.g. `(name) => request.headers.get(name) ?? undefined`). Names are passed lower-case. */
export type HeaderLookup = (name: string) => string | undefined;

export interface VerifyRequest {
  /** The exact bytes received: signatures cover these, never a re-serialised body. */
  rawBody: Buffer;
  headers: HeaderLookup;
  /** Current secret first, then the previous one while a rotation is under way. Empty means not configured. */
  secrets: readonly string[];
  /** Milliseconds since the epoch, passed in so tests and replays control the clock. */
  now: number;
}

export const REJECTION_REASONS = [
  'missing_signature',
  'bad_signature',
  'stale_timestamp',
  'future_timestamp',
  'malformed',
  'wrong_organization',
  'wrong_issuer',
  'wrong_audience',
  'wrong_email',
  'email_unverified',
  'token_expired',
  'no_secret_configured',
  'misconfigured',
  'verifier_unavailable',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * What the receiver should do with a delivery that passed.
 * - `event`: authentic; parse events, dedupe on deliveryId, archive, enqueue.
 * - `challenge`: authentic Slack url_verification; answer 200 with the challenge, enqueue nothing.
 * - `handshake`: Notion's one-time subscription message. NOT authenticated (Notion cannot sign it yet): store the
 *   token as pending for an operator to confirm, answer 200, enqueue nothing.
 * - `channel_sync`: authentic Google channel start message; answer 200, enqueue nothing.
 */
export type VerifiedOutcome =
  | { kind: 'event' }
  | { kind: 'challenge'; challenge: string }
  | { kind: 'handshake'; verificationToken: string }
  | { kind: 'channel_sync' };

export interface Verified {
  ok: true;
  deliveryId: string;
  outcome: VerifiedOutcome;
  /** Which entry of `secrets` matched; above 0 means senders still use an old secret. */
  secretIndex?: number;
  /** Provider-announced retry (Slack X-Slack-Retry-Num / -Reason); the receiver still dedupes on deliveryId. */
  retry?: { attempt: number; reason?: string };
  /** Per-item ids inside one delivery (Salesforce notification ids), for finer dedupe. */
  itemIds?: string[];
}

export interface Rejected {
  ok: false;
  reason: RejectionReason;
}

export type VerifyResult = Verified | Rejected;

/** The HTTP status a receiver answers for each rejection: 400 for garbage, 401 for anything unauthenticated. */
export function rejectionStatus(reason: RejectionReason): number {
  switch (reason) {
    case 'malformed':
      return 400;
    case 'misconfigured':
    case 'no_secret_configured':
      // Our configuration, not the sender, is wrong; 5xx makes the provider retry after it is fixed.
      return 500;
    case 'verifier_unavailable':
      return 503;
    default:
      return 401;
  }
}

export type EventOperation = 'upsert' | 'delete' | 'unknown';

/**
 * One sync target. `records` names the changed ids; `incremental` carries no ids on purpose: the provider only
 * said "something changed" (Google channels, Gmail), so the receiver runs an incremental sync of the entity.
 */
export type WebhookEvent =
  | { kind: 'records'; entity: string; ids: string[]; operation: EventOperation }
  | { kind: 'incremental'; entity: string };

export interface ParseRequest {
  rawBody: Buffer;
  headers: HeaderLookup;
}

export type ParseResult =
  { ok: true; deliveryId: string; events: WebhookEvent[] } | { ok: false; reason: 'malformed'; detail: string };
