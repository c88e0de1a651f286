/**
 * The Google sandbox: Calendar v3 events (sync tokens, 410 fullSyncRequired, If-Match), Drive v3 files and
 * changes, the oauth2.googleapis.com token endpoint, push channels with X-Goog-* headers, Google error bodies
 * and faults. A rate_limit fault answers 429 (with Retry-After when it names one), or 403 with the fault's
 * variant as reason (rateLimitExceeded / userRateLimitExceeded); a server_error fault with status 410 answers
 * fullSyncRequired. Options.extra: syncTokenTtlMs (default 7 days). With webhookUrl, a channel on the primary
 * calendar is opened at start with webhookSecret as its token. Tokens carry the scopes their authorize request
 * named and calls outside them answer 403 insufficientPermissions (scopes.ts). Pub/Sub pushes with Google-signed
 * OIDC tokens come from googleSandboxPubSub(sandbox), its keys at /oauth2/v3/certs and /oauth2/v1/certs (pubsub.ts).
 */
import { Router } from '../common/router';
import { startSandboxServer, type SandboxBehaviour } from '../common/server';
import { TokenStore } from '../common/tokens';
import type { RunningSandbox, SandboxOptions, SandboxRecords } from '../common/types';
import { addCalendarRoutes } from './calendar-routes';
import { CalendarStore } from './calendar-store';
import { PushChannels, type ChannelView } from './channels';
import { addChannelRoutes } from './channel-routes';
import { addDriveRoutes } from './drive-routes';
import { DriveStore } from './drive-store';
import { addGoogleOAuth } from './oauth-routes';
import { PubSubPusher } from './pubsub';
import { GrantedScopes } from './scopes';
import { fullSyncRequired, googleError } from './wire';

const DEFAULT_RECORDS = 100_000;
const TOKEN_TTL_MS = 3600_000;
const PRIMARY = 'primary';
/** The primary calendar also answers to its owner's address, as on Google. */
export const SANDBOX_CALENDAR_OWNER = 'sandbox@example.com';

function recordsOf(calendar: CalendarStore, drive: DriveStore): SandboxRecords {
  const check = (entity: string): 'events' | 'files' => {
    if (entity !== 'events' && entity !== 'files') throw new Error(`unknown Google entity ${entity}`);
    return entity;
  };
  const inOneHour = () => {
    const start = Date.now() + 3600_000;
    return {
      start: { dateTime: new Date(start).toISOString() },
      end: { dateTime: new Date(start + 1_800_000).toISOString() },
    };
  };
  return {
    entities: () => ['events', 'files'],
    count: (entity) => (check(entity) === 'events' ? calendar.count() : drive.count()),
    get: (entity, id) => (check(entity) === 'events' ? calendar.get(id) : drive.get(id)),
    create: (entity, fields) =>
      check(entity) === 'events'
        ? calendar.insert({ summary: 'Sandbox event', ...inOneHour(), ...fields })
        : drive.create({ name: 'Sandbox file', ...fields }),
    update: (entity, id, fields) => {
      if (check(entity) === 'files')
        return drive.update(id, fields ?? { name: `${String(drive.get(id)?.name ?? '')} (edited)` });
      const current = calendar.get(id);
      return current
        ? calendar.patch(id, fields ?? { summary: `${String(current.summary ?? '')} (edited)` })
        : undefined;
    },
    remove: (entity, id) => (check(entity) === 'events' ? calendar.cancel(id) !== undefined : drive.remove(id)),
  };
}

const CHANNELS = new WeakMap<RunningSandbox, PushChannels>();
const PUBSUB = new WeakMap<RunningSandbox, PubSubPusher>();

/** The live push channels of a running Google sandbox, with their tokens (for tests of what an app opened). */
export function googleSandboxChannels(sandbox: RunningSandbox): ChannelView[] {
  return CHANNELS.get(sandbox)?.live() ?? [];
}

/** The Pub/Sub push sender of a running Google sandbox (signs with the keys its /oauth2/v3/certs publishes). */
export function googleSandboxPubSub(sandbox: RunningSandbox): PubSubPusher {
  const pusher = PUBSUB.get(sandbox);
  if (!pusher) throw new Error('not a running Google sandbox');
  return pusher;
}

export async function startGoogleSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const extra = options.extra ?? {};
  const records = options.records ?? DEFAULT_RECORDS;
  const seed = options.seed ?? 1;
  // extra.now: the push channels' clock (epoch ms), for tests that move time to reach channel expirations.
  const channels = new PushChannels(typeof extra.now === 'function' ? (extra.now as () => number) : Date.now);
  const calendar = new CalendarStore(PRIMARY, records, seed, () => channels.notify(PRIMARY, 'exists'));
  const drive = new DriveStore(records, seed, () => channels.notify('drive', 'exists'));
  const tokens = new TokenStore({
    accessTokenTtlMs: options.accessTokenTtlMs ?? TOKEN_TTL_MS,
    accessPrefix: 'ya29.',
    refreshPrefix: '1//0g',
    rotateRefreshTokens: false,
    revokeAccessOnRefresh: false,
  });
  const router = new Router();
  const grants = new GrantedScopes();
  addGoogleOAuth(router, tokens, grants);
  const calendars = (id: string) => (id === PRIMARY || id === SANDBOX_CALENDAR_OWNER ? calendar : undefined);
  addCalendarRoutes(router, calendars, channels, {
    syncTokenTtlMs: typeof extra.syncTokenTtlMs === 'number' ? extra.syncTokenTtlMs : 7 * 86_400_000,
    ownerEmail: SANDBOX_CALENDAR_OWNER,
  });
  addChannelRoutes(router, channels);
  addDriveRoutes(router, drive, grants);
  const pubsub = new PubSubPusher();
  pubsub.addRoutes(router);

  const behaviour: SandboxBehaviour = {
    provider: 'google',
    router,
    records: recordsOf(calendar, drive),
    tokens,
    webhooks: channels,
    // A call the token's scopes do not cover is refused before the route runs, as Google does.
    beforeRoute: (ctx) => grants.check(ctx),
    unauthorized: () =>
      googleError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        { headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } },
      ),
    notFound: () => googleError(404, 'notFound', 'Not Found'),
    invalidJson: () => googleError(400, 'parseError', 'Parse Error'),
    rateLimited: (fault) => {
      const headers =
        fault.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(fault.retryAfterSeconds) };
      if (fault.variant === 'rateLimitExceeded' || fault.variant === 'userRateLimitExceeded') {
        return googleError(
          403,
          fault.variant,
          fault.variant === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : 'User Rate Limit Exceeded',
          { domain: 'usageLimits', headers },
        );
      }
      return googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', { domain: 'usageLimits', headers });
    },
    serverError: (status) =>
      status === 410
        ? fullSyncRequired()
        : googleError(
            status,
            'backendError',
            status === 503 ? 'The service is currently unavailable.' : 'Backend Error',
          ),
  };
  const running = await startSandboxServer(behaviour, options.port ?? 0);
  if (options.webhookUrl)
    channels.open(
      PRIMARY,
      {
        id: 'sandbox-channel',
        address: options.webhookUrl,
        ...(options.webhookSecret !== undefined ? { token: options.webhookSecret } : {}),
      },
      running.url,
    );
  CHANNELS.set(running, channels);
  PUBSUB.set(running, pubsub);
  return running;
}
