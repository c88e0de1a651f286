/**
 * What a provider's token answer says about the grant, through the local host's real connect flow against the
 * sandboxes: Salesforce's instance_url is stored at connect, is the API base of an integration without one,
 * is followed when a refresh names another instance, and is refused when it names a host that is no Salesforce
 * instance. Google's scopes follow the integration's direction; a read-only grant is refused before any push
 * request; a pushed Drive delete trashes the file unless the integration opted into permanent deletes.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { credentialRef } from '../../shared/app/integration-credentials';
import { createAdapterFor } from '../../shared/sync/adapter-factory';
import type { SalesforceSandbox } from '../../dev/sandboxes/salesforce';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';

jest.setTimeout(60_000);

const SCOPE = 'https://www.googleapis.com/auth';

let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: '5' }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('warn').logger },
  });
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });

const sandboxOf = <T extends RunningSandbox = RunningSandbox>(provider: string): T =>
  host.demo!.sandboxes.find((sandbox) => sandbox.control.provider === provider)! as T;

async function createIntegration(body: Record<string, unknown>): Promise<string> {
  const created = await admin('tenants/acme/integrations', { method: 'POST', body: JSON.stringify(body) });
  expect(created.status).toBe(201);
  return (await created.json()).id;
}

async function start(id: string): Promise<URL> {
  const started = await admin(`tenants/acme/integrations/${id}/oauth/start`, { method: 'POST' });
  expect(started.status).toBe(200);
  return new URL((await started.json()).authorizeUrl);
}

/** Consent (the sandbox grants what was asked) and the callback as the browser sends it. */
async function connect(id: string): Promise<Response> {
  const answer = await fetch(await start(id), { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const redirect = new URL(answer.headers.get('location')!);
  return fetch(`${host.url}${redirect.pathname}${redirect.search}`);
}

async function storedGrant(id: string) {
  const read = await host.services.credentials.service.read(credentialRef({ tenantId: 'acme', id }, 'api'), {
    fresh: true,
  });
  if (read?.doc.credential.type !== 'oauth2_authorization_code') return undefined;
  return read.doc.credential;
}

const integrationOf = async (id: string) => (await host.services.integrations.get('acme', id))!;

describe('Salesforce instance_url', () => {
  it('is stored at connect and is the API base of an integration that names none', async () => {
    const salesforce = sandboxOf<SalesforceSandbox>('salesforce');
    const id = await createIntegration({ provider: 'salesforce', name: 'sf instance', entities: ['Account'] });
    expect((await connect(id)).status).toBe(200);
    expect((await storedGrant(id))?.instanceUrl).toBe(salesforce.url);
    const integration = await integrationOf(id);
    expect(integration.baseUrl).toBeUndefined();
    const page = await createAdapterFor(host.services)(integration).fetchChanges({ entity: 'Account', pageSize: 3 });
    expect(page.records).toHaveLength(3);
  });

  it('is followed when a refresh names another instance: the next request goes to the new host', async () => {
    const salesforce = sandboxOf<SalesforceSandbox>('salesforce');
    const id = await createIntegration({ provider: 'salesforce', name: 'sf moved', entities: ['Account'] });
    expect((await connect(id)).status).toBe(200);
    const adapter = createAdapterFor(host.services)(await integrationOf(id));
    await adapter.fetchChanges({ entity: 'Account', pageSize: 2 });

    const moved = await salesforce.moveInstance();
    const before = salesforce.instanceCalls();
    const outcome = await host.services.credentials.refresher.refreshOne(
      credentialRef({ tenantId: 'acme', id }, 'api'),
      {
        force: true,
      },
    );
    expect(outcome).toMatchObject({ outcome: 'refreshed', by: 'self' });
    expect((await storedGrant(id))?.instanceUrl).toBe(moved);

    // The same adapter object: the base URL is read per request, not fixed when it was built.
    const page = await adapter.fetchChanges({ entity: 'Account', pageSize: 2 });
    expect(page.records).toHaveLength(2);
    const after = salesforce.instanceCalls();
    expect(after[moved]!).toBeGreaterThan(before[moved] ?? 0);
    // The old instance answered the token request only (the token endpoint lives on the login host).
    expect(after[salesforce.url]! - before[salesforce.url]!).toBe(1);
  });

  it('refuses a token answer that names a host that is no Salesforce instance, at refresh and at connect', async () => {
    const salesforce = sandboxOf<SalesforceSandbox>('salesforce');
    const id = await createIntegration({ provider: 'salesforce', name: 'sf foreign', entities: ['Account'] });
    expect((await connect(id)).status).toBe(200);
    const kept = (await storedGrant(id))!.instanceUrl;
    const tokenBefore = (await storedGrant(id))!.accessToken;

    salesforce.nameInstance('https://org.attacker.example');
    try {
      const outcome = await host.services.credentials.refresher.refreshOne(
        credentialRef({ tenantId: 'acme', id }, 'api'),
        { force: true },
      );
      // The tokens are kept (the refresh may have spent the old refresh token); the instance is not followed.
      expect(outcome).toMatchObject({ outcome: 'refreshed', refusedInstanceHost: 'org.attacker.example' });
      const after = await storedGrant(id);
      expect(after?.instanceUrl).toBe(kept);
      expect(after?.accessToken).not.toBe(tokenBefore);

      const other = await createIntegration({ provider: 'salesforce', name: 'sf foreign connect' });
      const page = await connect(other);
      expect(page.status).toBe(502);
      expect(await page.text()).toContain('org.attacker.example');
      expect(await storedGrant(other)).toBeUndefined();
    } finally {
      salesforce.nameInstance(salesforce.url);
    }
  });
});

describe('Google scopes by direction, pushes under a read-only grant, Drive deletes', () => {
  const scopesAsked = async (direction: string): Promise<string[]> => {
    const id = await createIntegration({ provider: 'google', name: `google ${direction}`, direction });
    return (await start(id)).searchParams.get('scope')!.split(' ');
  };

  it('asks read-only scopes for inbound, drive.file for outbound, drive for two-way', async () => {
    expect((await scopesAsked('inbound')).sort()).toEqual([`${SCOPE}/calendar.readonly`, `${SCOPE}/drive.readonly`]);
    expect((await scopesAsked('outbound')).sort()).toEqual([
      `${SCOPE}/calendar.events`,
      `${SCOPE}/calendar.readonly`,
      `${SCOPE}/drive.file`,
    ]);
    expect((await scopesAsked('bidirectional')).sort()).toEqual([
      `${SCOPE}/calendar.events`,
      `${SCOPE}/calendar.readonly`,
      `${SCOPE}/drive`,
    ]);
  });

  it('refuses a push under a read-only grant before any request, naming the missing scope', async () => {
    const google = sandboxOf('google');
    const id = await createIntegration({
      provider: 'google',
      name: 'google read-only',
      entities: ['files'],
      baseUrl: google.url,
    });
    expect((await connect(id)).status).toBe(200);
    expect((await storedGrant(id))?.scopes.sort()).toEqual([`${SCOPE}/calendar.readonly`, `${SCOPE}/drive.readonly`]);
    const adapter = createAdapterFor(host.services)(await integrationOf(id));
    const calls = google.control.calls().total;
    const [outcome] = await adapter.push({
      entity: 'files',
      operations: [{ kind: 'create', idempotencyKey: 'ro-1', data: { name: 'nope.txt' } }],
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden', retryable: false } });
    expect(!outcome!.ok && outcome!.error.message).toContain(`${SCOPE}/drive.file`);
    expect(google.control.calls().total).toBe(calls);
    // Reads work under the same grant.
    expect((await adapter.fetchChanges({ entity: 'files', pageSize: 2 })).records.length).toBeGreaterThan(0);
  });

  it('trashes a pushed Drive delete; permanentDeletes deletes it for good; a bad option is a 400', async () => {
    const google = sandboxOf('google');
    const id = await createIntegration({
      provider: 'google',
      name: 'google two-way',
      direction: 'bidirectional',
      entities: ['files'],
      baseUrl: google.url,
    });
    expect((await connect(id)).status).toBe(200);
    const pushOne = async (operation: Record<string, unknown>) => {
      const adapter = createAdapterFor(host.services)(await integrationOf(id));
      const [outcome] = await adapter.push({ entity: 'files', operations: [operation as never] });
      if (!outcome?.ok) throw new Error(`push failed: ${JSON.stringify(outcome)}`);
      return outcome;
    };
    const created = await pushOne({ kind: 'create', idempotencyKey: 'c1', data: { name: 'kept.txt' } });
    await pushOne({ kind: 'delete', idempotencyKey: 'd1', id: created.id });
    expect(google.control.records.get('files', created.id)).toMatchObject({ trashed: true });

    const bad = await admin(`tenants/acme/integrations/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ providerOptions: { permanentDeletes: 'yes' } }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ target: 'providerOptions.permanentDeletes' });

    const optIn = await admin(`tenants/acme/integrations/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ providerOptions: { permanentDeletes: true } }),
    });
    expect(optIn.status).toBe(200);
    const second = await pushOne({ kind: 'create', idempotencyKey: 'c2', data: { name: 'gone.txt' } });
    await pushOne({ kind: 'delete', idempotencyKey: 'd2', id: second.id });
    expect(google.control.records.get('files', second.id)).toBeUndefined();
  });
});
