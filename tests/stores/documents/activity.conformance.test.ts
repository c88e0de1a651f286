/** The activity repository's promises, held by the Cosmos and the memory implementation alike. */
import type { ActivityDoc, RunLogDoc } from '../../../shared/stores/documents/activity-repository';
import { activityDocId } from '../../../shared/stores/documents/activity-repository';
import { eachDocumentStore, uniqueId } from './harness';

const entry = (tenantId: string, at: string, overrides: Partial<ActivityDoc> = {}): ActivityDoc => ({
  id: activityDocId(at, Math.random().toString(16).slice(2, 10)),
  tenantId,
  kind: 'activity',
  at,
  type: 'run',
  integrationId: 'i-1',
  integrationName: 'One',
  status: 'succeeded',
  summary: 's',
  ttl: 3600,
  ...overrides,
});

const logPage = (tenantId: string, runId: string, page: number, attempt: number): RunLogDoc => ({
  id: `${runId}~${page}~${attempt}`,
  tenantId,
  kind: 'run-log',
  integrationId: 'i-1',
  runId,
  page,
  attempt,
  at: `2026-03-01T00:00:0${page}.000Z`,
  items: [{ at: '2026-03-01T00:00:00.000Z', level: 'info', message: `page ${page} attempt ${attempt}`, page }],
  ttl: 600,
});

eachDocumentStore((store) => {
  it("lists a tenant's entries newest first, filtered, in pages that follow each other", async () => {
    const tenant = uniqueId('t');
    const docs = [
      entry(tenant, '2026-03-01T10:00:00.000Z'),
      entry(tenant, '2026-03-01T11:00:00.000Z', { type: 'config', status: 'changed', actor: 'api-key' }),
      entry(tenant, '2026-03-01T12:00:00.000Z', { integrationId: 'i-2', status: 'failed' }),
      entry(tenant, '2026-03-01T13:00:00.000Z', { type: 'webhook', status: 'rejected', deliveryId: 'd-1' }),
      entry(uniqueId('t'), '2026-03-01T14:00:00.000Z'),
    ];
    await store().activity.appendMany(docs);
    const first = await store().activity.list(tenant, {}, { limit: 3 });
    expect(first.items.map((doc) => doc.at)).toEqual([
      '2026-03-01T13:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T11:00:00.000Z',
    ]);
    expect(first.items[0]).toEqual(docs[3]);
    const second = await store().activity.list(tenant, {}, { limit: 3, after: first.after });
    expect(second.items.map((doc) => doc.at)).toEqual(['2026-03-01T10:00:00.000Z']);
    expect(second.after).toBeUndefined();
    expect((await store().activity.list(tenant, { type: 'config' }, { limit: 10 })).items).toEqual([docs[1]]);
    expect((await store().activity.list(tenant, { integrationId: 'i-2' }, { limit: 10 })).items).toEqual([docs[2]]);
    expect((await store().activity.list(tenant, { status: 'rejected' }, { limit: 10 })).items).toEqual([docs[3]]);
    const window = await store().activity.list(
      tenant,
      { from: '2026-03-01T11:00:00.000Z', to: '2026-03-01T12:00:00.000Z' },
      { limit: 10 },
    );
    expect(window.items.map((doc) => doc.at)).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-01T11:00:00.000Z']);
  });

  it("reads a run's log page by page within its tenant only", async () => {
    const tenant = uniqueId('t');
    await store().activity.appendRunLog(logPage(tenant, 'r-1', 1, 1));
    await store().activity.appendRunLog(logPage(tenant, 'r-1', 0, 2));
    await store().activity.appendRunLog(logPage(tenant, 'r-1', 0, 1));
    await store().activity.appendRunLog(logPage(tenant, 'r-2', 0, 1));
    const pages = await store().activity.runLog(tenant, 'i-1', 'r-1');
    expect(pages.map((page) => [page.page, page.attempt])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
    ]);
    expect(pages[0]).toEqual(logPage(tenant, 'r-1', 0, 1));
    expect(await store().activity.runLog(uniqueId('t'), 'i-1', 'r-1')).toEqual([]);
    // Run-log documents are not activity entries.
    expect((await store().activity.list(tenant, {}, { limit: 10 })).items).toEqual([]);
  });
});
