/**
 * Google grants and Drive deletes against the Google sandbox: the sandbox grants the scopes an authorize request
 * names and refuses calls outside them with Google's 403 insufficientPermissions; files.list lists trashed files
 * unless q excludes them; drive.file sees only the app's files. The adapter refuses a push under a read-only
 * grant before any request, trashes a pushed Drive delete, and deletes for good only with permanentDeletes.
 */
import { googleAdapterFactory } from '../../shared/adapters/google';
import type { AdapterContext, AuthProvider } from '../../shared/adapters/contract';
import { requestToken } from '../../shared/credentials/oauth/token-client';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import { startGoogleSandbox } from '../../dev/sandboxes/google';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';

const S = 'https://www.googleapis.com/auth';
const REDIRECT = 'http://127.0.0.1:9/callback';

let sandbox: RunningSandbox;
beforeEach(async () => {
  sandbox = await startGoogleSandbox({ records: 6 });
});
afterEach(async () => sandbox.stop());

/** The authorization-code flow with the given scopes, through the production token client. */
async function grant(scopes: string[]) {
  const authorize = new URL(`${sandbox.url}/o/oauth2/v2/auth`);
  authorize.search = new URLSearchParams({
    client_id: SANDBOX_CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: scopes.join(' '),
  }).toString();
  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  return requestToken(
    {
      tokenEndpoint: `${sandbox.url}/token`,
      provider: 'google',
      ...SANDBOX_CLIENT,
      clientAuth: 'body',
      params: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
    },
    { timeoutMs: 5000 },
  );
}

const call = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });

function adapter(auth: AuthProvider, options: Record<string, unknown> = {}) {
  const context: AdapterContext = { baseUrl: sandbox.url, options, auth, requestTimeoutMs: 5000 };
  return googleAdapterFactory.create(context);
}

const bearer = (token: string): AuthProvider => ({ headers: async () => ({ authorization: `Bearer ${token}` }) });

describe('the Google sandbox honours scopes', () => {
  it('grants what the authorize request named, and refuses writes to a read-only grant as Google does', async () => {
    const tokens = await grant([`${S}/calendar.readonly`, `${S}/drive.readonly`]);
    expect(tokens.scopes).toEqual([`${S}/calendar.readonly`, `${S}/drive.readonly`]);
    expect((await call(tokens.accessToken, '/drive/v3/files?pageSize=2')).status).toBe(200);
    expect((await call(tokens.accessToken, '/calendar/v3/calendars/primary')).status).toBe(200);

    const write = await call(tokens.accessToken, '/drive/v3/files', {
      method: 'POST',
      body: JSON.stringify({ name: 'x.txt' }),
    });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const body = (await write.json()) as { error: Record<string, any> };
    expect(body.error).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      errors: [{ reason: 'insufficientPermissions', domain: 'global' }],
      details: [{ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }],
    });
    const insert = await call(tokens.accessToken, '/calendar/v3/calendars/primary/events', {
      method: 'POST',
      body: JSON.stringify({ summary: 'x' }),
    });
    expect(insert.status).toBe(403);
    expect(sandbox.control.records.count('files')).toBe(6);
  });

  it('keeps the grant across a refresh, and asks for scopes on authorize', async () => {
    const tokens = await grant([`${S}/drive.readonly`]);
    const refreshed = await requestToken(
      {
        tokenEndpoint: `${sandbox.url}/token`,
        provider: 'google',
        ...SANDBOX_CLIENT,
        clientAuth: 'body',
        params: { grant_type: 'refresh_token', refresh_token: tokens.refreshToken! },
      },
      { timeoutMs: 5000 },
    );
    expect(refreshed.scopes).toEqual([`${S}/drive.readonly`]);
    expect((await call(refreshed.accessToken, '/calendar/v3/calendars/primary')).status).toBe(403);
    const noScope = await fetch(
      `${sandbox.url}/o/oauth2/v2/auth?client_id=${SANDBOX_CLIENT.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code`,
      { redirect: 'manual' },
    );
    expect(noScope.status).toBe(400);
  });

  it('lists trashed files unless q says trashed = false (Drive lists them by default)', async () => {
    const token = sandbox.control.issueToken().accessToken;
    const id = String(sandbox.control.records.create('files', { name: 'bin.txt' }).id);
    sandbox.control.records.update('files', id, { trashed: true });
    const list = async (query: string) =>
      ((await (await call(token, `/drive/v3/files?pageSize=100&fields=*${query}`)).json()) as { files: any[] }).files;
    expect((await list('')).map((file) => file.id)).toContain(id);
    expect((await list(`&q=${encodeURIComponent('trashed = false')}`)).map((file) => file.id)).not.toContain(id);
  });

  it('shows a drive.file grant only the files the app created', async () => {
    const tokens = await grant([`${S}/drive.file`]);
    const seeded = '1sbx0000000001';
    const created = (await (
      await call(tokens.accessToken, '/drive/v3/files', { method: 'POST', body: JSON.stringify({ name: 'mine.txt' }) })
    ).json()) as { id: string };
    const listed = (await (await call(tokens.accessToken, '/drive/v3/files?pageSize=100')).json()) as {
      files: { id: string }[];
    };
    expect(listed.files.map((file) => file.id)).toEqual([created.id]);
    expect((await call(tokens.accessToken, `/drive/v3/files/${seeded}`)).status).toBe(404);
    const trash = await call(tokens.accessToken, `/drive/v3/files/${created.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ trashed: true }),
    });
    expect(trash.status).toBe(200);
  });
});

describe('Google adapter pushes under the grant it holds', () => {
  it('refuses a push under a read-only grant before any request, naming the scope it needs', async () => {
    const tokens = await grant([`${S}/calendar.readonly`, `${S}/drive.readonly`]);
    const auth: AuthProvider = { ...bearer(tokens.accessToken), grant: async () => ({ scopes: tokens.scopes }) };
    sandbox.control.resetCalls();
    const outcomes = await adapter(auth).push({
      entity: 'files',
      operations: [
        { kind: 'create', idempotencyKey: 'a', data: { name: 'a.txt' } },
        { kind: 'delete', idempotencyKey: 'b', id: '1sbx0000000001' },
      ],
    });
    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden', retryable: false } });
      expect(!outcome.ok && outcome.error.message).toContain(`${S}/drive.file`);
    }
    const [event] = await adapter(auth).push({
      entity: 'events',
      operations: [{ kind: 'create', idempotencyKey: 'c', data: { summary: 'x' } }],
    });
    expect(!event!.ok && event!.error.message).toContain(`${S}/calendar.events`);
    expect(sandbox.control.calls().total).toBe(0);
  });

  it('pushes when the grant holds a write scope, and when the scopes are unknown', async () => {
    const tokens = await grant([`${S}/calendar.readonly`, `${S}/drive.file`]);
    const auth: AuthProvider = { ...bearer(tokens.accessToken), grant: async () => ({ scopes: tokens.scopes }) };
    const [created] = await adapter(auth).push({
      entity: 'files',
      operations: [{ kind: 'create', idempotencyKey: 'a', data: { name: 'a.txt' } }],
    });
    expect(created).toMatchObject({ ok: true });
    const [unknown] = await adapter(bearer(sandbox.control.issueToken().accessToken)).push({
      entity: 'files',
      operations: [{ kind: 'create', idempotencyKey: 'b', data: { name: 'b.txt' } }],
    });
    expect(unknown).toMatchObject({ ok: true });
  });

  it('moves a deleted file to the trash (files.update) unless permanentDeletes is on (files.delete)', async () => {
    const auth = bearer(sandbox.control.issueToken().accessToken);
    const [first, second] = ['1sbx0000000001', '1sbx0000000002'];
    sandbox.control.resetCalls();
    const [trashed] = await adapter(auth).push({
      entity: 'files',
      operations: [{ kind: 'delete', idempotencyKey: 't', id: first }],
    });
    expect(trashed).toMatchObject({ ok: true, id: first });
    expect(sandbox.control.records.get('files', first)).toMatchObject({ trashed: true });
    expect(sandbox.control.calls().byRoute).toEqual({ 'PATCH /drive/v3/files/:fileId': 1 });

    sandbox.control.resetCalls();
    const [gone] = await adapter(auth, { permanentDeletes: true }).push({
      entity: 'files',
      operations: [{ kind: 'delete', idempotencyKey: 'p', id: second }],
    });
    expect(gone).toMatchObject({ ok: true, id: second });
    expect(sandbox.control.records.get('files', second)).toBeUndefined();
    expect(sandbox.control.calls().byRoute).toEqual({ 'DELETE /drive/v3/files/:fileId': 1 });

    // Deleting again is the same end state either way.
    const again = await adapter(auth).push({
      entity: 'files',
      operations: [
        { kind: 'delete', idempotencyKey: 't2', id: first },
        { kind: 'delete', idempotencyKey: 'p2', id: second },
      ],
    });
    expect(again.map((outcome) => outcome.ok)).toEqual([true, true]);
  });
});
