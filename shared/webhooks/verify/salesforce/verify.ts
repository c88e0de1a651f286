/**
 * Salesforce Outbound Messages carry no native signature and cannot add headers (their one setting is the endpoint
 * URL). They are authenticated by a per-integration secret in that URL (the receiver extracts the candidate),
 * compared in constant time, and always by the expected organization id. The header modes (a secret header, or
 * "hmac": HMAC-SHA256 of the body) only fit a sender that sets headers: an Apex callout the org writes that posts the
 * same SOAP envelope (docs/webhooks.md); an Outbound Message to an integration in such a mode is missing_signature.
 */
import { hmacSha256, matchingSecret, tokenEquals } from '../crypto';
import type { VerifyRequest, VerifyResult } from '../types';
import { parseOutboundMessage, salesforceDeliveryId } from './soap';

export const SALESFORCE_SIGNATURE_HEADER = 'x-salesforce-signature';

export type SalesforceAuth =
  /** `candidate` is what the request presented (path segment or header); undefined when it presented nothing. */
  | { kind: 'shared_secret'; candidate: string | undefined }
  | { kind: 'hmac'; header?: string; encoding?: 'hex' | 'base64' };

export interface SalesforceVerifyOptions {
  organizationId: string;
  auth: SalesforceAuth;
}

export function salesforceSignature(
  rawBody: Buffer | string,
  secret: string,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return hmacSha256(secret, rawBody).toString(encoding);
}

/** Org ids come as 15 (case-sensitive) or 18 characters; the first 15 identify the org. */
export function sameOrganization(received: string, expected: string): boolean {
  if (received.length < 15 || expected.length < 15) return false;
  if (received.length === 18 && expected.length === 18) return received === expected;
  return received.slice(0, 15) === expected.slice(0, 15);
}

function authenticate(request: VerifyRequest, auth: SalesforceAuth): VerifyResult | number {
  if (auth.kind === 'shared_secret') {
    if (!auth.candidate) return { ok: false, reason: 'missing_signature' };
    const candidate = auth.candidate;
    const index = request.secrets.findIndex((secret) => secret.length > 0 && tokenEquals(candidate, secret));
    return index < 0 ? { ok: false, reason: 'bad_signature' } : index;
  }
  const received = request.headers((auth.header ?? SALESFORCE_SIGNATURE_HEADER).toLowerCase());
  if (!received) return { ok: false, reason: 'missing_signature' };
  const index = matchingSecret(request.secrets, received, (secret) =>
    salesforceSignature(request.rawBody, secret, auth.encoding),
  );
  return index < 0 ? { ok: false, reason: 'bad_signature' } : index;
}

export function verifySalesforce(request: VerifyRequest, options: SalesforceVerifyOptions): VerifyResult {
  if (!options.organizationId) return { ok: false, reason: 'misconfigured' };
  if (request.secrets.length === 0) return { ok: false, reason: 'no_secret_configured' };
  const authenticated = authenticate(request, options.auth);
  if (typeof authenticated !== 'number') return authenticated;
  const parsed = parseOutboundMessage(request.rawBody);
  if (!parsed.ok) return { ok: false, reason: 'malformed' };
  if (!sameOrganization(parsed.message.organizationId, options.organizationId))
    return { ok: false, reason: 'wrong_organization' };
  const itemIds = parsed.message.notifications.map((notification) => notification.id);
  return {
    ok: true,
    deliveryId: salesforceDeliveryId(itemIds),
    outcome: { kind: 'event' },
    secretIndex: authenticated,
    itemIds,
  };
}
