import { integrationHealth, type HealthInputs } from './integration-health';

const now = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

const integration: HealthInputs['integration'] = {
  enabled: true,
  status: 'active',
  schedule: { intervalMinutes: 15 },
  createdAt: minutesAgo(10),
};

const run = (status: 'succeeded' | 'failed' | 'running' | 'queued', minutes: number, message?: string) => ({
  status,
  queuedAt: minutesAgo(minutes + 1),
  ...(status === 'succeeded' || status === 'failed' ? { finishedAt: minutesAgo(minutes) } : {}),
  ...(message ? { lastError: { code: 'configuration', message } } : {}),
});

const health = (changes: Partial<HealthInputs>) => integrationHealth({ integration, runs: [], now, ...changes });

describe('integrationHealth', () => {
  it('is never_synced for a new integration without runs, and while its first run goes on', () => {
    expect(health({})).toEqual({ status: 'never_synced', reason: 'it has not synced yet' });
    expect(health({ runs: [run('running', 0)] }).status).toBe('never_synced');
  });

  it('is ok after a recent success', () => {
    expect(health({ runs: [run('succeeded', 5)] })).toEqual({
      status: 'ok',
      reason: 'last successful sync 5 min ago',
    });
  });

  it('is failing when the last finished run failed, naming its error', () => {
    expect(health({ runs: [run('running', 0), run('failed', 2, 'bad repo'), run('succeeded', 20)] })).toEqual({
      status: 'failing',
      reason: 'its last run failed: bad repo',
    });
  });

  it('is failing when one of the last 3 finished runs failed, and ok once 3 succeeded after it', () => {
    const older = [run('failed', 40, 'timeout'), run('succeeded', 50)];
    expect(health({ runs: [run('succeeded', 2), run('succeeded', 20), ...older] })).toEqual({
      status: 'failing',
      reason: '1 of its last 3 runs failed: timeout',
    });
    expect(health({ runs: [run('succeeded', 1), run('succeeded', 2), run('succeeded', 20), ...older] }).status).toBe(
      'ok',
    );
  });

  it('is stale after 3 intervals without a success, from the last success or from creation', () => {
    expect(health({ runs: [run('succeeded', 46)] })).toEqual({
      status: 'stale',
      reason: 'no successful sync for 46 min (expected every 15 min)',
    });
    expect(health({ runs: [run('succeeded', 44)] }).status).toBe('ok');
    expect(health({ integration: { ...integration, createdAt: minutesAgo(3 * 24 * 60) } })).toEqual({
      status: 'stale',
      reason: 'no successful sync since it was created 3 d ago (expected every 15 min)',
    });
  });

  it('uses the last success given from outside the runs read', () => {
    const runs = [run('running', 0)];
    expect(health({ runs, lastSucceededAt: minutesAgo(10) }).status).toBe('ok');
    expect(health({ runs, lastSucceededAt: minutesAgo(60) }).status).toBe('stale');
  });

  it('orders disabled > needs_reauth > failing > stale > never_synced', () => {
    const everything: Partial<HealthInputs> = {
      integration: { ...integration, createdAt: minutesAgo(600), enabled: false, status: 'needs_reauth' },
      runs: [run('failed', 1, 'x')],
      credentialStatus: 'needs_reauth',
    };
    expect(health(everything).status).toBe('disabled');
    expect(health({ ...everything, integration: { ...everything.integration!, enabled: true } }).status).toBe(
      'needs_reauth',
    );
    expect(
      health({ ...everything, integration: { ...everything.integration!, enabled: true, status: 'active' } }).status,
    ).toBe('needs_reauth');
    expect(
      health({
        ...everything,
        credentialStatus: 'active',
        integration: { ...everything.integration!, enabled: true, status: 'active' },
      }).status,
    ).toBe('failing');
    expect(
      health({
        runs: [],
        integration: { ...integration, createdAt: minutesAgo(600) },
      }).status,
    ).toBe('stale');
  });
});
