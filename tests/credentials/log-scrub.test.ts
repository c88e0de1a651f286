/**
 * A provider error body that echoes the access token must not put it into a log line: loading the credential
 * registers its secret values, and the logger scrubs them from messages, fields and error messages.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerError } from '../../shared/adapters/http/classify';
import { CredentialService } from '../../shared/credentials/credential-service';
import { LocalSecretStore } from '../../shared/credentials/local-store';
import { errorResponse } from '../../shared/platform/http/responses';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { knownSecrets } from '../../shared/platform/observability/secret-registry';

const TOKEN = 'gho_echoedAccessToken0123456789abcdef';
const ref = { tenantId: 't-ls', integrationId: 'i-ls', name: 'main' };

afterEach(() => knownSecrets.clear());

it('scrubs an access token echoed in a provider error from every log line, once the credential was loaded', async () => {
  const store = new LocalSecretStore({
    filePath: join(mkdtempSync(join(tmpdir(), 'scrub-')), 's.enc'),
    keyBase64: Buffer.alloc(32, 7).toString('base64'),
  });
  await new CredentialService({ store, cacheTtlMs: 0 }).put(ref, { type: 'bearer_token', token: TOKEN });
  // Another instance, which only loads the credential (a fresh process knows no secrets until it reads them).
  knownSecrets.clear();
  const { logger, lines } = createMemoryLogger();
  const echoed = () =>
    providerError(
      'auth_expired',
      {
        status: 401,
        headers: new Headers(),
        url: 'https://api.github.com/user',
        operation: 'GET /user',
        provider: 'github',
      },
      { message: `Bad credentials: ${TOKEN}` },
    );

  logger.warn('page failed', { error: echoed() });
  expect(lines.join('\n')).toContain(TOKEN);

  const loaded = await new CredentialService({ store, cacheTtlMs: 0 }).require(ref);
  expect(loaded.doc.credential).toMatchObject({ token: TOKEN });
  lines.length = 0;
  logger.warn('page failed', { error: echoed() });
  logger.error(`sync failed: ${echoed().message}`, {
    detail: { providerBody: [`{"message":"Bad credentials: ${TOKEN}"}`] },
  });
  errorResponse(Object.assign(echoed(), { httpStatus: 500 }), logger);
  expect(lines.length).toBe(3);
  expect(lines.join('\n')).not.toContain(TOKEN);
  expect(lines.join('\n')).toContain('Bad credentials: [redacted]');
});
