/**
 * The platform's OAuth client registration per provider (client id and secret, optional endpoint overrides),
 * kept in the secret store like every other secret. Operators set it once per provider through the admin API.
 */
import { z } from 'zod';
import type { ProviderId } from '../../core/providers';
import type { Credentials, CredentialRef } from '..';
import { OAUTH_PROVIDERS, type ProviderOAuthFacts } from './providers';

export const oauthAppSchema = z
  .object({
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000),
    /** Overrides of the provider's public endpoints (a sandbox, a Salesforce My Domain). */
    authorizeUrl: z.url().optional(),
    tokenUrl: z.url().optional(),
    scopes: z.array(z.string().min(1)).max(50).optional(),
  })
  .strict();

export type OAuthAppInput = z.infer<typeof oauthAppSchema>;

export interface OAuthApp extends ProviderOAuthFacts {
  clientId: string;
  clientSecret: string;
  /** The scopes the operator registered with the app, when any: these win over the provider's defaults. */
  registeredScopes?: string[];
}

const PLATFORM_TENANT = '_platform';

function appRef(provider: ProviderId): CredentialRef {
  return { tenantId: PLATFORM_TENANT, integrationId: provider, name: 'oauth-app' };
}

export async function saveOAuthApp(credentials: Credentials, provider: ProviderId, app: OAuthAppInput): Promise<void> {
  const values: Record<string, string> = { clientId: app.clientId, clientSecret: app.clientSecret };
  if (app.authorizeUrl) values.authorizeUrl = app.authorizeUrl;
  if (app.tokenUrl) values.tokenUrl = app.tokenUrl;
  if (app.scopes) values.scopes = app.scopes.join(' ');
  await credentials.service.put(appRef(provider), { type: 'custom', values });
}

export async function loadOAuthApp(credentials: Credentials, provider: ProviderId): Promise<OAuthApp | undefined> {
  const read = await credentials.service.read(appRef(provider));
  if (!read || read.doc.credential.type !== 'custom') return undefined;
  const values = read.doc.credential.values;
  const facts = OAUTH_PROVIDERS[provider];
  return {
    ...facts,
    clientId: values.clientId ?? '',
    clientSecret: values.clientSecret ?? '',
    authorizeUrl: values.authorizeUrl ?? facts.authorizeUrl,
    tokenUrl: values.tokenUrl ?? facts.tokenUrl,
    scopes: values.scopes ? values.scopes.split(' ').filter(Boolean) : facts.scopes,
    ...(values.scopes ? { registeredScopes: values.scopes.split(' ').filter(Boolean) } : {}),
  };
}

/** What may be shown of a registration: everything but the client secret. Undefined when none is stored. */
export async function describeOAuthApp(
  credentials: Credentials,
  provider: ProviderId,
): Promise<
  { clientId: string; authorizeUrl?: string; tokenUrl?: string; scopes?: string[]; updatedAt: string } | undefined
> {
  const read = await credentials.service.read(appRef(provider));
  if (!read || read.doc.credential.type !== 'custom') return undefined;
  const { clientId, authorizeUrl, tokenUrl, scopes } = read.doc.credential.values;
  return {
    clientId: clientId ?? '',
    ...(authorizeUrl ? { authorizeUrl } : {}),
    ...(tokenUrl ? { tokenUrl } : {}),
    ...(scopes ? { scopes: scopes.split(' ').filter(Boolean) } : {}),
    updatedAt: read.doc.updatedAt,
  };
}
