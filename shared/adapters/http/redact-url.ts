/**
 * A provider URL as it may be shown and stored (the run log): no user info, and the value of every query
 * parameter that can carry a credential, token, signature or secret replaced by "[redacted]". Names are matched
 * without case and separators (access_token, accessToken, X-Amz-Signature …), and any name that merely contains
 * one of the words (id_token_hint, client_secret_post) counts too, so an unknown provider's spelling is covered.
 */
const SECRET_WORDS = [
  'token',
  'secret',
  'password',
  'passwd',
  'signature',
  'sig',
  'key',
  'code',
  'authorization',
  'credential',
  'session',
  'assertion',
  'hmac',
  'nonce',
  'verifier',
];

export const REDACTED = '[redacted]';

function isSecretName(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[^a-z]/g, '');
  // "auth" alone, not inside ordinary names such as "author".
  return squashed === 'auth' || SECRET_WORDS.some((word) => squashed.includes(word));
}

/** The URL with secrets taken out; a string that is no URL is reduced to its path, without any query. */
export function redactUrl(raw: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    return String(raw).split(/[?#]/)[0] ?? '';
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  const kept = new URLSearchParams();
  for (const [name, value] of url.searchParams) kept.append(name, isSecretName(name) ? REDACTED : value);
  // URLSearchParams would encode the brackets of "[redacted]"; they are put back for readability.
  const query = kept.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}
