/** The Notion adapter against the Notion sandbox: the shared contract suite plus Notion-only behaviour. */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AdapterContext } from '../../shared/adapters/contract';
import { notionAdapterFactory, refreshNotionToken } from '../../shared/adapters/notion';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { notionIds, startNotionSandbox } from '../../dev/sandboxes/notion';
import { readAll, runAdapterContract } from './contract-suite';

const SEED = 7;
const dataSourceId = notionIds(SEED).dataSourceId;

runAdapterContract('notion', {
  factory: notionAdapterFactory,
  start: (options) => startNotionSandbox({ ...options, seed: SEED }),
  adapterOptions: () => ({ dataSourceId }),
  entity: 'pages',
  refresh: (sandbox, refreshToken, signal) =>
    refreshNotionToken({
      baseUrl: sandbox.url,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      refreshToken,
      timeoutMs: 5000,
      signal,
    }),
  createData: (tag) => ({
    Name: tag,
    Status: 'In progress',
    Priority: 2,
    Due: '2026-01-31',
    Done: false,
    Tags: ['sync'],
  }),
  updateData: (tag) => ({ Name: tag }),
  invalidCreateData: () => ({ Name: 'bad', Priority: 'very high' }),
  missingId: () => '0f0f0f0f-0000-4000-8000-000000000000',
  tagOf: (raw) =>
    ((raw.properties as Record<string, { title?: { plain_text: string }[] }>).Name?.title ?? [])
      .map((part) => part.plain_text)
      .join(''),
  isDeletedInSandbox: (raw) => raw?.in_trash === true,
  signalsOnSuccess: false,
});

describe('notion adapter specifics', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const context = (extra: Partial<AdapterContext> = {}): AdapterContext => ({
    baseUrl: sandbox.url,
    options: { dataSourceId },
    requestTimeoutMs: 5000,
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    ...extra,
  });

  afterEach(() => sandbox.stop());

  it('flattens properties to plain values and describes their Notion types', async () => {
    sandbox = await startNotionSandbox({ records: 3, seed: SEED });
    token = sandbox.control.issueToken().accessToken;
    const adapter = notionAdapterFactory.create(context());
    const catalog = await adapter.discover();
    const fields = Object.fromEntries(catalog.entities[0]!.fields.map((field) => [field.name, field]));
    expect(fields.Status).toMatchObject({ type: 'string', providerType: 'select', writable: true });
    expect(fields.Done).toMatchObject({ type: 'boolean', providerType: 'checkbox' });
    const { records } = await readAll(adapter, 'pages', undefined, 10);
    const data = records[0]!.data;
    expect(typeof data.Name).toBe('string');
    expect(['Not started', 'In progress', 'Done']).toContain(data.Status);
    expect(typeof data.Priority).toBe('number');
    expect(typeof data.Done).toBe('boolean');
    expect(Array.isArray(data.Tags)).toBe(true);
  });

  it('is rate limited at about 3 requests/s after a burst, with Retry-After', async () => {
    sandbox = await startNotionSandbox({ records: 3, seed: SEED, extra: { requestsPerSecond: 3, burst: 4 } });
    token = sandbox.control.issueToken().accessToken;
    const adapter = notionAdapterFactory.create(context());
    for (let i = 0; i < 4; i += 1) await adapter.connect();
    await expect(adapter.connect()).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
  });

  it('maps 529 service_overload to transient', async () => {
    sandbox = await startNotionSandbox({ records: 3, seed: SEED });
    token = sandbox.control.issueToken().accessToken;
    sandbox.control.injectFault({ kind: 'server_error', status: 529 });
    await expect(notionAdapterFactory.create(context()).connect()).rejects.toMatchObject({
      code: 'transient',
      details: { providerCode: 'service_overload' },
    });
  });

  it('refreshes with HTTP Basic client auth; a wrong client secret is a configuration error', async () => {
    sandbox = await startNotionSandbox({ records: 3, seed: SEED });
    const { refreshToken } = sandbox.control.issueToken();
    const base = { baseUrl: sandbox.url, clientId: SANDBOX_CLIENT.clientId, refreshToken, timeoutMs: 5000 };
    await expect(refreshNotionToken({ ...base, clientSecret: 'wrong' })).rejects.toMatchObject({
      code: 'configuration',
      retryable: false,
    });
    const fresh = await refreshNotionToken({ ...base, clientSecret: SANDBOX_CLIENT.clientSecret });
    expect(fresh.refreshToken).not.toBe(refreshToken); // rotated
    await expect(refreshNotionToken({ ...base, clientSecret: SANDBOX_CLIENT.clientSecret })).rejects.toMatchObject({
      code: 'auth_revoked',
    });
  });

  it('requires the Notion-Version header', async () => {
    sandbox = await startNotionSandbox({ records: 3, seed: SEED });
    token = sandbox.control.issueToken().accessToken;
    const response = await fetch(`${sandbox.url}/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ object: 'error', code: 'missing_version' });
  });

  it('sends the verification token once, then signs page events with it', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      sandbox = await startNotionSandbox({
        records: 3,
        seed: SEED,
        webhookUrl: `http://127.0.0.1:${port}/hook`,
        webhookSecret: 'secret_abc',
      });
      token = sandbox.control.issueToken().accessToken;
      const [outcome] = await notionAdapterFactory
        .create(context())
        .push({ entity: 'pages', operations: [{ kind: 'create', idempotencyKey: 'w', data: { Name: 'hooked' } }] });
      await sandbox.control.flushWebhooks();
      expect(JSON.parse(received[0]!.body)).toEqual({ verification_token: 'secret_abc' });
      const event = received[1]!;
      const expected = `sha256=${createHmac('sha256', 'secret_abc').update(event.body).digest('hex')}`;
      expect(event.headers['x-notion-signature']).toBe(expected);
      expect(JSON.parse(event.body)).toMatchObject({
        type: 'page.created',
        entity: { id: outcome!.ok ? outcome!.id : '', type: 'page' },
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
