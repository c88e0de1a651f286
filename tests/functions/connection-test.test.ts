/**
 * "Test connection" and the catalog (issue 18 §5) through the real AdminApi handler against the GitHub and Notion
 * sandboxes and the local stores: a working integration passes every check with the provider's answer time; a
 * missing, expired or refused credential and a missing provider option each fail their own check with a reason;
 * no answer and no log line carries the token; the catalog is the adapter's discovery (Notion's read from the
 * data source's schema); another tenant's integration answers 404.
 */
import { adminApi } from '../../functions/AdminApi';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { notionIds, startNotionSandbox } from '../../dev/sandboxes/notion';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { newIntegration, type CreateIntegrationBody } from '../../shared/core/integration';
import type { CatalogView, ConnectionTestResponse } from '../../shared/admin/contracts/run-controls';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

jest.setTimeout(60_000);

const TENANT = 't-conn';
const SEED = 11;
let t: TestServices;
let github: RunningSandbox;
let notion: RunningSandbox;
const tokens: string[] = [];

beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000' });
  github = await startGithubSandbox({ records: 2, extra: { repositories: ['acme/widgets'] } });
  notion = await startNotionSandbox({ records: 2, seed: SEED });
});
afterAll(async () => {
  await github?.stop();
  await notion?.stop();
  await t?.services.close();
});

async function admin<T = any>(method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as T };
}

async function integration(
  id: string,
  sandbox: RunningSandbox,
  body: Omit<CreateIntegrationBody, 'name' | 'baseUrl'>,
  /** null: no credential. */
  token: string | null = sandbox.control.issueToken({ expiresInMs: 3600_000 }).accessToken,
  tenantId = TENANT,
) {
  const created = await t.services.integrations.create(
    newIntegration(tenantId, id, { ...body, name: id, baseUrl: sandbox.url }, { intervalMinutes: 60 }, new Date()),
  );
  if (token) {
    tokens.push(token);
    await t.services.credentials.service.put(credentialRef(created, 'api'), { type: 'bearer_token', token });
  }
  return created;
}

const check = (result: ConnectionTestResponse, name: string) => result.checks.find((c) => c.name === name);
const GITHUB = {
  provider: 'github' as const,
  entities: ['issues'],
  providerOptions: { repositories: ['acme/widgets'] },
};

describe('POST …/integrations/{id}/test', () => {
  it('passes every check of a working integration and reports the provider’s answer time', async () => {
    await integration('gh-good', github, GITHUB);
    const { status, body } = await admin<ConnectionTestResponse>('POST', `tenants/${TENANT}/integrations/gh-good/test`);
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.latencyMs).toEqual(expect.any(Number));
    expect(body.checks.map((c) => c.name)).toEqual([
      'credential',
      'provider_options',
      'base_url',
      'token',
      'provider_reachable',
      'scopes',
    ]);
    for (const c of body.checks) expect(c).toEqual({ name: c.name, ok: true, message: expect.any(String) });
  });

  it('fails the credential check without a credential, and does not call the provider', async () => {
    await integration('gh-none', github, GITHUB, null);
    const calls = github.control.calls().total;
    const { body } = await admin<ConnectionTestResponse>('POST', `tenants/${TENANT}/integrations/gh-none/test`);
    expect(body.ok).toBe(false);
    expect(check(body, 'credential')).toMatchObject({ ok: false, message: expect.stringContaining('no credential') });
    expect(check(body, 'token')).toMatchObject({ ok: false });
    expect(github.control.calls().total).toBe(calls);
  });

  it('fails the token check when the provider refuses the token, naming no secret', async () => {
    await integration('gh-refused', github, GITHUB, 'ghp_not-a-token-the-sandbox-issued-0123456789');
    const { body } = await admin<ConnectionTestResponse>('POST', `tenants/${TENANT}/integrations/gh-refused/test`);
    expect(body.ok).toBe(false);
    expect(check(body, 'credential')).toMatchObject({ ok: true });
    expect(check(body, 'token')).toMatchObject({ ok: false });
    expect(check(body, 'provider_reachable')).toMatchObject({ ok: false });
  });

  it('fails the provider options check when the adapter lacks what it needs', async () => {
    await integration('gh-no-repos', github, { provider: 'github', entities: ['issues'] });
    const { body } = await admin<ConnectionTestResponse>('POST', `tenants/${TENANT}/integrations/gh-no-repos/test`);
    expect(body.ok).toBe(false);
    expect(check(body, 'provider_options')).toMatchObject({
      ok: false,
      message: expect.stringContaining('repositories'),
    });
  });

  it('answers 404 for another tenant’s integration and never shows a token in answers or logs', async () => {
    await integration('gh-foreign', github, GITHUB, null, 't-conn-other');
    expect((await admin('POST', `tenants/${TENANT}/integrations/gh-foreign/test`)).status).toBe(404);
    expect((await admin('GET', `tenants/${TENANT}/integrations/gh-foreign/catalog`)).status).toBe(404);
    const answers = JSON.stringify([
      (await admin('POST', `tenants/${TENANT}/integrations/gh-good/test`)).body,
      (await admin('POST', `tenants/${TENANT}/integrations/gh-refused/test`)).body,
    ]);
    const logs = t.logLines.join('\n');
    for (const token of tokens) {
      expect(answers).not.toContain(token);
      expect(logs).not.toContain(token);
    }
  });
});

describe('GET …/integrations/{id}/catalog', () => {
  it('answers the adapter’s entities and fields (GitHub)', async () => {
    const { status, body } = await admin<CatalogView>('GET', `tenants/${TENANT}/integrations/gh-good/catalog`);
    expect(status).toBe(200);
    expect(body.provider).toBe('github');
    const issues = body.entities.find((entity) => entity.name === 'issues');
    expect(issues?.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'title', type: 'string' })]),
    );
  });

  it('reads Notion’s fields from the data source’s schema at the provider', async () => {
    await integration('notion-1', notion, {
      provider: 'notion',
      providerOptions: { dataSourceId: notionIds(SEED).dataSourceId },
    });
    const { status, body } = await admin<CatalogView>('GET', `tenants/${TENANT}/integrations/notion-1/catalog`);
    expect(status).toBe(200);
    expect(body.provider).toBe('notion');
    const [pages] = body.entities;
    expect(pages?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ providerType: 'title', required: true }),
        expect.objectContaining({ name: 'lastEditedTime', type: 'datetime' }),
      ]),
    );
  });

  it('answers 409 naming the credential when none is set', async () => {
    expect(await admin('GET', `tenants/${TENANT}/integrations/gh-none/catalog`)).toMatchObject({
      status: 409,
      body: { error: { target: 'credential' } },
    });
  });
});
