/** The sync-runs repository's promises, held by the Cosmos and the memory implementation alike. */
import { emptyCounters, type SyncRun } from '../../../shared/core/sync-run';
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

const run = (tenantId: string, integrationId: string, id: string, changes: Partial<SyncRun> = {}): SyncRun => ({
  id,
  tenantId,
  integrationId,
  mode: 'full',
  trigger: 'manual',
  status: 'queued',
  counters: emptyCounters(),
  queuedAt: '2026-03-01T10:00:00.000Z',
  traceId: 't',
  ...changes,
});

eachDocumentStore((store) => {
  it('creates a run once; a repeated start gets the run as it is', async () => {
    const integration = uniqueId('i');
    const first = await store().runs.createOrGet(run('t', integration, 'r'));
    const second = await store().runs.createOrGet(run('t', integration, 'r', { mode: 'incremental' }));
    expect(first).toMatchObject({ created: true, run: { id: 'r', mode: 'full' } });
    expect(second).toMatchObject({ created: false, run: { id: 'r', mode: 'full' } });
    expect(typeof second.run._etag).toBe('string');
  });

  it('creates many in bulk without overwriting an existing run, one outcome per run in order', async () => {
    const integration = uniqueId('i');
    await store().runs.createOrGet(run('t', integration, 'r-1', { status: 'running' }));
    const runs = [run('t', integration, 'r-0'), run('t', integration, 'r-1'), run('t', uniqueId('i'), 'r-2')];
    const many = Array.from({ length: 120 }, (_, i) => run('t', integration, `bulk-${i}`));
    const outcomes = await store().runs.createMany([...runs, ...many]);
    expect(outcomes.slice(0, 3).map((outcome) => outcome.status)).toEqual(['created', 'exists', 'created']);
    expect(outcomes.slice(3).every((outcome) => outcome.status === 'created')).toBe(true);
    expect((await store().runs.get('t', integration, 'r-1'))?.status).toBe('running');
    expect(await store().runs.get('t', integration, 'bulk-119')).toMatchObject({ status: 'queued' });
  });

  it('writes many as they are', async () => {
    const integration = uniqueId('i');
    await store().runs.createOrGet(run('t', integration, 'u-1'));
    const failed = await store().runs.upsertMany([
      run('t', integration, 'u-1', { status: 'failed' }),
      run('t', integration, 'u-2', { status: 'failed' }),
    ]);
    expect(failed).toEqual([]);
    expect((await store().runs.get('t', integration, 'u-1'))?.status).toBe('failed');
    expect((await store().runs.get('t', integration, 'u-2'))?.status).toBe('failed');
  });

  it("never returns another tenant's run, and lists newest first, bounded", async () => {
    const integration = uniqueId('i');
    await store().runs.createOrGet(run('t-a', integration, 'old', { queuedAt: '2026-03-01T00:00:00.000Z' }));
    await store().runs.createOrGet(run('t-a', integration, 'new', { queuedAt: '2026-03-02T00:00:00.000Z' }));
    expect(await store().runs.get('t-b', integration, 'old')).toBeUndefined();
    expect(await store().runs.list('t-b', integration)).toEqual([]);
    expect((await store().runs.list('t-a', integration)).map((found) => found.id)).toEqual(['new', 'old']);
    expect((await store().runs.list('t-a', integration, 1)).map((found) => found.id)).toEqual(['new']);
  });

  it('updates by read-modify-write, losing no concurrent change; a missing run is not_found', async () => {
    const integration = uniqueId('i');
    await store().runs.createOrGet(run('t', integration, 'c'));
    await Promise.all(
      Array.from({ length: 6 }, () =>
        store().runs.update(
          't',
          integration,
          'c',
          (current) => ({ ...current, counters: { ...current.counters, fetched: current.counters.fetched + 10 } }),
          { attempts: 50 },
        ),
      ),
    );
    expect((await store().runs.get('t', integration, 'c'))?.counters.fetched).toBe(60);
    expect(await rejectionCode(store().runs.update('t', integration, 'missing', (current) => current))).toBe(
      'not_found',
    );
  });

  it('updates from a copy the caller read, reading again only when it was stale', async () => {
    const integration = uniqueId('i');
    const { run: read } = await store().runs.createOrGet(run('t', integration, 'f'));
    const first = await store().runs.update('t', integration, 'f', (current) => ({ ...current, status: 'running' }), {
      from: read,
    });
    expect(first.status).toBe('running');
    // `read` is stale now: the change is applied to the current run instead.
    const second = await store().runs.update(
      't',
      integration,
      'f',
      (current) => ({ ...current, counters: { ...current.counters, pages: current.counters.pages + 1 } }),
      { from: read },
    );
    expect(second).toMatchObject({ status: 'running', counters: { pages: 1 } });
  });

  it('changes a run only while it is unchanged and the change still wants it', async () => {
    const integration = uniqueId('i');
    const { run: read } = await store().runs.createOrGet(run('t', integration, 'g'));
    expect(await store().runs.replaceIfUnchanged(read, () => undefined)).toBeUndefined();
    const changed = await store().runs.replaceIfUnchanged(read, (current) => ({ ...current, status: 'failed' }));
    expect(changed?.status).toBe('failed');
    expect(
      await store().runs.replaceIfUnchanged(read, (current) => ({ ...current, status: 'running' })),
    ).toBeUndefined();
    expect((await store().runs.get('t', integration, 'g'))?.status).toBe('failed');
  });

  it('finds stale queued or running runs across tenants by heartbeat, else by queue time', async () => {
    const integration = uniqueId('stale');
    await store().runs.createOrGet(run('t', integration, 'quiet', { queuedAt: '2001-01-01T00:00:00.000Z' }));
    await store().runs.createOrGet(
      run('t2', integration, 'beating', {
        status: 'running',
        queuedAt: '2001-01-01T00:00:00.000Z',
        heartbeatAt: '2001-01-05T00:00:00.000Z',
      }),
    );
    await store().runs.createOrGet(
      run('t', integration, 'done', { status: 'succeeded', queuedAt: '2001-01-01T00:00:00.000Z' }),
    );
    const ids = async (cutoff: string) =>
      (await store().runs.findStale(cutoff, 100))
        .filter((found) => found.integrationId === integration)
        .map((found) => found.id)
        .sort();
    expect(await ids('2001-01-03T00:00:00.000Z')).toEqual(['quiet']);
    expect(await ids('2001-01-06T00:00:00.000Z')).toEqual(['beating', 'quiet']);
  });

  it("reads a tenant's runs queued in a window: counters for the chart, outcomes for digests", async () => {
    const tenant = uniqueId('t');
    const [a, b] = [uniqueId('i'), uniqueId('i')];
    const counters = { ...emptyCounters(), fetched: 7, created: 2 };
    await store().runs.createOrGet(run(tenant, a, 'in-1', { queuedAt: '2026-04-01T01:00:00.000Z', counters }));
    await store().runs.createOrGet(
      run(tenant, b, 'in-2', {
        queuedAt: '2026-04-01T02:00:00.000Z',
        startedAt: '2026-04-01T02:00:01.000Z',
        finishedAt: '2026-04-01T02:00:09.000Z',
        status: 'failed',
        counters,
      }),
    );
    await store().runs.createOrGet(run(tenant, a, 'edge', { queuedAt: '2026-04-01T03:00:00.000Z' }));
    await store().runs.createOrGet(run(uniqueId('t'), a, 'other', { queuedAt: '2026-04-01T01:30:00.000Z' }));
    const range = { from: '2026-04-01T00:00:00.000Z', to: '2026-04-01T03:00:00.000Z' };
    const chart = await store().runs.countersQueuedBetween(tenant, range, 100);
    expect(chart.truncated).toBe(false);
    expect(chart.runs.map((row) => row.queuedAt).sort()).toEqual([
      '2026-04-01T01:00:00.000Z',
      '2026-04-01T02:00:00.000Z',
    ]);
    const [first, second] = [...chart.runs].sort((x, y) => x.queuedAt.localeCompare(y.queuedAt));
    expect(first).toMatchObject({ counters: { fetched: 7, created: 2 }, integrationId: a });
    // Only what the charts read: the integration and the run's times, never the whole document.
    expect(Object.keys(first!).sort()).toEqual(['counters', 'integrationId', 'queuedAt', 'status']);
    expect(second).toMatchObject({
      integrationId: b,
      startedAt: '2026-04-01T02:00:01.000Z',
      finishedAt: '2026-04-01T02:00:09.000Z',
    });
    expect(Object.keys(second!).sort()).toEqual([
      'counters',
      'finishedAt',
      'integrationId',
      'queuedAt',
      'startedAt',
      'status',
    ]);
    expect((await store().runs.countersQueuedBetween(tenant, { ...range, integrationId: b }, 100)).runs).toHaveLength(
      1,
    );
    expect(await store().runs.countersQueuedBetween(tenant, range, 1)).toMatchObject({ truncated: true });
    const outcomes = await store().runs.outcomesQueuedBetween(tenant, range.from, range.to);
    expect(outcomes.map((row) => `${row.status}:${row.fetched}`).sort()).toEqual(['failed:7', 'queued:7']);
  });
});
