/**
 * Webhook deliveries as a provider that redelivers sends them: a new sandbox issue announced by a signed
 * GitHub `issues`/`opened` delivery to the host; a 429, a 5xx or no answer is sent again with the same delivery
 * id (GitHub keeps the GUID on redelivery), honouring Retry-After, until it is accepted or the deadline passes.
 * An accepted delivery must end as a shard; one never accepted is counted apart (the host never took it).
 */
import { randomUUID } from 'node:crypto';
import { githubSignature256 } from '../../../dev/sandboxes/github/webhook';
import { REPOSITORY } from './admin';
import { sleep } from './processes';
import type { ChaosEnv } from './services';

export interface DeliveryOutcome {
  accepted: boolean;
  /** Every answer in order (0: no answer). */
  statuses: number[];
  /** How long the first attempt waited for its answer. */
  firstAnswerMs: number;
}

const ANSWER_TIMEOUT_MS = 10_000;
const MAX_RETRY_WAIT_MS = 2000;

export async function deliverIssueOpened(
  env: ChaosEnv,
  integrationId: string,
  secret: string,
  issue: Record<string, unknown>,
  deadline: number,
): Promise<DeliveryOutcome> {
  const [owner, name] = REPOSITORY.split('/') as [string, string];
  const { recordId: _recordId, ...wire } = issue;
  const body = JSON.stringify({
    action: 'opened',
    issue: wire,
    repository: { id: 1000, name, full_name: REPOSITORY, owner: { login: owner }, private: false },
    sender: { login: 'sandbox-user', id: 583231, type: 'User' },
  });
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': githubSignature256(secret, body),
    'user-agent': 'GitHub-Hookshot/chaos',
  };
  const statuses: number[] = [];
  let firstAnswerMs = 0;
  for (let attempt = 0; ; attempt++) {
    let retryAfterMs = 0;
    const sentAt = Date.now();
    const status = await fetch(`${env.hostUrl}/api/webhooks/github/${integrationId}`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    }).then(
      async (response) => {
        retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1000;
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    statuses.push(status);
    if (attempt === 0) firstAnswerMs = Date.now() - sentAt;
    if (status >= 200 && status < 300) return { accepted: true, statuses, firstAnswerMs };
    // 4xx other than 429 is the host saying no for good: a provider does not redeliver those either.
    if (status >= 400 && status < 500 && status !== 429) return { accepted: false, statuses, firstAnswerMs };
    const waitMs = Math.min(MAX_RETRY_WAIT_MS, Math.max(retryAfterMs, 250 * 2 ** Math.min(attempt, 3)));
    if (Date.now() + waitMs > deadline) return { accepted: false, statuses, firstAnswerMs };
    await sleep(waitMs);
  }
}

/** Answers by status over many deliveries, e.g. {"202": 40, "503": 7, "0": 2}. */
export function answerCounts(outcomes: DeliveryOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) for (const status of outcome.statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
