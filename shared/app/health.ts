/**
 * Liveness plus a check of every dependency: cosmos, queue, blob, and redis where configured. Each check has a
 * timeout so one hung dependency cannot hang the health endpoint.
 */
import type { AppServices } from './services';

export interface DependencyCheck {
  name: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: DependencyCheck[];
}

const TIMEOUT_MS = 3000;

async function check(name: string, probe: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the message: SDK errors can carry request details we do not want in a public answer.
    return {
      name,
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message?.split('\n')[0]?.slice(0, 200) ?? 'failed',
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(
  services: Pick<AppServices, 'documents' | 'queue' | 'blob' | 'kv' | 'rateLimiter'>,
): Promise<HealthReport> {
  const probes: Promise<DependencyCheck>[] = [
    check('cosmos', () => services.documents.ping()),
    check('queue', () => services.queue.ping()),
    check('blob', () => services.blob.ping()),
  ];
  if (services.kv.backend === 'redis') probes.push(check('redis', () => services.kv.ping()));
  // Degraded means the limiter fell back to local, conservative limits because Redis is unreachable.
  probes.push(
    check('ratelimit', async () => {
      const health = services.rateLimiter.health();
      if (health.degraded) throw new Error(health.message ?? 'running on the local fallback limiter');
    }),
  );
  const checks = await Promise.all(probes);
  return { status: checks.every((entry) => entry.ok) ? 'ok' : 'degraded', checks };
}
