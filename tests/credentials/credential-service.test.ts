/**
 * The credential service over the local store: the nine types validate, metadata carries no secret,
 * webhook secret rotation keeps the previous secret for the overlap window, and the expiry report.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialService } from '../../shared/credentials/credential-service';
import { LocalSecretStore } from '../../shared/credentials/local-store';
import { CREDENTIAL_TYPES, type CredentialRef } from '../../shared/credentials/types';
import { SAMPLE_CREDENTIALS } from './support/fixtures';
import { isAppError } from '../../shared/core/app-error';

const DAY = 86_400_000;
const ref = (name: string, integrationId = 'int-1'): CredentialRef => ({ tenantId: 'tenant-a', integrationId, name });

function service(clock?: () => Date): CredentialService {
  const dir = mkdtempSync(join(tmpdir(), 'credsvc-'));
  return new CredentialService({
    store: new LocalSecretStore({ filePath: join(dir, 'secrets.enc'), keyFilePath: join(dir, 'secrets.key') }),
    clock,
  });
}

describe('credential service', () => {
  it('accepts each of the nine types and returns metadata without secret values', async () => {
    const svc = service();
    const samples = SAMPLE_CREDENTIALS();
    expect(Object.keys(samples).sort()).toEqual([...CREDENTIAL_TYPES].sort());
    for (const [type, input] of Object.entries(samples)) {
      const metadata = await svc.put(ref(type), input);
      expect(metadata).toMatchObject({ type, status: 'active', ref: ref(type) });
      expect(metadata.version).toMatch(/\S/);
      const text = JSON.stringify(metadata);
      for (const secret of ['sample-', 'PRIVATE KEY']) expect(text).not.toContain(secret);
    }
    const listed = await svc.list({ tenantId: 'tenant-a' });
    expect(listed).toHaveLength(9);
    expect(JSON.stringify(listed)).not.toContain('sample-');
    // A PEM certificate's notAfter becomes its expiry.
    const cert = listed.find((m) => m.type === 'certificate')!;
    expect(Date.parse(cert.expiresAt!) - Date.now()).toBeGreaterThan(19 * DAY);
  });

  it('rejects invalid credentials with a validation error that names the field, not the value', async () => {
    const error = await service()
      .put(ref('x'), { type: 'basic_auth', username: 'has:colon-secretish', password: '' })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('validation');
    expect((error as Error).message).toMatch(/username/);
    expect((error as Error).message).not.toContain('has:colon-secretish');
  });

  it('rejects references outside the safe alphabet', async () => {
    const error = await service()
      .put({ tenantId: 'a/b', integrationId: 'i', name: 'n' }, { type: 'api_key', key: 'k' })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('validation');
  });

  it('keeps tenants apart: list filters by tenant and integration', async () => {
    const svc = service();
    await svc.put({ tenantId: 'tenant-a', integrationId: 'i1', name: 'k' }, { type: 'api_key', key: 'ka' });
    await svc.put({ tenantId: 'tenant-b', integrationId: 'i1', name: 'k' }, { type: 'api_key', key: 'kb' });
    expect((await svc.list({ tenantId: 'tenant-b' })).map((m) => m.ref.tenantId)).toEqual(['tenant-b']);
    expect(await svc.list({ tenantId: 'tenant-a', integrationId: 'i2' })).toEqual([]);
  });

  it('a new put is a new version and keeps createdAt; delete hides it', async () => {
    const svc = service();
    const first = await svc.put(ref('k'), { type: 'api_key', key: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await svc.put(ref('k'), { type: 'api_key', key: 'two' });
    expect(second.version).not.toBe(first.version);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.rotatedAt > first.rotatedAt).toBe(true);
    expect(await svc.delete(ref('k'))).toBe(true);
    expect(await svc.metadata(ref('k'))).toBeUndefined();
  });

  it('webhook secret rotation: the previous secret stays valid for the overlap window only', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const svc = new CredentialService({ store: service().store, clock: () => now, cacheTtlMs: 0 });
    await svc.setWebhookSecret(ref('hook'), 'whsec-one', 0);
    expect(await svc.webhookSecrets(ref('hook'))).toEqual(['whsec-one']);
    await svc.setWebhookSecret(ref('hook'), 'whsec-two', 10 * 60_000);
    expect(await svc.webhookSecrets(ref('hook'))).toEqual(['whsec-two', 'whsec-one']);
    now = new Date(now.getTime() + 10 * 60_000 - 1);
    expect(await svc.webhookSecrets(ref('hook'))).toEqual(['whsec-two', 'whsec-one']);
    now = new Date(now.getTime() + 2);
    expect(await svc.webhookSecrets(ref('hook'))).toEqual(['whsec-two']);
    await svc.setWebhookSecret(ref('hook'), 'whsec-three', 0);
    expect(await svc.webhookSecrets(ref('hook'))).toEqual(['whsec-three']);
  });

  it('refuses to turn another credential type into a webhook secret', async () => {
    const svc = service();
    await svc.put(ref('k'), { type: 'api_key', key: 'k' });
    const error = await svc.setWebhookSecret(ref('k'), 's', 1000).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('conflict');
  });

  it('expiry report: 30/7/1-day warnings, expired, too old, needs_reauth', async () => {
    const base = new Date('2026-03-01T00:00:00Z');
    let now = base;
    const svc = new CredentialService({ store: service().store, clock: () => now });
    const at = (days: number): string => new Date(base.getTime() + days * DAY).toISOString();
    await svc.put(ref('in20'), { type: 'api_key', key: 'a', expiresAt: at(20) });
    await svc.put(ref('in5'), { type: 'bearer_token', token: 'b', expiresAt: at(5) });
    await svc.put(ref('in-half'), { type: 'custom', values: {}, expiresAt: at(0.5) });
    await svc.put(ref('gone'), { type: 'api_key', key: 'c', expiresAt: at(-1) });
    await svc.put(ref('far'), { type: 'api_key', key: 'd', expiresAt: at(90) });
    now = new Date(base.getTime() - 400 * DAY);
    await svc.put(ref('old'), { type: 'basic_auth', username: 'u', password: 'p' });
    now = base;
    await svc.put(ref('oauth'), {
      type: 'oauth2_authorization_code',
      provider: 'google',
      tokenEndpoint: 'http://127.0.0.1:9/t',
      clientId: 'c',
      accessToken: 'x',
    });
    await svc.markNeedsReauth(ref('oauth'), 'invalid_grant');

    const report = await svc.expiryReport(base);
    const byName = (name: string) =>
      report
        .filter((f) => f.ref.name === name)
        .map((f) => (f.kind === 'expiring' ? `expiring:${f.warningDays}` : f.kind));
    expect(byName('in20')).toEqual(['expiring:30']);
    expect(byName('in5')).toEqual(['expiring:7']);
    expect(byName('in-half')).toEqual(['expiring:1']);
    expect(byName('gone')).toEqual(['expired']);
    expect(byName('far')).toEqual([]);
    expect(byName('old')).toEqual(['too_old']);
    expect(byName('oauth')).toEqual(['needs_reauth']);
    expect((await svc.metadata(ref('gone')))?.status).toBe('expired');
  });
});
