/**
 * The official Google clients judge the Google sandbox's push channels (events.watch, changes.watch,
 * channels.stop, with the X-Goog-* headers Google's push notification reference documents, checked by our channel
 * verifier), its 403 / 429 rate-limit answers in Google's error shape, and its OAuth endpoints through
 * google-auth-library's OAuth2Client (code exchange, refresh with a form body, invalid_grant once revoked).
 */
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import type { drive_v3 } from '@googleapis/drive';
import { startGoogleSandbox } from '../../dev/sandboxes/google';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { verifyGoogleChannel } from '../../shared/webhooks/verify/google/channel';
import { parseGoogleEvents } from '../../shared/webhooks/verify/google/events';
import { requestOf } from '../webhooks/helpers';
import { clientsFor, errorOf, oauthClient, transport } from './support/google-clients';
import { startReceiver } from './support/recording-proxy';

const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
const CHANNEL_TOKEN = 'channel-token-0f3e';

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let cal: calendar_v3.Calendar;
let drv: drive_v3.Drive;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startGoogleSandbox({ records: 20 });
  ({ cal, drv } = clientsFor(sandbox));
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.stop();
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
    expect(tooMany).toMatchObject({ retryAfter: '7' });
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
