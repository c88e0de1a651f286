import fc from 'fast-check';
import { REDACTED } from '../../platform/observability/logger';
import { STANDARD_WEBHOOK_HEADERS } from '../verify/generic/verify';
import { GITHUB_DELIVERY_HEADER, GITHUB_EVENT_HEADER } from '../verify/github/verify';
import { GOOGLE_CHANNEL_HEADERS } from '../verify/google/channel';
import { configuredSecretHeaders, containsSecret, isCredentialHeaderName, redactHeaders } from './redaction';

/** Named regressions: what was archived in clear before (issue 20, item 3), and the common credential headers. */
const CREDENTIAL_NAMES = [
  'Authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-auth-token',
  'x-access-token',
  'x-gitlab-token',
  'x-api-key',
  'apikey',
  'x-apikey',
  'api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'x-amz-security-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-session-id',
  'x-sessionid',
  'x-goog-channel-token',
  'x-salesforce-secret',
  'x-webhook-secret',
  'x-hub-signature',
  'x-hub-signature-256',
  'x-slack-signature',
  'webhook-signature',
  'x-salesforce-signature',
  'x-client-password',
  'x-passwd',
  'x-jwt-assertion',
  'x-client-credentials',
  'X_API_KEY',
  'x-accesstoken',
];

/** What the event parsers read (replay hands them the archived headers): these must survive. */
const KEPT_NAMES = [
  GITHUB_DELIVERY_HEADER,
  GITHUB_EVENT_HEADER,
  STANDARD_WEBHOOK_HEADERS.id,
  STANDARD_WEBHOOK_HEADERS.timestamp,
  GOOGLE_CHANNEL_HEADERS.id,
  GOOGLE_CHANNEL_HEADERS.resourceState,
  GOOGLE_CHANNEL_HEADERS.messageNumber,
  GOOGLE_CHANNEL_HEADERS.resourceUri,
  'content-type',
  'user-agent',
  'x-request-id',
  'traceparent',
  'x-slack-request-timestamp',
];

const CREDENTIAL_WORDS = [
  'auth',
  'token',
  'secret',
  'signature',
  'key',
  'password',
  'cookie',
  'session',
  'apikey',
  'credential',
  'authorization',
  'jwt',
];
/** Words that say nothing about credentials, to build names around the credential words. */
const NEUTRAL_WORDS = [
  'x',
  'github',
  'event',
  'delivery',
  'content',
  'type',
  'goog',
  'channel',
  'id',
  'resource',
  'state',
  'webhook',
  'timestamp',
  'user',
  'agent',
  'request',
  'trace',
  'org',
  'acme',
  'ms',
  'client',
];
const neutralName = fc
  .array(fc.constantFrom(...NEUTRAL_WORDS), { minLength: 1, maxLength: 4 })
  .map((words) => words.join('-'));

describe('isCredentialHeaderName', () => {
  it.each(CREDENTIAL_NAMES)('redacts %s', (name) => expect(isCredentialHeaderName(name)).toBe(true));
  it.each(KEPT_NAMES)('keeps %s', (name) => expect(isCredentialHeaderName(name)).toBe(false));

  it('flags a credential word anywhere in a name, in any case and with either separator', () => {
    fc.assert(
      fc.property(
        neutralName,
        fc.constantFrom(...CREDENTIAL_WORDS),
        neutralName,
        fc.constantFrom('-', '_'),
        fc.boolean(),
        (before, word, after, separator, upper) => {
          const name = [before, word, after].join(separator);
          expect(isCredentialHeaderName(upper ? name.toUpperCase() : name)).toBe(true);
        },
      ),
    );
  });

  it('keeps names made only of neutral words', () => {
    fc.assert(fc.property(neutralName, (name) => expect(isCredentialHeaderName(name)).toBe(false)));
  });
});

describe('redactHeaders', () => {
  it('redacts configured secret headers, whatever their name', () => {
    expect(redactHeaders({ 'x-acme-shared': 's', 'x-other': 'o' }, { secretHeaders: ['X-Acme-Shared'] })).toEqual({
      'x-acme-shared': REDACTED,
      'x-other': 'o',
    });
  });

  it('never keeps a value equal to or containing a known secret, under any name', () => {
    fc.assert(
      fc.property(
        neutralName,
        fc.string({ minLength: 8, maxLength: 40 }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (name, secret, before, after) => {
          const out = redactHeaders(
            { [name]: `${before}${secret}${after}` },
            { secretValues: ['unrelated-secret-value', secret] },
          );
          expect(out[name]).toBe(REDACTED);
        },
      ),
    );
  });

  it('keeps neutral headers whose values hold no secret, unchanged', () => {
    fc.assert(
      fc.property(fc.dictionary(neutralName, fc.string({ maxLength: 30 })), (headers) => {
        const secret = 'the-secret-\u0000-never-generated';
        expect(redactHeaders(headers, { secretValues: [secret] })).toEqual(headers);
      }),
    );
  });

  it('compares short secrets whole only, so they do not scrub ordinary text', () => {
    expect(containsSecret('abc', ['abc'])).toBe(true);
    expect(containsSecret('xabcx', ['abc'])).toBe(false);
    expect(containsSecret('anything', [''])).toBe(false);
  });
});

describe('configuredSecretHeaders', () => {
  const organizationId = '00D5e000000Ab1cEAC';
  it('names the Salesforce secret or signature header the integration is configured with', () => {
    expect(
      configuredSecretHeaders({
        provider: 'salesforce',
        organizationId,
        auth: { kind: 'shared_secret', source: { in: 'header', name: 'X-Org-Key' } },
      }),
    ).toEqual(['X-Org-Key']);
    expect(
      configuredSecretHeaders({ provider: 'salesforce', organizationId, auth: { kind: 'hmac', header: 'X-Sfdc-Mac' } }),
    ).toEqual(['X-Sfdc-Mac']);
    expect(
      configuredSecretHeaders({
        provider: 'salesforce',
        organizationId,
        auth: { kind: 'shared_secret', source: { in: 'url' } },
      }),
    ).toEqual([]);
    expect(configuredSecretHeaders({ provider: 'github' })).toEqual([]);
  });
});
