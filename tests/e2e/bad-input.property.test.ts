/**
 * Random ids and bodies against every admin route (enumerated from the router) and the webhook route, sent as
 * raw HTTP to the real local host so the path is decoded exactly as served: nothing answers 5xx, and nothing
 * is stored (no integration, shard, run, conflict, notification document, credential or queued message).
 */
import fc from 'fast-check';
import { request as httpRequest, Agent, type Server } from 'node:http';
import { FUNCTIONS } from '../../functions/manifest';
import type { HttpFunction } from '../../functions/definition';
import { createAdminRouter } from '../../shared/admin/api/admin-api';
import { CONTAINERS, type ContainerKey } from '../../shared/stores/documents/cosmos/containers';
import type { CosmosDatabase } from '../../shared/stores/documents/cosmos/cosmos-client';
import { openTestDatabase } from '../support/cosmos-database';
import { QUEUES } from '../../shared/stores/queue/queues';
import { createHttpHost } from '../../hosts/local/http-host';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

const ADMIN_LIMIT = 64 * 1024;
let t: TestServices;
/** The services' database, opened on its own to count what is stored in every container. */
let database: CosmosDatabase;
let server: Server;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const statuses = new Map<number, number>();

beforeAll(async () => {
  t = await createTestServices({
    ADMIN_MAX_BODY_BYTES: String(ADMIN_LIMIT),
    WEBHOOK_MAX_BODY_BYTES: String(ADMIN_LIMIT),
    ADMIN_TENANT_RATE_PER_S: '100000',
    WEBHOOK_TENANT_RATE_PER_S: '100000',
    REDIS_KEY_PREFIX: `bip${Date.now()}:`,
  });
  database = await openTestDatabase(t.settings);
  server = createHttpHost(
    FUNCTIONS.filter((f): f is HttpFunction => f.trigger === 'http'),
    t.services,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  // One real integration, so random bodies also reach the routes' validation behind the id lookups.
  const created = await send(
    'POST',
    '/api/admin/tenants/acme/integrations',
    JSON.stringify({ provider: 'github', name: 'probe', providerOptions: { repositories: ['acme/widgets'] } }),
  );
  expect(created.status).toBe(201);
  existingId = (JSON.parse(created.body) as { id: string }).id;
  // With its webhook secret: without one the endpoint answers 500 by design (our configuration, not the sender's).
  expect(
    (
      await send(
        'PUT',
        `/api/admin/tenants/acme/integrations/${existingId}/webhook-secret`,
        JSON.stringify({ secret: 'probe-webhook-secret-0123456789' }),
      )
    ).status,
  ).toBe(200);
});
afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.services.close();
  database.dispose();
  // For the report: how the random requests were answered.
  process.stdout.write(
    `bad-input statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`,
  );
});

let existingId = '';

function send(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    // The host may refuse an oversized body and close before it is all written.
    request.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: 413, body: '' }) : reject(error),
    );
    request.end(body);
  });
}

/** What is stored, by count: every document container but the webhook receipt log, credentials and queues. */
async function storedCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const key of Object.keys(CONTAINERS) as ContainerKey[]) {
    if (key === 'webhookDeliveries') continue; // rejected deliveries are counted there by design (endpoint health)
    // The audit trail records every admin write answered 2xx, idempotent ones that change nothing included (a DELETE
    // of what is already gone): activity-admin.test.ts checks what it records.
    if (key === 'activity') continue;
    const { resources } = await database.containers[key].items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
    counts[key] = resources[0] ?? 0;
  }
  counts.credentials = (await t.services.credentials.service.list()).length;
  counts.inbound = t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);
  counts.outbound = t.services.embeddedQueue!.depth(QUEUES.syncOutbound.name);
  return counts;
}

/** A path segment as a client would send it: random text encoded, or a hand-made nasty form sent raw. */
const segment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('acme', 'demo', 'github', 'run-1', 'cf-0', 'nc-1', '__proto__', 'constructor')
      .map((id) => id),
  },
  { weight: 1, arbitrary: fc.constant('EXISTING') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'a%20b',
      'a%5Cb',
      'a%23b',
      'a%2Fb',
      'a%252Fb',
      '%ZZ',
      '%',
      'a%',
      '%C3%28',
      '%00',
      '..',
      '%2e%2e',
      '.',
      'a\\b',
      'x'.repeat(300),
      '%E2%80%AE',
      'a;b',
      "a'b",
      'a"b',
      '%7B%7D',
      'a:b@c',
    ),
  },
);

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(
      fc.constantFrom(
        'provider',
        'name',
        'type',
        'url',
        'baseUrl',
        'mode',
        'choices',
        'ids',
        'tenant',
        '__proto__',
        'constructor',
        'entities',
        'schedule',
        'mapping',
        'fields',
      ),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 65, max: 100_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 65, max: 30_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.constant(''),
  fc.constant('x'.repeat(ADMIN_LIMIT + 1)),
);

const ADMIN_ROUTES = createAdminRouter().list();

describe('bad input at the HTTP edge', () => {
  it('enumerates the admin routes', () => {
    expect(ADMIN_ROUTES.length).toBeGreaterThan(40);
  });

  it('answers the reported cases with 400 naming what is wrong, or 413', async () => {
    const target = async (method: string, path: string, payload?: string) => {
      const answer = await send(method, path, payload);
      return {
        status: answer.status,
        target: answer.body ? (JSON.parse(answer.body) as { error?: { target?: string } }).error?.target : undefined,
      };
    };
    for (const id of ['a%20b', 'a%5Cb', 'a%23b', 'a%252Fb', 'a%2Fb', '%ZZ']) {
      expect({ id, answer: await target('GET', `/api/admin/tenants/acme/integrations/${id}`) }).toEqual({
        id,
        answer: { status: 400, target: 'integrationId' },
      });
    }
    expect(await target('GET', '/api/admin/tenants/acme/%ZZ')).toEqual({ status: 400, target: 'path' });
    expect(
      await target('POST', '/api/admin/tenants/acme/integrations', '['.repeat(30_000) + ']'.repeat(30_000)),
    ).toEqual({ status: 400, target: 'body' });
    expect(
      await target(
        'POST',
        '/api/admin/tenants/acme/notifications/channels',
        JSON.stringify({ type: 'slack_webhook', name: 'x', url: 'not a url' }),
      ),
    ).toEqual({ status: 400, target: 'url' });
    expect(
      (await send('POST', '/api/admin/tenants/acme/integrations', Buffer.alloc(27 * 1024 * 1024, 0x20))).status,
    ).toBe(413);
  });

  it('never answers 5xx on any admin route, and stores nothing', async () => {
    const before = await storedCounts();
    // Every route gets its own runs, so none is left to chance.
    for (const route of ADMIN_ROUTES) {
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: 4, maxLength: 4 }), body, async (ids, payload) => {
          let index = 0;
          const path = route.pattern.replace(/:\w+/g, () => {
            const id = ids[index++ % ids.length]!;
            // A DELETE of the real integration would be a valid request; it stays for the other runs.
            return id === 'EXISTING' ? (route.method === 'DELETE' ? 'gone-1' : existingId) : id;
          });
          const answer = await send(
            route.method,
            `/api/admin/${path}`,
            route.method === 'GET' || route.method === 'DELETE' ? undefined : payload,
          );
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect({
            route: `${route.method} ${path}`,
            payload: payload.slice(0, 80),
            status: answer.status < 500 ? 'not 5xx' : answer,
          }).toEqual({ route: `${route.method} ${path}`, payload: payload.slice(0, 80), status: 'not 5xx' });
        }),
        { numRuns: 12 },
      );
    }
    expect(await storedCounts()).toEqual(before);
  }, 180_000);

  it('never answers 5xx on the webhook route, and stores nothing', async () => {
    const before = await storedCounts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('github', 'slack', 'salesforce', 'notion', 'google', 'generic', 'x%ZZ', '..', 'a%2Fb'),
        segment,
        body,
        fc.dictionary(
          fc.constantFrom(
            'x-hub-signature-256',
            'x-github-delivery',
            'x-github-event',
            'x-slack-signature',
            'x-slack-request-timestamp',
            'webhook-id',
            'webhook-signature',
            'webhook-timestamp',
            'authorization',
          ),
          fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
        ),
        async (provider, id, payload, headers) => {
          const path = `/api/webhooks/${provider}/${id === 'EXISTING' ? existingId : id}`;
          const answer = await send('POST', path, payload, headers);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect({ path, status: answer.status < 500 ? 'not 5xx' : answer }).toEqual({ path, status: 'not 5xx' });
        },
      ),
      { numRuns: 400 },
    );
    expect(await storedCounts()).toEqual(before);
  }, 120_000);
});
