/**
 * What a chaos scenario does through public interfaces only: the host's admin API (create the integration,
 * store its credential and webhook secret, start syncs, read runs) and the sandbox's /__sandbox/ routes
 * (tokens, faults, records). Every request has a timeout; a refused or failed one throws with its status.
 */
import { randomBytes } from 'node:crypto';
import type { ChaosEnv } from './services';

export const TENANT = 'chaos';
export const REPOSITORY = 'acme/widgets';
const REQUEST_TIMEOUT_MS = 10_000;

export interface RunView {
  id: string;
  mode: string;
  trigger: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  counters: { fetched: number; created: number; updated: number; pages: number };
  lastError?: { code: string; message: string };
}

async function call<T>(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`,
    );
  return (text ? JSON.parse(text) : undefined) as T;
}

export function admin(env: ChaosEnv) {
  const base = `${env.hostUrl}/api/admin/tenants/${TENANT}`;
  const headers = { 'x-api-key': env.adminKey, 'content-type': 'application/json' };
  const send = <T>(method: string, path: string, body?: unknown) =>
    call<T>(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return {
    /** A GitHub integration on the sandbox's issues with a sandbox token, a webhook secret and a sandbox-sized rate limit. */
    async createIntegration(): Promise<{ id: string; webhookSecret: string }> {
      const created = await send<{ id: string }>('POST', '/integrations', {
        provider: 'github',
        name: 'Chaos',
        baseUrl: env.sandboxUrl,
        entities: ['issues'],
        providerOptions: { repositories: [REPOSITORY] },
      });
      const tokens = await call<{ accessToken: string }>(`${env.sandboxUrl}/__sandbox/tokens`, {
        method: 'POST',
        body: JSON.stringify({ expiresInMs: 24 * 3_600_000 }),
      });
      await send('PUT', `/integrations/${created.id}/credentials`, { type: 'bearer_token', token: tokens.accessToken });
      const webhookSecret = randomBytes(24).toString('hex');
      await send('PUT', `/integrations/${created.id}/webhook-secret`, { secret: webhookSecret, overlapMinutes: 0 });
      // The sandbox is not GitHub's shared budget: let the sync run at the sandbox's pace, as demo mode does.
      const rate = { kind: 'rate', limit: 200, windowMs: 1000, burst: 400 };
      await send('PUT', `/integrations/${created.id}/rate-limits`, { integration: rate, operations: { '*': rate } });
      return { id: created.id, webhookSecret };
    },
    startSync: (integrationId: string, mode: 'full' | 'incremental') =>
      send<{ runId: string }>('POST', `/integrations/${integrationId}/sync`, { mode }),
    deadLetters: async (integrationId: string) =>
      (await send<{ items: unknown[] }>('GET', `/integrations/${integrationId}/dead-letters`)).items.length,
    runs: async (integrationId: string) =>
      (await send<{ items: RunView[] }>('GET', `/integrations/${integrationId}/runs`)).items,
  };
}

export function sandbox(env: ChaosEnv) {
  const url = (path: string) => `${env.sandboxUrl}/__sandbox${path}`;
  return {
    injectFault: (fault: Record<string, unknown>) =>
      call(url('/faults'), { method: 'POST', body: JSON.stringify(fault) }),
    clearFaults: () => call(url('/faults'), { method: 'DELETE' }),
    count: async () => (await call<{ count: number }>(url('/records?entity=issues'))).count,
    createIssue: (title: string) =>
      call<Record<string, unknown> & { recordId: string; number: number }>(url('/records'), {
        method: 'POST',
        body: JSON.stringify({ entity: 'issues', op: 'create', fields: { title } }),
      }),
    resetCalls: () => call(url('/calls'), { method: 'DELETE' }),
    /** Requests the sandbox answered, by status. */
    statuses: async () => (await call<{ byStatus: Record<string, number> }>(url('/calls'))).byStatus,
  };
}

/** Whether every run has ended (succeeded or failed). */
export const allFinal = (runs: RunView[]) =>
  runs.length > 0 && runs.every((run) => run.status === 'succeeded' || run.status === 'failed');

/** Runs by status, e.g. {"succeeded": 2, "running": 1}. */
export function runStatuses(runs: RunView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}
