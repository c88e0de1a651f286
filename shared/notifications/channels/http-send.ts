/**
 * One notification POST with retries: a timeout per attempt, 429 waits for Retry-After, 408/5xx and network
 * failures back off exponentially with full jitter, other answers end at once. A wait longer than
 * maxRetryWaitMs ends the attempts (the caller records the failure, nothing is lost). Reasons name the status
 * and the provider's short error word only: never the URL (a webhook URL is a secret) nor a token.
 */
import { parseRetryAfterMs } from '../../adapters/http/retry-after';
import { backoffDelayMs, sleep } from '../../credentials/backoff';
import { isAppError } from '../../core/app-error';
import { outboundFetch } from '../../platform/http/outbound-fetch';

export interface SendPolicy {
  timeoutMs: number;
  maxAttempts: number;
  maxRetryWaitMs: number;
  /** First backoff step for 5xx / network failures. */
  baseDelayMs?: number;
}

/** What one answer means; channel adapters supply their own reading (Slack's `ok:false` in a 200). */
export type Verdict =
  { kind: 'ok' } | { kind: 'retry'; reason: string; retryAfterMs?: number } | { kind: 'fail'; reason: string };

export type SendOutcome =
  { ok: true; attempts: number } | { ok: false; attempts: number; reason: string; retryable: boolean };

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A short, safe excerpt of an error body: a word or two, never echoed URLs. */
export function shortReason(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, '[url]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
}

export function classifyHttp(answer: HttpAnswer): Verdict {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const detail = shortReason(answer.text);
  const reason = `http_${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429)
    return { kind: 'retry', reason, retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')) };
  if (status === 408 || status >= 500)
    return { kind: 'retry', reason, retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')) };
  return { kind: 'fail', reason };
}

export interface PostRequest {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  classify?: (answer: HttpAnswer) => Verdict;
  signal?: AbortSignal;
  /** The outbound rule for this channel: its hosts, and the field the URL came from. */
  allowedHosts: readonly string[];
  field: string;
}

export async function postWithRetries(request: PostRequest, policy: SendPolicy): Promise<SendOutcome> {
  const classify = request.classify ?? classifyHttp;
  const payload = JSON.stringify(request.body);
  let last: Exclude<Verdict, { kind: 'ok' }> = { kind: 'fail', reason: 'not attempted' };
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (request.signal?.aborted) return { ok: false, attempts: attempt - 1, reason: 'aborted', retryable: true };
    const verdict = await attemptOnce(request, payload, policy.timeoutMs, classify);
    if (verdict.kind === 'ok') return { ok: true, attempts: attempt };
    last = verdict;
    if (last.kind === 'fail') return { ok: false, attempts: attempt, reason: last.reason, retryable: false };
    if (attempt === policy.maxAttempts) return { ok: false, attempts: attempt, reason: last.reason, retryable: true };
    const backoff = backoffDelayMs(
      {
        kind: 'exponential',
        baseDelayMs: policy.baseDelayMs ?? 200,
        maxDelayMs: policy.maxRetryWaitMs,
        jitter: 'full',
      },
      attempt,
    );
    // At least Retry-After, plus a little jitter so callers told the same moment do not all return at once.
    const waitMs =
      last.retryAfterMs !== undefined
        ? Math.max(last.retryAfterMs + Math.floor(Math.random() * 250), backoff)
        : backoff;
    if (waitMs > policy.maxRetryWaitMs)
      return {
        ok: false,
        attempts: attempt,
        reason: `${last.reason} (retry after ${waitMs} ms exceeds the limit)`,
        retryable: true,
      };
    try {
      await sleep(waitMs, request.signal);
    } catch {
      return { ok: false, attempts: attempt, reason: 'aborted', retryable: true };
    }
  }
  return { ok: false, attempts: policy.maxAttempts, reason: last.reason, retryable: true };
}

async function attemptOnce(
  request: PostRequest,
  payload: string,
  timeoutMs: number,
  classify: (answer: HttpAnswer) => Verdict,
): Promise<Verdict> {
  const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
  try {
    const response = await outboundFetch(
      request.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...request.headers },
        body: payload,
        signal: AbortSignal.any(signals),
      },
      { allowedHosts: request.allowedHosts, field: request.field },
    );
    return classify({ status: response.status, headers: response.headers, text: await response.text() });
  } catch (error) {
    // A target the outbound rule refuses stays refused: no retry. The reason names the field, not the URL.
    if (isAppError(error)) return { kind: 'fail', reason: `refused: ${error.message}` };
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return { kind: 'retry', reason: `timeout after ${timeoutMs} ms` };
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return { kind: 'retry', reason: `network${code ? `: ${code}` : ''}` };
  }
}
