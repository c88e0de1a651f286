import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  const secret = 'sEcReT-value-123';

  it.each([
    'access_token',
    'token',
    'refresh_token',
    'client_secret',
    'key',
    'api_key',
    'apiKey',
    'signature',
    'sig',
    'X-Amz-Signature',
    'code',
    'id_token_hint',
    'password',
  ])('takes the value of %s out of the URL', (name) => {
    const shown = redactUrl(`https://api.example.com/v1/items?page=2&${name}=${secret}`);
    expect(shown).not.toContain(secret);
    expect(shown).toBe(`https://api.example.com/v1/items?page=2&${name}=[redacted]`);
  });

  it('keeps ordinary parameters, drops user info and fragments', () => {
    expect(redactUrl(`https://user:${secret}@api.example.com/x?per_page=100&since=2026-01-01#${secret}`)).toBe(
      'https://api.example.com/x?per_page=100&since=2026-01-01',
    );
  });

  it('reduces what is not a URL to its path', () => {
    expect(redactUrl(`/relative/path?token=${secret}`)).toBe('/relative/path');
  });
});
