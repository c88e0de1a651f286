/**
 * Salesforce names the org's instance in every token answer (instance_url). Against the Salesforce sandbox: a
 * refresh stores the instance the answer names and an adapter whose base URL comes from the grant sends its next
 * request there; an answer naming a host that is no Salesforce instance is refused (logged, reported in the
 * outcome) and the stored instance kept, together with the new tokens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentials, type Credentials } from '../../shared/credentials/create-credentials';
import { LocalSecretStore } from '../../shared/credentials/local-store';
import type { CredentialRef } from '../../shared/credentials/types';
import { salesforceAdapterFactory } from '../../shared/adapters/salesforce';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../dev/sandboxes/salesforce';
import { captureLogger } from './support/fixtures';

const ref: CredentialRef = { tenantId: 't', integrationId: 'sf', name: 'default' };
let sandbox: SalesforceSandbox;
let credentials: Credentials;
let logger: ReturnType<typeof captureLogger>;

beforeEach(async () => {
  sandbox = await startSalesforceSandbox({ records: 5 });
  logger = captureLogger();
  credentials = createCredentials({
    store: new LocalSecretStore({
      filePath: join(mkdtempSync(join(tmpdir(), 'sf-instance-')), 's.enc'),
      keyBase64: Buffer.alloc(32, 5).toString('base64'),
    }),
    cacheTtlMs: 0,
    logger,
  });
  const issued = sandbox.control.issueToken();
  await credentials.service.put(ref, {
    type: 'oauth2_authorization_code',
    provider: 'salesforce',
    tokenEndpoint: `${sandbox.url}/services/oauth2/token`,
    ...SANDBOX_CLIENT,
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    scopes: ['api', 'refresh_token'],
    instanceUrl: sandbox.url,
  });
});
afterEach(async () => sandbox.stop());

const stored = async () => {
  const read = await credentials.service.read(ref, { fresh: true });
  return read?.doc.credential.type === 'oauth2_authorization_code' ? read.doc.credential : undefined;
};

/** An adapter built the way the adapter factory builds one for an integration without a baseUrl. */
function adapterFromGrant() {
  const auth = credentials.authProvider(ref);
  return salesforceAdapterFactory.create({
    baseUrl: '',
    resolveBaseUrl: async (signal) => (await auth.grant(signal)).instanceUrl!,
    options: {},
    auth,
    requestTimeoutMs: 5000,
  });
}

it('stores the instance a refresh names and sends the next request there', async () => {
  const adapter = adapterFromGrant();
  await adapter.fetchChanges({ entity: 'Account', pageSize: 2 });
  const moved = await sandbox.moveInstance();
  expect(await credentials.refresher.refreshOne(ref, { force: true })).toMatchObject({ outcome: 'refreshed' });
  expect((await stored())?.instanceUrl).toBe(moved);
  expect(sandbox.instanceCalls()[moved]).toBe(0);
  const page = await adapter.fetchChanges({ entity: 'Account', pageSize: 2 });
  expect(page.records).toHaveLength(2);
  expect(sandbox.instanceCalls()[moved]).toBeGreaterThan(0);
});

it.each([
  ['a host outside Salesforce', 'https://org.attacker.example', 'org.attacker.example'],
  ['a Salesforce login server', 'https://login.salesforce.com', 'login.salesforce.com'],
  ['plain http on a public host', 'http://acme.my.salesforce.com', 'acme.my.salesforce.com'],
])('refuses an instance_url on %s and keeps the stored one with the new tokens', async (_label, named, host) => {
  const before = await stored();
  sandbox.nameInstance(named);
  const outcome = await credentials.refresher.refreshOne(ref, { force: true });
  expect(outcome).toMatchObject({ outcome: 'refreshed', refusedInstanceHost: host });
  const after = await stored();
  expect(after?.instanceUrl).toBe(sandbox.url);
  expect(after?.accessToken).not.toBe(before?.accessToken);
  const line = logger.lines.find((entry) => entry.level === 'error' && entry.fields?.host === host);
  expect(line?.fields).toMatchObject({ provider: 'salesforce', credential: 't/sf/default' });
  expect(logger.text()).not.toContain(after!.accessToken);
});
