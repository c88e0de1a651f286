/** Shared test helpers: OAuth credentials seeded at the token server, one sample of each type, a logger that keeps every line. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialInput } from '../../../shared/credentials/types';
import type { CredentialLogger, LogFields } from '../../../shared/credentials/logger';
import type { TokenServer } from './token-server';

export function oauthCredential(
  server: TokenServer,
  family: string,
  expiresInMs: number,
  extra: Partial<Extract<CredentialInput, { type: 'oauth2_authorization_code' }>> = {},
): CredentialInput {
  return {
    type: 'oauth2_authorization_code',
    provider: 'github',
    tokenEndpoint: server.url,
    clientId: server.options.clientId ?? 'client-1',
    clientSecret: server.options.clientSecret,
    accessToken: `at-initial-${family}`,
    refreshToken: server.seed(family),
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    scopes: ['repo'],
    ...extra,
  };
}

export interface CapturedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

export function captureLogger(): CredentialLogger & { lines: CapturedLine[]; text(): string } {
  const lines: CapturedLine[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
    text: () => lines.map((line) => JSON.stringify(line)).join('\n'),
  };
}

export function selfSignedPem(days: number): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      '/CN=client',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
}

/** One credential of each type; every secret value contains "sample-" so leak scans can look for it. */
export const SAMPLE_CREDENTIALS = (): Record<string, CredentialInput> => {
  const pem = selfSignedPem(20);
  return {
    oauth2_authorization_code: {
      type: 'oauth2_authorization_code',
      provider: 'github',
      tokenEndpoint: 'http://127.0.0.1:9/token',
      clientId: 'c',
      clientSecret: 'sample-client-secret-1',
      accessToken: 'sample-access-token-1',
      refreshToken: 'sample-refresh-token-1',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
    oauth2_client_credentials: {
      type: 'oauth2_client_credentials',
      tokenEndpoint: 'http://127.0.0.1:9/token',
      clientId: 'c',
      clientSecret: 'sample-client-secret-2',
      scopes: ['a'],
    },
    jwt_bearer: {
      type: 'jwt_bearer',
      tokenEndpoint: 'http://127.0.0.1:9/token',
      privateKeyPem: 'sample-private-key-3',
      assertion: {
        flow: 'salesforce',
        clientId: 'consumer',
        username: 'u@example.com',
        audience: 'https://login.salesforce.com',
      },
    },
    api_key: { type: 'api_key', key: 'sample-api-key-4' },
    bearer_token: { type: 'bearer_token', token: 'sample-bearer-5' },
    basic_auth: { type: 'basic_auth', username: 'user', password: 'sample-password-6' },
    webhook_secret: { type: 'webhook_secret', secret: 'sample-webhook-secret-7' },
    certificate: { type: 'certificate', material: { format: 'pem', certificatePem: pem.cert, privateKeyPem: pem.key } },
    custom: { type: 'custom', values: { token: 'sample-custom-8' }, headers: { 'X-Custom-Token': 'token' } },
  };
};
