/**
 * The nine credential types as zod schemas (a discriminated union on `type`), the credential reference
 * (tenant, integration, name) and the metadata shape that may leave the library (API responses, reports).
 * The stored document carries secret material; `CredentialMetadata` never does.
 */
import { z } from 'zod';

const isoDate = z.iso.datetime({ offset: true });
const secretString = z.string().min(1);
const url = z.url();

/** How the client authenticates at a token endpoint (RFC 6749 §2.3.1): HTTP Basic or form fields. */
const clientAuth = z.enum(['basic', 'body']).default('body');

export const oauth2AuthorizationCodeSchema = z.object({
  type: z.literal('oauth2_authorization_code'),
  /** Provider id (github, slack, …) or any label; used in logs and reports only. */
  provider: z.string().min(1),
  tokenEndpoint: url,
  clientId: z.string().min(1),
  clientSecret: secretString.optional(),
  clientAuth,
  accessToken: secretString,
  refreshToken: secretString.optional(),
  tokenType: z.string().default('Bearer'),
  /** Access-token expiry; absent means the provider gave none (e.g. old Notion integrations). */
  expiresAt: isoDate.optional(),
  refreshTokenExpiresAt: isoDate.optional(),
  /** The scopes the token answer granted (a person may grant fewer than asked); empty: not stated. */
  scopes: z.array(z.string()).default([]),
  /**
   * The API host the token answer named for this account (Salesforce `instance_url`), taken only when the
   * outbound address rule allows it for the provider; renewed by every refresh. Not secret.
   */
  instanceUrl: url.optional(),
});

export const oauth2ClientCredentialsSchema = z.object({
  type: z.literal('oauth2_client_credentials'),
  provider: z.string().min(1).optional(),
  tokenEndpoint: url,
  clientId: z.string().min(1),
  clientSecret: secretString,
  clientAuth,
  scopes: z.array(z.string()).default([]),
  audience: z.string().optional(),
  /** When the client secret itself expires (Entra client secrets do). */
  secretExpiresAt: isoDate.optional(),
});

/** Salesforce OAuth 2.0 JWT bearer flow: iss = connected-app consumer key, sub = username. */
const salesforceJwt = z.object({
  flow: z.literal('salesforce'),
  clientId: z.string().min(1),
  username: z.string().min(1),
  /** https://login.salesforce.com, https://test.salesforce.com or the sandbox's URL. */
  audience: z.string().min(1),
});

/** Google service-account key (the JSON key file's fields that matter). */
const googleServiceAccount = z.object({
  flow: z.literal('google_service_account'),
  clientEmail: z.string().min(1),
  privateKeyId: z.string().min(1).optional(),
  scopes: z.array(z.string()).min(1),
  /** Domain-wide delegation: the user to act as. */
  subject: z.string().optional(),
});

export const jwtBearerSchema = z.object({
  type: z.literal('jwt_bearer'),
  tokenEndpoint: url,
  privateKeyPem: secretString,
  /** When the signing key or its certificate must be replaced. */
  keyExpiresAt: isoDate.optional(),
  assertion: z.discriminatedUnion('flow', [salesforceJwt, googleServiceAccount]),
});

export const apiKeySchema = z.object({
  type: z.literal('api_key'),
  key: secretString,
  headerName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .default('x-api-key'),
  /** Put in front of the key, e.g. "Token ". */
  prefix: z.string().default(''),
  expiresAt: isoDate.optional(),
});

export const bearerTokenSchema = z.object({
  type: z.literal('bearer_token'),
  token: secretString,
  expiresAt: isoDate.optional(),
});

export const basicAuthSchema = z.object({
  type: z.literal('basic_auth'),
  username: z
    .string()
    .min(1)
    .refine((value) => !value.includes(':'), 'must not contain ":" (RFC 7617)'),
  password: secretString,
});

export const webhookSecretSchema = z.object({
  type: z.literal('webhook_secret'),
  secret: secretString,
  /** The secret before the last rotation, accepted until previousValidUntil. */
  previousSecret: secretString.optional(),
  previousValidUntil: isoDate.optional(),
});

export const certificateSchema = z.object({
  type: z.literal('certificate'),
  material: z.discriminatedUnion('format', [
    z.object({
      format: z.literal('pem'),
      certificatePem: z.string().min(1),
      privateKeyPem: secretString,
      caPem: z.string().optional(),
    }),
    z.object({ format: z.literal('pfx'), pfxBase64: secretString }),
  ]),
  passphrase: secretString.optional(),
  /** The certificate's notAfter; filled from the PEM when absent. */
  expiresAt: isoDate.optional(),
});

export const customSchema = z.object({
  type: z.literal('custom'),
  values: z.record(z.string(), z.string()),
  /** Header name → key in `values`: these become request headers. */
  headers: z.record(z.string(), z.string()).default({}),
  expiresAt: isoDate.optional(),
});

export const credentialSchema = z.discriminatedUnion('type', [
  oauth2AuthorizationCodeSchema,
  oauth2ClientCredentialsSchema,
  jwtBearerSchema,
  apiKeySchema,
  bearerTokenSchema,
  basicAuthSchema,
  webhookSecretSchema,
  certificateSchema,
  customSchema,
]);

export type Credential = z.infer<typeof credentialSchema>;
/** What callers hand in: defaults (clientAuth, headerName, …) may be left out. */
export type CredentialInput = z.input<typeof credentialSchema>;
export type CredentialType = Credential['type'];
export type CredentialOf<T extends CredentialType> = Extract<Credential, { type: T }>;

export const CREDENTIAL_TYPES = credentialSchema.options.map((option) => option.shape.type.value) as CredentialType[];

/** Ids end up in Key Vault tags and Redis keys: keep them to a safe alphabet. */
const idPart = z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ . : @ -');

export const credentialRefSchema = z.object({ tenantId: idPart, integrationId: idPart, name: idPart });
export type CredentialRef = z.infer<typeof credentialRefSchema>;

export const CREDENTIAL_STATUSES = ['active', 'needs_reauth', 'expired'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

/** The stored document: one per credential, the JSON value of one secret. */
export const storedCredentialSchema = z.object({
  schemaVersion: z.literal(1),
  ref: credentialRefSchema,
  credential: credentialSchema,
  status: z.enum(CREDENTIAL_STATUSES),
  /** Why the status is not active (e.g. invalid_grant); never provider text that could echo a token. */
  statusReason: z.string().optional(),
  createdAt: isoDate,
  /** When a person last put new secret material in (not token refreshes): the base of the age policy. */
  rotatedAt: isoDate,
  updatedAt: isoDate,
  /** Last OAuth refresh and the fencing token of the lock holder that wrote it. */
  refreshedAt: isoDate.optional(),
  refreshFence: z.number().int().nonnegative().optional(),
});
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

/** Safe to return from an API or log: no secret values. */
export interface CredentialMetadata {
  ref: CredentialRef;
  type: CredentialType;
  status: CredentialStatus;
  statusReason?: string;
  /** Expiry of the credential itself (refresh token, certificate, key…); see expiry-policy. */
  expiresAt?: string;
  /** OAuth access-token expiry: what the refresher schedules on. */
  accessExpiresAt?: string;
  createdAt: string;
  rotatedAt: string;
  updatedAt: string;
  refreshedAt?: string;
  /** The secret-store version of the current value. */
  version: string;
}

export function refKey(ref: CredentialRef): string {
  return `${ref.tenantId}/${ref.integrationId}/${ref.name}`;
}
