/**
 * Entra ID sign-in to Redis (shared/stores/kv/redis/entra-*.ts) against a private redis-server with ACL users, the way
 * Azure Managed Redis sees it: the user is the identity's object id, the password an access token. Only the
 * token source stands in for Entra ID (Azure cannot run here); it hands out passwords that the test rotates
 * on the server, revoking the old one, with lifetimes of about a second so renewals happen during the test.
 */
import Redis from 'ioredis';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { startRedisServer } from '../support/redis-server';
import { eventually } from '../support/eventually';
import { createRedisClient } from '../../shared/stores/kv/redis/redis-client';
import { REDIS_ENTRA_SCOPE } from '../../shared/stores/kv/redis/entra-token';
import { parseSettings } from '../../shared/config/settings';

jest.setTimeout(30_000);

const OID = '6f1c2b7e-0d4a-4e55-9a51-3c2f4b1d9e07';

/** Stands in for the managed identity: whatever password the test says, valid for `lifetimeMs`. */
class RotatingTokens implements TokenCredential {
  password = 'P1-first-token';
  lifetimeMs = 1500;
  failure: Error | undefined;
  readonly scopes: string[] = [];

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...[scopes].flat());
    if (this.failure) throw this.failure;
    return { token: this.password, expiresOnTimestamp: Date.now() + this.lifetimeMs };
  }
}

let server: Awaited<ReturnType<typeof startRedisServer>>;
let admin: Redis;
const clients: Redis[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.settings.REDIS_URL!);
  // As in Managed Redis with access keys off: no anonymous default user, one ACL user per identity.
  await admin.call('ACL', 'SETUSER', 'admin', 'on', '>admin-password', '~*', '&*', '+@all');
  await admin.auth('admin', 'admin-password');
  await admin.call('ACL', 'SETUSER', 'default', 'off');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await admin.call('ACL', 'DELUSER', OID);
  await admin.call('ACL', 'LOG', 'RESET');
});

afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

function entraClient(tokens: TokenCredential, user: string | undefined = OID): Redis {
  const client = createRedisClient(server.settings.REDIS_URL!, {
    entra: { credential: tokens, user, retryMinMs: 50, retryMaxMs: 200 },
  });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

async function authCalls(): Promise<{ calls: number; failed: number }> {
  const info = await admin.info('commandstats');
  const line = /cmdstat_auth:calls=(\d+).*?failed_calls=(\d+)/.exec(info);
  return { calls: Number(line?.[1] ?? 0), failed: Number(line?.[2] ?? 0) };
}

async function aclFailures(): Promise<unknown[]> {
  return (await admin.call('ACL', 'LOG')) as unknown[];
}

/** INCR every 10 ms until stopped; every failure is kept with its message. */
function steadyLoad(client: Redis): { succeeded(): number; stop(): Promise<{ ok: number; failures: string[] }> } {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      await client.incr('entra:load').then(
        () => ok++,
        (error: Error) => failures.push(error.message),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    succeeded: () => ok,
    stop: async () => {
      running = false;
      await loop;
      return { ok, failures };
    },
  };
}

it('keeps every command succeeding across a token rotation that revokes the old token, and reconnects with the new one', async () => {
  const tokens = new RotatingTokens();
  await admin.call('ACL', 'SETUSER', OID, 'on', `>${tokens.password}`, '~*', '&*', '+@all');
  const client = entraClient(tokens);
  expect(await client.call('ACL', 'WHOAMI')).toBe(OID);
  const connectionId = await client.client('ID');
  const load = steadyLoad(client);

  // Rotation: the server takes P2 and no longer P1 (revoked); the token source hands out P2 from now on.
  const before = await authCalls();
  await admin.call('ACL', 'SETUSER', OID, '>P2-rotated-token', '<P1-first-token');
  tokens.password = 'P2-rotated-token';
  // The renewal (75% of ~1.5 s) sends AUTH with P2 on the live connection: same connection, one more AUTH,
  // and no refused AUTH (a stale P1 would be refused and logged).
  await eventually(
    async () => ((await authCalls()).calls > before.calls ? true : undefined),
    'AUTH with the renewed token on the live connection',
    5000,
  );
  expect(await client.client('ID')).toBe(connectionId);
  expect((await authCalls()).failed).toBe(0);
  expect(await aclFailures()).toEqual([]);
  // Commands ran before the rotation and go on after the re-AUTH (counts, not rates: the machine may be busy).
  const atReauth = load.succeeded();
  expect(atReauth).toBeGreaterThan(0);
  await eventually(() => (load.succeeded() >= atReauth + 5 ? true : undefined), 'commands after the re-AUTH', 5000);
  const acrossRotation = await load.stop();
  expect(acrossRotation.failures).toEqual([]);

  // A forced reconnect after the rotation signs in with the new token.
  const reconnectLoad = steadyLoad(client);
  await admin.client('KILL', 'ID', String(connectionId));
  const newId = await eventually(
    async () => {
      const id = await client.client('ID').catch(() => undefined);
      return id !== undefined && id !== connectionId ? id : undefined;
    },
    'a new connection',
    5000,
  );
  expect(newId).not.toBe(connectionId);
  expect(await client.call('ACL', 'WHOAMI')).toBe(OID);
  const acrossReconnect = await reconnectLoad.stop();
  expect(acrossReconnect.failures).toEqual([]);
  expect(await aclFailures()).toEqual([]);
  expect(new Set(tokens.scopes)).toEqual(new Set([REDIS_ENTRA_SCOPE]));
});

it('control: a client that keeps its first password is refused after the rotation once it reconnects', async () => {
  await admin.call('ACL', 'SETUSER', OID, 'on', '>P1-first-token', '~*', '&*', '+@all');
  const plain = new Redis(server.settings.REDIS_URL!, {
    username: OID,
    password: 'P1-first-token',
    maxRetriesPerRequest: 1,
    retryStrategy: () => 50,
  });
  const errors: string[] = [];
  plain.on('error', (error: Error) => errors.push(error.message));
  clients.push(plain);
  const connectionId = await plain.client('ID');
  await admin.call('ACL', 'SETUSER', OID, '>P2-rotated-token', '<P1-first-token');
  await admin.client('KILL', 'ID', String(connectionId));
  await eventually(
    () => (errors.some((message) => message.startsWith('WRONGPASS')) ? true : undefined),
    'the refused reconnect',
    5000,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(plain.status).not.toBe('ready');
  expect((await aclFailures()).length).toBeGreaterThan(0);
});

it('signs in after a token that had expired: the reconnect fetches a new token before AUTH', async () => {
  const tokens = new RotatingTokens();
  tokens.lifetimeMs = 400;
  await admin.call('ACL', 'SETUSER', OID, 'on', `>${tokens.password}`, '~*', '&*', '+@all');
  const client = entraClient(tokens);
  const connectionId = await client.client('ID');
  // Entra ID is unreachable long enough for the token to expire; meanwhile the password is rotated.
  tokens.failure = new Error('ManagedIdentityCredential: the identity endpoint did not answer');
  await new Promise((resolve) => setTimeout(resolve, 600));
  await admin.call('ACL', 'SETUSER', OID, '>P3-after-outage', '<P1-first-token');
  tokens.password = 'P3-after-outage';
  tokens.failure = undefined;
  await admin.client('KILL', 'ID', String(connectionId));
  await eventually(
    () =>
      client.ping().then(
        () => true,
        () => undefined,
      ),
    'the client back on a new connection',
    5000,
  );
  expect(await client.call('ACL', 'WHOAMI')).toBe(OID);
});

it('takes the user name from the oid claim of a JWT access token when REDIS_ENTRA_USER is unset', async () => {
  const tokens = new RotatingTokens();
  const claims = Buffer.from(JSON.stringify({ aud: 'https://redis.azure.com', oid: OID })).toString('base64url');
  tokens.password = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2lnbmF0dXJl`;
  await admin.call('ACL', 'SETUSER', OID, 'on', `>${tokens.password}`, '~*', '&*', '+@all');
  const client = entraClient(tokens, undefined);
  expect(await client.call('ACL', 'WHOAMI')).toBe(OID);
});

it('fails commands with an error naming Redis Entra ID authentication when no token can be obtained, and recovers', async () => {
  const tokens = new RotatingTokens();
  tokens.failure = new Error('ManagedIdentityCredential: no managed identity endpoint found');
  await admin.call('ACL', 'SETUSER', OID, 'on', `>${tokens.password}`, '~*', '&*', '+@all');
  const client = entraClient(tokens);
  const errors: Error[] = [];
  client.on('error', (error: Error) => errors.push(error));

  const failure = await client.ping().then(
    () => undefined,
    (error: Error) => error,
  );
  expect(failure?.message).toMatch(
    /^Redis Entra ID authentication failed: could not get an access token for https:\/\/redis\.azure\.com\/\.default \(ManagedIdentityCredential: no managed identity endpoint found\)$/,
  );
  expect(failure).toMatchObject({ code: 'dependency_unavailable', retryable: true });
  expect(errors.some((error) => error.message.startsWith('Redis Entra ID authentication failed'))).toBe(true);

  tokens.failure = undefined;
  await eventually(
    () =>
      client.ping().then(
        () => true,
        () => undefined,
      ),
    'sign-in once a token can be had',
    5000,
  );
  expect(await client.call('ACL', 'WHOAMI')).toBe(OID);
});

describe('settings', () => {
  it('entra mode needs a TLS REDIS_URL without a password (loopback excepted for TLS)', () => {
    expect(
      parseSettings({
        REDIS_AUTH_MODE: 'entra',
        REDIS_URL: 'rediss://c.westeurope.redis.azure.net:10000',
        REDIS_ENTRA_USER: OID,
      }).redis,
    ).toEqual({
      url: 'rediss://c.westeurope.redis.azure.net:10000',
      keyPrefix: 'ise:',
      auth: { mode: 'entra', user: OID },
    });
    expect(parseSettings({ REDIS_AUTH_MODE: 'entra', REDIS_URL: 'redis://127.0.0.1:6379' }).redis.auth).toEqual({
      mode: 'entra',
      user: undefined,
    });
    expect(() => parseSettings({ REDIS_AUTH_MODE: 'entra' })).toThrow(
      'Invalid setting REDIS_URL: is required when REDIS_AUTH_MODE=entra',
    );
    expect(() =>
      parseSettings({ REDIS_AUTH_MODE: 'entra', REDIS_URL: 'redis://c.westeurope.redis.azure.net:10000' }),
    ).toThrow('Invalid setting REDIS_URL: must be rediss://');
    expect(() =>
      parseSettings({ REDIS_AUTH_MODE: 'entra', REDIS_URL: 'rediss://:key@c.westeurope.redis.azure.net:10000' }),
    ).toThrow('Invalid setting REDIS_URL: must not carry a user or password');
    expect(parseSettings({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis.auth).toEqual({ mode: 'url' });
  });
});
