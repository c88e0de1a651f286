/**
 * The official Google clients (@googleapis/calendar 16, @googleapis/drive 22, with google-auth-library's
 * OAuth2Client) judge the Google sandbox: events.list and files.list followed through pageToken to the seeded
 * count, Calendar's syncToken incremental reads and its 410 fullSyncRequired as the client surfaces it, Drive's
 * changes.getStartPageToken / changes.list to newStartPageToken, get by id, and the writes our adapter makes
 * (events insert / patch with If-Match / delete; files create / update / trash). Push channels, rate limits and
 * OAuth: google-official-push.test.ts.
 */
import type { calendar_v3 } from '@googleapis/calendar';
import type { drive_v3 } from '@googleapis/drive';
import { startGoogleSandbox } from '../../dev/sandboxes/google';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { clientsFor, errorOf } from './support/google-clients';

const SEEDED = 130;

let sandbox: RunningSandbox;
let cal: calendar_v3.Calendar;
let drv: drive_v3.Drive;

beforeAll(async () => {
  sandbox = await startGoogleSandbox({ records: SEEDED });
  ({ cal, drv } = clientsFor(sandbox));
});
afterAll(async () => sandbox.stop());

/** Lists every event page by page; only the last page may carry nextSyncToken. */
async function listEvents(params: calendar_v3.Params$Resource$Events$List) {
  const items: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  for (;;) {
    const { data } = await cal.events.list({ ...params, pageToken });
    pages += 1;
    items.push(...(data.items ?? []));
    if (!data.nextPageToken) {
      expect(data.nextSyncToken).toEqual(expect.any(String));
      return { items, pages, syncToken: data.nextSyncToken! };
    }
    expect(data.nextSyncToken).toBeUndefined();
    pageToken = data.nextPageToken;
  }
}

describe('Google Calendar sandbox judged by @googleapis/calendar', () => {
  it('lists every seeded event through pageToken; the last page hands out nextSyncToken', async () => {
    const { items, pages } = await listEvents({ calendarId: 'primary', maxResults: 50 });
    expect(items).toHaveLength(SEEDED);
    expect(new Set(items.map((event) => event.id)).size).toBe(SEEDED);
    expect(pages).toBe(Math.ceil(SEEDED / 50));
    expect(items[0]).toMatchObject({ kind: 'calendar#event', etag: expect.stringMatching(/^".+"$/) });
  });

  it('answers a syncToken with exactly what changed (a deletion as status cancelled), then nothing', async () => {
    const { items, syncToken } = await listEvents({ calendarId: 'primary', maxResults: 250 });
    const [patched, deleted] = items as [calendar_v3.Schema$Event, calendar_v3.Schema$Event];
    const start = new Date(Date.now() + 86_400_000);
    const inserted = await cal.events.insert({
      calendarId: 'primary',
      requestBody: {
        id: 'idem0123456789abcdefghijklmnopqrstuv',
        summary: 'Inserted by the official client',
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      },
    });
    expect(inserted.data).toMatchObject({ id: 'idem0123456789abcdefghijklmnopqrstuv', status: 'confirmed' });
    await cal.events.patch({ calendarId: 'primary', eventId: patched.id!, requestBody: { summary: 'Patched' } });
    await cal.events.delete({ calendarId: 'primary', eventId: deleted.id! });

    const changed = await listEvents({ calendarId: 'primary', syncToken });
    expect(changed.items.map((event) => [event.id, event.status]).sort()).toEqual(
      [
        [inserted.data.id, 'confirmed'],
        [patched.id, patched.status],
        [deleted.id, 'cancelled'],
      ].sort(),
    );
    expect(changed.items.find((event) => event.id === patched.id)?.summary).toBe('Patched');
    const again = await cal.events.list({ calendarId: 'primary', syncToken: changed.syncToken });
    expect(again.data.items).toEqual([]);
    expect(again.data.nextSyncToken).toEqual(expect.any(String));
  });

  it('refuses an expired sync token with 410 fullSyncRequired in the errors reference shape', async () => {
    const short = await startGoogleSandbox({ records: 3, extra: { syncTokenTtlMs: 1 } });
    try {
      const { cal: shortCal } = clientsFor(short);
      const { data } = await shortCal.events.list({ calendarId: 'primary' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const gone = await shortCal.events.list({ calendarId: 'primary', syncToken: data.nextSyncToken! }).catch(errorOf);
      expect(gone).toMatchObject({
        status: 410,
        code: 410,
        message: 'Sync token is no longer valid, a full sync is required.',
        cause: {
          code: 410,
          errors: [
            {
              domain: 'calendar',
              reason: 'fullSyncRequired',
              message: 'Sync token is no longer valid, a full sync is required.',
              locationType: 'parameter',
              location: 'syncToken',
            },
          ],
        },
      });
    } finally {
      await short.stop();
    }
  });

  it('gets by id and makes the adapter writes: insert (409 duplicate on a repeated id), patch with If-Match (412), delete (410 twice)', async () => {
    const { data: page } = await cal.events.list({ calendarId: 'primary', maxResults: 1 });
    const first = page.items![0]!;
    const { data: got } = await cal.events.get({ calendarId: 'primary', eventId: first.id! });
    expect(got).toMatchObject({ id: first.id, etag: first.etag, summary: first.summary });

    const start = new Date(Date.now() + 2 * 86_400_000);
    const body = {
      id: 'idemvvvv0000111122223333',
      summary: 'Idempotent insert',
      start: { dateTime: start.toISOString() },
      end: { dateTime: new Date(start.getTime() + 3_600_000).toISOString() },
    };
    const { data: created } = await cal.events.insert({ calendarId: 'primary', requestBody: body });
    const duplicate = await cal.events.insert({ calendarId: 'primary', requestBody: body }).catch(errorOf);
    expect(duplicate).toMatchObject({ status: 409, cause: { errors: [{ reason: 'duplicate' }] } });

    const { data: patched } = await cal.events.patch(
      { calendarId: 'primary', eventId: created.id!, requestBody: { summary: 'Changed once' } },
      { headers: { 'If-Match': created.etag! } },
    );
    expect(patched.etag).not.toBe(created.etag);
    const stale = await cal.events
      .patch(
        { calendarId: 'primary', eventId: created.id!, requestBody: { summary: 'Stale' } },
        { headers: { 'If-Match': created.etag! } },
      )
      .catch(errorOf);
    expect(stale).toMatchObject({
      status: 412,
      cause: { errors: [{ reason: 'conditionNotMet', locationType: 'header', location: 'If-Match' }] },
    });
    const removed = await cal.events.delete({ calendarId: 'primary', eventId: created.id! });
    expect(removed.status).toBe(204);
    const { data: cancelled } = await cal.events.get({ calendarId: 'primary', eventId: created.id! });
    expect(cancelled.status).toBe('cancelled');
    const twice = await cal.events.delete({ calendarId: 'primary', eventId: created.id! }).catch(errorOf);
    expect(twice).toMatchObject({ status: 410, cause: { errors: [{ reason: 'deleted' }] } });
    const missing = await cal.events.get({ calendarId: 'primary', eventId: 'nosuchevent00' }).catch(errorOf);
    expect(missing).toMatchObject({ status: 404, cause: { errors: [{ reason: 'notFound' }] } });
  });
});

describe('Google Drive sandbox judged by @googleapis/drive', () => {
  it('lists every seeded file through pageToken, with partial responses as asked for', async () => {
    const ids: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await drv.files.list({
        q: 'trashed = false',
        pageSize: 40,
        pageToken,
        fields: 'nextPageToken, files(id, name, version, modifiedTime, trashed)',
      });
      pages += 1;
      for (const file of data.files ?? []) {
        expect(Object.keys(file).sort()).toEqual(['id', 'modifiedTime', 'name', 'trashed', 'version']);
        ids.push(file.id!);
      }
      expect(Object.keys(data).filter((key) => key !== 'nextPageToken')).toEqual(['files']);
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(ids).toHaveLength(SEEDED);
    expect(new Set(ids).size).toBe(SEEDED);
    expect(pages).toBe(Math.ceil(SEEDED / 40));
    // Without fields Drive answers its default file fields; without nextPageToken in fields there is none.
    const { data: plain } = await drv.files.list({ pageSize: 5 });
    expect(Object.keys(plain.files![0]!).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
    expect(plain.nextPageToken).toEqual(expect.any(String));
    const { data: masked } = await drv.files.list({ pageSize: 5, fields: 'files(id)' });
    expect(masked.nextPageToken).toBeUndefined();
  });

  it('follows changes from getStartPageToken to newStartPageToken: create, update and trash as the adapter writes', async () => {
    const { data: start } = await drv.changes.getStartPageToken({});
    expect(start).toMatchObject({ kind: 'drive#startPageToken', startPageToken: expect.any(String) });
    const { data: created } = await drv.files.create({
      requestBody: { name: 'Made by the official client', mimeType: 'text/plain' },
      fields: '*',
    });
    expect(created).toMatchObject({ id: expect.any(String), name: 'Made by the official client', trashed: false });
    const { data: page } = await drv.files.list({ pageSize: 2, q: 'trashed = false', fields: 'files(id)' });
    const [updatedId, trashedId] = page.files!.map((file) => file.id!) as [string, string];
    const { data: updated } = await drv.files.update({
      fileId: updatedId,
      requestBody: { name: 'Renamed by the official client' },
      fields: 'id,name,version',
    });
    expect(updated).toEqual({ id: updatedId, name: 'Renamed by the official client', version: expect.any(String) });
    const { data: trashed } = await drv.files.update({
      fileId: trashedId,
      requestBody: { trashed: true },
      fields: 'id,version,trashed',
    });
    expect(trashed).toMatchObject({ id: trashedId, trashed: true });

    const changes: drive_v3.Schema$Change[] = [];
    let token = start.startPageToken!;
    let next: string | undefined;
    for (;;) {
      const { data } = await drv.changes.list({
        pageToken: token,
        pageSize: 2,
        includeRemoved: true,
        fields: 'nextPageToken,newStartPageToken,changes(*)',
      });
      changes.push(...(data.changes ?? []));
      if (data.nextPageToken) {
        expect(data.newStartPageToken).toBeUndefined();
        token = data.nextPageToken;
        continue;
      }
      next = data.newStartPageToken ?? undefined;
      break;
    }
    expect(next).toEqual(expect.any(String));
    const byId = new Map(changes.map((change) => [change.fileId, change]));
    expect([...byId.keys()].sort()).toEqual([created.id, updatedId, trashedId].sort());
    expect(byId.get(trashedId)).toMatchObject({ removed: false, file: { id: trashedId, trashed: true } });
    expect(byId.get(updatedId)?.file?.name).toBe('Renamed by the official client');
    const { data: after } = await drv.changes.list({ pageToken: next!, fields: 'newStartPageToken,changes(fileId)' });
    expect(after.changes).toEqual([]);
    expect(after.newStartPageToken).toBe(next);
  });

  it('gets by id (default fields, or the ones asked for); a permanently deleted file is 404 notFound', async () => {
    const { data: created } = await drv.files.create({ requestBody: { name: 'Short-lived' } });
    expect(Object.keys(created).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
    const { data: got } = await drv.files.get({ fileId: created.id!, fields: 'id,name,version,trashed' });
    expect(got).toEqual({ id: created.id, name: 'Short-lived', version: expect.any(String), trashed: false });
    expect((await drv.files.delete({ fileId: created.id! })).status).toBe(204);
    const gone = await drv.files.get({ fileId: created.id! }).catch(errorOf);
    expect(gone).toMatchObject({
      status: 404,
      message: `File not found: ${created.id}.`,
      cause: { errors: [{ reason: 'notFound', locationType: 'parameter', location: 'fileId' }] },
    });
  });
});
