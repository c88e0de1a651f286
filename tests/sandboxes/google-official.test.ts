/**
 * The official Google clients (@googleapis/calendar 16, @googleapis/drive 22, with google-auth-library's
 * OAuth2Client) judge the Google sandbox: events.list and files.list followed through pageToken to the seeded
 * count, Calendar's syncToken incremental reads and its 410 fullSyncRequired as the client surfaces it, Drive's
 * changes.getStartPageToken / changes.list to newStartPageToken, get by id, the writes our adapter makes (events
 * insert / patch with If-Match / delete; files create / update / trash), push channels (events.watch,
 * changes.watch, channels.stop) with the X-Goog-* headers Google documents, 403 / 429 rate limits in Google's error
 * shape, and the OAuth code exchange and refresh through OAuth2Client (form bodies; invalid_grant when revoked).
 */
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { drive, type drive_v3 } from '@googleapis/drive';
import { OAuth2Client } from 'google-auth-library';
import { startGoogleSandbox } from '../../dev/sandboxes/google';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { verifyGoogleChannel } from '../../shared/webhooks/verify/google/channel';
import { parseGoogleEvents } from '../../shared/webhooks/verify/google/events';
import { requestOf } from '../webhooks/helpers';
import { startReceiver } from './recording-proxy';

const SEEDED = 130;
const REDIRECT = 'http://localhost:7071/api/oauth/callback';
const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
const CHANNEL_TOKEN = 'channel-token-0f3e';

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let cal: calendar_v3.Calendar;
let drv: drive_v3.Drive;

/**
 * gaxios loads node-fetch through a dynamic import, which Jest's CommonJS runtime cannot run: the clients are given
 * Node's own fetch instead (gaxios' documented fetchImplementation option). Nothing else about them changes.
 */
const transport = { fetchImplementation: fetch };

/** The parts of a client error a test compares (a GaxiosError also holds its request config, headers and all). */
function errorOf(error: unknown): Record<string, unknown> {
  const e = error as {
    status?: number;
    code?: unknown;
    message?: string;
    cause?: unknown;
    response?: Response & { data?: unknown };
  };
  return {
    status: e.status,
    code: e.code,
    message: e.message,
    cause: e.cause,
    data: e.response?.data,
    retryAfter: e.response?.headers.get('retry-after') ?? undefined,
  };
}

function oauthClient(target: RunningSandbox, options: { forceRefreshOnFailure?: boolean } = {}): OAuth2Client {
  return new OAuth2Client({
    ...options,
    transporterOptions: transport,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    redirectUri: REDIRECT,
    endpoints: {
      oauth2AuthBaseUrl: `${target.url}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${target.url}/token`,
      oauth2RevokeUrl: `${target.url}/revoke`,
    },
  });
}

function clientsFor(target: RunningSandbox): { cal: calendar_v3.Calendar; drv: drive_v3.Drive; auth: OAuth2Client } {
  const auth = oauthClient(target);
  const issued = target.control.issueToken();
  // With expiry_date known (as after getToken) the client does not take a 403 for an expired token and refresh.
  auth.setCredentials({
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expiry_date: issued.expiresAt,
  });
  const rootUrl = `${target.url}/`;
  return {
    cal: calendar({ version: 'v3', auth, rootUrl, ...transport }),
    drv: drive({ version: 'v3', auth, rootUrl, ...transport }),
    auth,
  };
}

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startGoogleSandbox({ records: SEEDED });
  ({ cal, drv } = clientsFor(sandbox));
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.stop();
});

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

describe('Google push channels judged by the clients and the push notification reference', () => {
  const header = (request: { headers: Record<string, string | string[] | undefined> }, name: string) =>
    request.headers[name.toLowerCase()] as string | undefined;
  const channelsOf = (id: string) => receiver.received.filter((request) => header(request, 'X-Goog-Channel-ID') === id);

  it('events.watch opens a channel: a sync message, then one per change with the X-Goog-* headers; channels.stop ends it', async () => {
    const expiration = Date.now() + 3_600_000;
    const { data: channel } = await cal.events.watch({
      calendarId: 'primary',
      requestBody: {
        id: 'official-calendar-channel',
        type: 'web_hook',
        address: `${receiver.url}/api/webhooks/google`,
        token: CHANNEL_TOKEN,
        expiration: String(expiration),
      },
    });
    expect(channel).toMatchObject({
      kind: 'api#channel',
      id: 'official-calendar-channel',
      resourceId: expect.any(String),
      resourceUri: expect.stringContaining('/calendar/v3/calendars/primary/events'),
      token: CHANNEL_TOKEN,
      expiration: String(expiration),
    });
    await sandbox.control.flushWebhooks();
    const { data: page } = await cal.events.list({ calendarId: 'primary', maxResults: 1 });
    await cal.events.patch({ calendarId: 'primary', eventId: page.items![0]!.id!, requestBody: { summary: 'Pushed' } });
    await sandbox.control.flushWebhooks();

    const messages = channelsOf('official-calendar-channel');
    expect(messages.map((m) => [header(m, 'X-Goog-Resource-State'), header(m, 'X-Goog-Message-Number')])).toEqual([
      ['sync', '1'],
      ['exists', '2'],
    ]);
    for (const message of messages) {
      expect(message.method).toBe('POST');
      expect(message.body.length).toBe(0);
      expect(header(message, 'X-Goog-Channel-Token')).toBe(CHANNEL_TOKEN);
      expect(header(message, 'X-Goog-Resource-ID')).toBe(channel.resourceId);
      expect(header(message, 'X-Goog-Resource-URI')).toBe(channel.resourceUri);
      // RFC 1123 date, as the reference shows (e.g. "Fri, 04 Jan 2030 12:00:00 GMT").
      expect(Date.parse(header(message, 'X-Goog-Channel-Expiration')!)).toBe(Math.floor(expiration / 1000) * 1000);
    }
    const asReceived = (message: (typeof messages)[number]) =>
      requestOf(
        message.body,
        Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)])),
        [CHANNEL_TOKEN],
        Date.now(),
      );
    expect(verifyGoogleChannel(asReceived(messages[0]!))).toMatchObject({
      ok: true,
      outcome: { kind: 'channel_sync' },
    });
    expect(verifyGoogleChannel(asReceived(messages[1]!))).toMatchObject({
      ok: true,
      deliveryId: 'official-calendar-channel:2',
      outcome: { kind: 'event' },
    });
    expect(parseGoogleEvents(asReceived(messages[1]!))).toMatchObject({
      ok: true,
      events: [{ kind: 'incremental', entity: 'events' }],
    });

    const stopped = await cal.channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } });
    expect(stopped.status).toBe(204);
    await cal.events.patch({ calendarId: 'primary', eventId: page.items![0]!.id!, requestBody: { summary: 'Quiet' } });
    await sandbox.control.flushWebhooks();
    expect(channelsOf('official-calendar-channel')).toHaveLength(2);
    const unknown = await cal.channels
      .stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } })
      .catch(errorOf);
    expect(unknown).toMatchObject({ status: 404, cause: { errors: [{ reason: 'notFound' }] } });
  });

  it('changes.watch opens a Drive channel from a page token; its change messages say "change"; channels.stop ends it', async () => {
    const { data: start } = await drv.changes.getStartPageToken({});
    const { data: channel } = await drv.changes.watch({
      pageToken: start.startPageToken!,
      requestBody: {
        id: 'official-drive-channel',
        type: 'web_hook',
        address: `${receiver.url}/api/webhooks/google`,
        token: CHANNEL_TOKEN,
      },
    });
    expect(channel).toMatchObject({
      kind: 'api#channel',
      id: 'official-drive-channel',
      resourceId: expect.any(String),
      expiration: expect.stringMatching(/^\d+$/),
    });
    await drv.files.create({ requestBody: { name: 'Watched' } });
    await sandbox.control.flushWebhooks();
    const messages = channelsOf('official-drive-channel');
    expect(messages.map((m) => header(m, 'X-Goog-Resource-State'))).toEqual(['sync', 'change']);
    expect(header(messages[1]!, 'X-Goog-Resource-URI')).toContain('/drive/v3/changes');
    expect(
      (await drv.channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } })).status,
    ).toBe(204);
    await drv.files.create({ requestBody: { name: 'Unwatched' } });
    await sandbox.control.flushWebhooks();
    expect(channelsOf('official-drive-channel')).toHaveLength(2);
  });
});

describe('Google rate limits and OAuth judged by the clients', () => {
  it('surfaces 403 userRateLimitExceeded / rateLimitExceeded and 429 (with Retry-After) in the published shape', async () => {
    for (const variant of ['userRateLimitExceeded', 'rateLimitExceeded'] as const) {
      sandbox.control.injectFault({ kind: 'rate_limit', variant, path: '/calendar/v3/' });
      const refused = await cal.events.list({ calendarId: 'primary', maxResults: 1 }).catch(errorOf);
      expect(refused).toMatchObject({
        status: 403,
        cause: {
          code: 403,
          errors: [
            {
              domain: 'usageLimits',
              reason: variant,
              message: variant === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : 'User Rate Limit Exceeded',
            },
          ],
        },
      });
    }
    sandbox.control.injectFault({ kind: 'rate_limit', retryAfterSeconds: 7, path: '/drive/v3/files' });
    const tooMany = await drv.files.list({ pageSize: 1 }, { retry: false }).catch(errorOf);
    expect(tooMany).toMatchObject({
      status: 429,
      message: 'Rate Limit Exceeded',
      cause: { errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }] },
    });
    expect(tooMany.retryAfter).toBe('7');
    // The client's own retry (on by default for GET) gets through a single 429.
    sandbox.control.injectFault({ kind: 'rate_limit', path: '/drive/v3/files' });
    sandbox.control.resetCalls();
    const { status } = await drv.files.list({ pageSize: 1 });
    expect(status).toBe(200);
    expect(sandbox.control.calls().byStatus).toMatchObject({ 429: 1, 200: 1 });
  });

  it('exchanges a code and refreshes through OAuth2Client (form bodies), by itself on a 401; invalid_grant once revoked', async () => {
    const own = await startGoogleSandbox({ records: 2 });
    try {
      const auth = oauthClient(own);
      const consentUrl = auth.generateAuthUrl({ access_type: 'offline', scope: [CALENDAR_SCOPE, DRIVE_SCOPE] });
      expect(consentUrl.startsWith(`${own.url}/o/oauth2/v2/auth?`)).toBe(true);
      const consent = await fetch(consentUrl, { redirect: 'manual' });
      expect(consent.status).toBe(302);
      const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
      const { tokens } = await auth.getToken(code);
      expect(tokens).toMatchObject({
        access_token: expect.stringMatching(/^ya29\./),
        refresh_token: expect.stringMatching(/^1\/\/0g/),
        token_type: 'Bearer',
        scope: `${CALENDAR_SCOPE} ${DRIVE_SCOPE}`,
        expiry_date: expect.any(Number),
      });
      auth.setCredentials(tokens);
      const ownCal = calendar({ version: 'v3', auth, rootUrl: `${own.url}/`, ...transport });
      expect((await ownCal.events.list({ calendarId: 'primary' })).status).toBe(200);
      const refreshed: string[] = [];
      auth.on('tokens', (next) => refreshed.push(next.access_token ?? ''));
      // An access token past its expiry_date is refreshed before the call.
      auth.setCredentials({ ...auth.credentials, expiry_date: Date.now() - 1000 });
      expect((await ownCal.events.list({ calendarId: 'primary' })).status).toBe(200);
      expect(refreshed).toHaveLength(1);
      expect(refreshed[0]).not.toBe(tokens.access_token);
      // Google keeps the refresh token: a refresh answer carries none, the client keeps the one it had.
      expect(auth.credentials.refresh_token).toBe(tokens.refresh_token);

      // A token the server ended early meets 401; a client told to refresh on failure does so and retries.
      const eager = oauthClient(own, { forceRefreshOnFailure: true });
      eager.setCredentials({ ...auth.credentials });
      own.control.expireAccessTokens();
      const eagerCal = calendar({ version: 'v3', auth: eager, rootUrl: `${own.url}/`, ...transport });
      const unauthorized = await ownCal.events.list({ calendarId: 'primary' }).catch(errorOf);
      expect(unauthorized).toMatchObject({ status: 401, cause: { errors: [{ reason: 'authError' }] } });
      expect((await eagerCal.events.list({ calendarId: 'primary' })).status).toBe(200);

      own.control.revokeRefreshTokens();
      const revoked = oauthClient(own);
      revoked.setCredentials({ refresh_token: tokens.refresh_token });
      const failure = await revoked.getAccessToken().catch(errorOf);
      expect(failure).toMatchObject({
        status: 400,
        data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
      });
    } finally {
      await own.stop();
    }
  });
});
