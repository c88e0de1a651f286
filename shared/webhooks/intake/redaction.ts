/**
 * What of a delivery's headers may be kept in the archive. Pure rules, no I/O:
 *   1. by name: a header whose name suggests a credential (one of its words, split on `-` / `_`, is a
 *      credential word, or ends in one: `x-auth-token`, `x-gitlab-token`, `apikey`, `x-hub-signature-256`,
 *      `set-cookie`, `x-session-id`);
 *   2. by configuration: the header an integration is configured to carry its secret in (Salesforce's
 *      shared-secret header may be named anything);
 *   3. by value: a value that is, or contains, one of the integration's webhook secrets, whatever the name.
 * A redacted value is replaced by REDACTED; the header name stays, as evidence of what was sent.
 *
 * Signatures are redacted too. Replay does not verify again (the delivery was verified on receipt, and replay
 * checks the archived body against the SHA-256 stored on the receipt instead) and no event parser reads a
 * signature header; a kept HMAC over a known body would let a reader of the archive test guesses of the
 * secret offline, and a fresh one could be re-sent to the endpoint within its timestamp tolerance.
 */
import { REDACTED } from '../../platform/observability/logger';
import type { WebhookConfig } from '../verify/config';

/** Words that mark a header as carrying a credential, wherever they stand in its name. */
const CREDENTIAL_WORDS = new Set([
  'auth',
  'authorization',
  'authentication',
  'bearer',
  'token',
  'secret',
  'signature',
  'sig',
  'key',
  'apikey',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'cookie',
  'session',
  'sessionid',
  'credential',
  'credentials',
  'jwt',
  'csrf',
  'xsrf',
]);

/** Compound words (no separator) that end in a credential word: `accesstoken`, `xapikey`, `clientsecret`. */
const CREDENTIAL_SUFFIX =
  /(token|secret|signature|apikey|key|password|passwd|cookie|session|sessionid|credentials?|auth)$/;
/** Stems that are credentials wherever they appear inside a word: `x-authtoken`, `oauth`, `passcode`. */
const CREDENTIAL_STEM = /(auth|token|secret|signature|passw|cookie|session|credential|apikey)/;

export function isCredentialHeaderName(name: string): boolean {
  let known = verdictsByName.get(name);
  if (known === undefined) {
    known = credentialName(name.toLowerCase());
    // Names come from senders, so the memory is bounded: a flood of new names only empties it now and then.
    if (verdictsByName.size >= MAX_REMEMBERED_NAMES) verdictsByName.clear();
    verdictsByName.set(name, known);
  }
  return known;
}

function credentialName(lower: string): boolean {
  if (CREDENTIAL_STEM.test(lower)) return true;
  return lower.split(/[-_.]+/).some((word) => CREDENTIAL_WORDS.has(word) || CREDENTIAL_SUFFIX.test(word));
}

/** The verdict per header name seen: every delivery of a provider sends the same few names. */
const verdictsByName = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 1000;

export interface RedactionRules {
  /** Header names the integration is configured to carry a secret in (case-insensitive). */
  secretHeaders?: readonly string[];
  /** The integration's webhook secrets (current and previous): values equal to or containing them go. */
  secretValues?: readonly string[];
}

/** Values this short are compared whole only: as substrings they would match ordinary header text. */
const MIN_CONTAINED_SECRET_LENGTH = 8;

export function containsSecret(value: string, secrets: readonly string[]): boolean {
  return secrets.some(
    (secret) =>
      secret.length > 0 &&
      (value === secret || (secret.length >= MIN_CONTAINED_SECRET_LENGTH && value.includes(secret))),
  );
}

/** The headers as they may be stored: every rule above applied. */
export function redactHeaders(headers: Record<string, string>, rules: RedactionRules = {}): Record<string, string> {
  const configured = rules.secretHeaders?.length ? new Set(rules.secretHeaders.map((n) => n.toLowerCase())) : undefined;
  const secrets = rules.secretValues ?? [];
  const kept: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name]!;
    kept[name] =
      isCredentialHeaderName(name) || configured?.has(name.toLowerCase()) || containsSecret(value, secrets)
        ? REDACTED
        : value;
  }
  return kept;
}

/**
 * The headers an integration's webhook settings name as carrying its secret or a signature under a name of
 * the operator's choosing (Salesforce). A secret sent in the URL (`?secret=`) is never archived: the archive
 * keeps headers and body only.
 */
export function configuredSecretHeaders(config: WebhookConfig | undefined): string[] {
  if (config?.provider !== 'salesforce') return [];
  if (config.auth.kind === 'hmac') return config.auth.header ? [config.auth.header] : [];
  return config.auth.source.in === 'header' ? [config.auth.source.name] : [];
}
