/**
 * Slack request signing (v0): HMAC-SHA256 of `v0:{timestamp}:{raw body}`, with the timestamp held to a window in
 * both directions. Signed url_verification requests yield the challenge to echo; retries are reported as such.
 */
import { contentId, hmacSha256, matchingSecret } from '../crypto';
import { isRecord, parseJsonObject, stringOf } from '../json';
import { checkTimestamp, DEFAULT_TIMESTAMP_TOLERANCE_MS } from '../timestamps';
import type { Verified, VerifyRequest, VerifyResult } from '../types';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';
export const SLACK_RETRY_NUM_HEADER = 'x-slack-retry-num';
export const SLACK_RETRY_REASON_HEADER = 'x-slack-retry-reason';

export interface SlackVerifyOptions {
  toleranceMs?: number;
}

export function slackSignature(rawBody: Buffer | string, secret: string, timestamp: string | number): string {
  return `v0=${hmacSha256(secret, `v0:${timestamp}:`, rawBody).toString('hex')}`;
}

/** Slack sends JSON (Events API) or a form body (slash commands, and interactivity with a `payload` field). */
export type SlackBody = { format: 'json'; value: Record<string, unknown> } | { format: 'form'; value: URLSearchParams };

export function readSlackBody(rawBody: Buffer): SlackBody | undefined {
  if (firstNonSpaceByte(rawBody) === OPENING_BRACE) {
    // The Buffer itself: verification and event parsing share one parse of it (json.ts).
    const value = parseJsonObject(rawBody);
    return value ? { format: 'json', value } : undefined;
  }
  return { format: 'form', value: new URLSearchParams(rawBody.toString('utf8')) };
}

const OPENING_BRACE = 0x7b;

/** Whitespace and a UTF-8 byte order mark skipped (a JSON body after a mark is read as JSON, and is malformed). */
const SKIPPED_LEADING_BYTES = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c, 0xef, 0xbb, 0xbf]);

function firstNonSpaceByte(bytes: Buffer): number | undefined {
  for (const byte of bytes) if (!SKIPPED_LEADING_BYTES.has(byte)) return byte;
  return undefined;
}

/** event_id for Events API callbacks, trigger_id for commands and interactions, else the content hash. */
export function slackDeliveryId(body: SlackBody, rawBody: Buffer): string {
  if (body.format === 'json') return stringOf(body.value.event_id) ?? contentId(rawBody);
  const interaction = body.value.get('payload');
  if (interaction !== null) {
    const parsed = parseJsonObject(interaction);
    return (isRecord(parsed) && stringOf(parsed.trigger_id)) || contentId(rawBody);
  }
  return body.value.get('trigger_id') || contentId(rawBody);
}

function retryOf(request: VerifyRequest): Verified['retry'] {
  const num = request.headers(SLACK_RETRY_NUM_HEADER);
  if (num === undefined || !/^\d{1,6}$/.test(num)) return undefined;
  const reason = request.headers(SLACK_RETRY_REASON_HEADER);
  return reason ? { attempt: Number(num), reason } : { attempt: Number(num) };
}

export function verifySlack(request: VerifyRequest, options: SlackVerifyOptions = {}): VerifyResult {
  if (request.secrets.length === 0) return { ok: false, reason: 'no_secret_configured' };
  const received = request.headers(SLACK_SIGNATURE_HEADER);
  const timestamp = request.headers(SLACK_TIMESTAMP_HEADER);
  if (!received || !timestamp) return { ok: false, reason: 'missing_signature' };
  const freshness = checkTimestamp(timestamp, request.now, options.toleranceMs ?? DEFAULT_TIMESTAMP_TOLERANCE_MS);
  if (freshness !== 'fresh') return { ok: false, reason: freshness };
  const secretIndex = matchingSecret(request.secrets, received, (secret) =>
    slackSignature(request.rawBody, secret, timestamp),
  );
  if (secretIndex < 0) return { ok: false, reason: 'bad_signature' };

  const body = readSlackBody(request.rawBody);
  if (!body) return { ok: false, reason: 'malformed' };
  const retry = retryOf(request);
  const base = {
    ok: true as const,
    deliveryId: slackDeliveryId(body, request.rawBody),
    secretIndex,
    ...(retry ? { retry } : {}),
  };
  if (body.format === 'json' && body.value.type === 'url_verification') {
    const challenge = stringOf(body.value.challenge);
    if (!challenge) return { ok: false, reason: 'malformed' };
    return { ...base, outcome: { kind: 'challenge', challenge } };
  }
  return { ...base, outcome: { kind: 'event' } };
}
