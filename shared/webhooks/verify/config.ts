/**
 * The non-secret webhook settings stored on an integration, validated once with zod, and the step that turns
 * them plus one request into the `VerifierSettings` a verifier takes (Salesforce's presented secret is per request).
 */
import { z } from 'zod';
import type { SigningKeyLookup } from './google/jwks';
import type { VerifierSettings } from './registry';
import type { HeaderLookup } from './types';

const MAX_TOLERANCE_MS = 15 * 60 * 1000;
const toleranceMs = z.number().int().min(1_000).max(MAX_TOLERANCE_MS).optional();
const headerName = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name');

const salesforceAuth = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('shared_secret'),
    /** Where the org puts the secret: a URL segment or query value (the receiver extracts it), or a header. */
    source: z.discriminatedUnion('in', [
      z.object({ in: z.literal('url') }),
      z.object({ in: z.literal('header'), name: headerName }),
    ]),
  }),
  // Only an Apex callout sends this header (Outbound Messages cannot): docs/webhooks.md, "Salesforce senders".
  z.object({ kind: z.literal('hmac'), header: headerName.optional(), encoding: z.enum(['hex', 'base64']).optional() }),
]);

const google = z.discriminatedUnion('mode', [
  z.object({
    provider: z.literal('google'),
    mode: z.literal('pubsub'),
    audience: z.string().min(1),
    serviceAccountEmail: z.email(),
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    clockSkewMs: z
      .number()
      .int()
      .min(0)
      .max(5 * 60 * 1000)
      .optional(),
  }),
  z.object({ provider: z.literal('google'), mode: z.literal('channel') }),
]);

export const webhookConfigSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('github') }),
  z.object({ provider: z.literal('notion') }),
  z.object({ provider: z.literal('slack'), toleranceMs }),
  z.object({ provider: z.literal('generic'), toleranceMs }),
  z.object({
    provider: z.literal('salesforce'),
    organizationId: z
      .string()
      .regex(/^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, 'must be a 15- or 18-character organization id (00D…)'),
    auth: salesforceAuth,
  }),
  google,
]);

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export interface RequestFacts {
  headers: HeaderLookup;
  /** The secret the request carried in its URL, for Salesforce shared-secret auth with `source.in = 'url'`. */
  urlSecret?: string;
}

/** The I/O some verifiers need, lent by the receiver (webhooks/intake/google-jwks.ts): verify/ does none itself. */
export interface VerifierIo {
  /** Google's signing keys behind a JWKS URL (absent: Google's own); undefined when the URL cannot serve keys. */
  googleSigningKeys(jwksUrl: string | undefined): SigningKeyLookup | undefined;
}

/** Without `io`, a verifier that needs it fails closed (misconfigured). */
export function verifierSettingsFor(config: WebhookConfig, request: RequestFacts, io?: VerifierIo): VerifierSettings {
  if (config.provider === 'google' && config.mode === 'pubsub') {
    const { jwksUrl, ...pubsub } = config;
    return { ...pubsub, keys: io?.googleSigningKeys(jwksUrl) };
  }
  if (config.provider !== 'salesforce') return config;
  if (config.auth.kind === 'hmac')
    return { provider: 'salesforce', organizationId: config.organizationId, auth: config.auth };
  const source = config.auth.source;
  const candidate = source.in === 'url' ? request.urlSecret : request.headers(source.name.toLowerCase());
  return { provider: 'salesforce', organizationId: config.organizationId, auth: { kind: 'shared_secret', candidate } };
}
