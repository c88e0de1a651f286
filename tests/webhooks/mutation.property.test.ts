/**
 * Property tests over every HMAC scheme, through the registry the receiver uses: a signed request verifies, and
 * no single-byte change of its body, its signature header or its signed timestamp / id header verifies.
 * Also: verifiers and parsers never throw, whatever bytes and headers arrive.
 */
import fc from 'fast-check';
import { eventParserFor, verifierFor, type VerifierSettings } from '../../shared/webhooks/verify/registry';
import { signGithub, signNotion, signSalesforce, signSlack, signStandardWebhook } from '../../dev/webhook-signing';
import { WEBHOOK_PROVIDER_IDS, type VerifyRequest, type WebhookProviderId } from '../../shared/webhooks/verify/types';
import { headersOf } from './helpers';

const NOW = Date.UTC(2026, 10, 25, 12);
const TS = String(NOW / 1000);
const ORG = '00D5e000000Ab1cEAC';

interface Scheme {
  provider: WebhookProviderId;
  /** Headers of a correctly signed request; `signature` names the signature header, `signed` other signed headers. */
  sign(body: Buffer, secret: string): Record<string, string>;
  signature: string;
  signed: string[];
  settings?: VerifierSettings;
  secret: fc.Arbitrary<string>;
}

const plainSecret = fc.string({ minLength: 1, maxLength: 64 });
const whsecSecret = fc
  .uint8Array({ minLength: 16, maxLength: 64 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);

const SCHEMES: Scheme[] = [
  {
    provider: 'github',
    signature: 'x-hub-signature-256',
    signed: [],
    secret: plainSecret,
    sign: (body, secret) => ({ 'x-hub-signature-256': signGithub(body, secret), 'x-github-delivery': 'd-1' }),
  },
  {
    provider: 'slack',
    signature: 'x-slack-signature',
    signed: ['x-slack-request-timestamp'],
    secret: plainSecret,
    sign: (body, secret) => ({ 'x-slack-signature': signSlack(body, secret, TS), 'x-slack-request-timestamp': TS }),
  },
  {
    provider: 'notion',
    signature: 'x-notion-signature',
    signed: [],
    secret: plainSecret,
    sign: (body, secret) => ({ 'x-notion-signature': signNotion(body, secret) }),
  },
  {
    provider: 'generic',
    signature: 'webhook-signature',
    signed: ['webhook-id', 'webhook-timestamp'],
    secret: whsecSecret,
    sign: (body, secret) => ({
      'webhook-id': 'msg_2Lq9',
      'webhook-timestamp': TS,
      'webhook-signature': signStandardWebhook('msg_2Lq9', TS, body, secret),
    }),
  },
  {
    provider: 'salesforce',
    signature: 'x-salesforce-signature',
    signed: [],
    secret: plainSecret,
    settings: { provider: 'salesforce', organizationId: ORG, auth: { kind: 'hmac', encoding: 'base64' } },
    sign: (body, secret) => ({ 'x-salesforce-signature': signSalesforce(body, secret, 'base64') }),
  },
];

/** A body each provider accepts once verified, built around arbitrary bytes so mutations land everywhere. */
function bodyFor(provider: WebhookProviderId, filler: string): Buffer {
  const text = JSON.stringify(filler);
  switch (provider) {
    case 'notion':
      return Buffer.from(`{"id":"evt-1","type":"page.created","entity":{"id":"p1","type":"page"},"note":${text}}`);
    case 'salesforce':
      return Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
          ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
          `<OrganizationId>${ORG}</OrganizationId><Notification><Id>04l000000000000001</Id>` +
          '<sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>001000000000000001</sf:Id></sObject>' +
          `</Notification></notifications></soapenv:Body></soapenv:Envelope><!-- ${filler.replace(/-/g, '_')} -->`,
      );
    default:
      return Buffer.from(`{"type":"event_callback","event_id":"Ev1","event":{"type":"reaction_added"},"note":${text}}`);
  }
}

function mutate(bytes: Buffer, index: number, delta: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = index % copy.length;
  copy[at] = ((copy[at] as number) + delta) & 0xff;
  return copy;
}

function mutateText(text: string, index: number, delta: number): string {
  return mutate(Buffer.from(text, 'latin1'), index, delta).toString('latin1');
}

const request = (rawBody: Buffer, headers: Record<string, string>, secrets: string[]): VerifyRequest => ({
  rawBody,
  headers: headersOf(headers),
  secrets,
  now: NOW,
});

describe.each(SCHEMES)('$provider signatures', (scheme) => {
  const verify = (req: VerifyRequest) => verifierFor(scheme.provider)(req, scheme.settings);
  const cases = fc.record({
    secret: scheme.secret,
    filler: fc.string({ maxLength: 200 }),
    index: fc.nat(),
    delta: fc.integer({ min: 1, max: 255 }),
  });

  it('a signed request verifies; a one-byte change of the body does not', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ secret, filler, index, delta }) => {
        const body = bodyFor(scheme.provider, filler);
        const headers = scheme.sign(body, secret);
        expect(await verify(request(body, headers, [secret]))).toMatchObject({ ok: true });
        expect(await verify(request(mutate(body, index, delta), headers, [secret]))).toMatchObject({ ok: false });
      }),
      { numRuns: 150 },
    );
  });

  it('a one-byte change of the signature header, or of a signed id / timestamp header, does not verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        cases,
        fc.constantFrom(scheme.signature, ...scheme.signed),
        async ({ secret, filler, index, delta }, header) => {
          const body = bodyFor(scheme.provider, filler);
          const headers = scheme.sign(body, secret);
          const changed = { ...headers, [header]: mutateText(headers[header] as string, index, delta) };
          expect(await verify(request(body, changed, [secret]))).toMatchObject({ ok: false });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('exhaustively: not one of all single-byte changes of the signed headers verifies', async () => {
    const secret = scheme.provider === 'generic' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : 'a fixed secret';
    const body = bodyFor(scheme.provider, 'exhaustive');
    const headers = scheme.sign(body, secret);
    let accepted = 0;
    let tried = 0;
    for (const header of [scheme.signature, ...scheme.signed]) {
      const value = headers[header] as string;
      for (let index = 0; index < value.length; index += 1) {
        for (let delta = 1; delta < 256; delta += 1) {
          tried += 1;
          const result = await verify(
            request(body, { ...headers, [header]: mutateText(value, index, delta) }, [secret]),
          );
          if (result.ok) accepted += 1;
        }
      }
    }
    expect(tried).toBeGreaterThan(10_000);
    expect(accepted).toBe(0);
  });

  it('rotation: the previous secret verifies, an unrelated pair does not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(scheme.secret, { minLength: 3, maxLength: 3 }),
        fc.string({ maxLength: 50 }),
        async ([current, previous, stranger], filler) => {
          const body = bodyFor(scheme.provider, filler);
          expect(
            await verify(request(body, scheme.sign(body, previous as string), [current as string, previous as string])),
          ).toMatchObject({ ok: true, secretIndex: 1 });
          expect(
            await verify(request(body, scheme.sign(body, stranger as string), [current as string, previous as string])),
          ).toMatchObject({ ok: false });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('robustness', () => {
  const anyHeaders = fc.dictionary(
    fc.constantFrom(
      'x-hub-signature-256',
      'x-slack-signature',
      'x-slack-request-timestamp',
      'x-notion-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'x-github-event',
      'x-goog-channel-id',
      'x-goog-message-number',
      'x-goog-resource-state',
      'x-goog-channel-token',
    ),
    fc.string({ maxLength: 80 }),
  );
  const anyBody = fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
    fc.json().map((json) => Buffer.from(json)),
    fc
      .string()
      .map((text) =>
        Buffer.from(`<?xml version="1.0"?><Envelope><Body><notifications>${text}</notifications></Body></Envelope>`),
      ),
  );

  it.each(WEBHOOK_PROVIDER_IDS)('%s: parsers and verifiers answer for any input, never throw', async (provider) => {
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        anyHeaders,
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }),
        async (rawBody, headers, secrets) => {
          const parsed = eventParserFor(provider)({ rawBody, headers: headersOf(headers) });
          expect(parsed.ok || parsed.reason === 'malformed').toBe(true);
          const settings: VerifierSettings | undefined =
            provider === 'salesforce'
              ? { provider, organizationId: ORG, auth: { kind: 'hmac' } }
              : provider === 'google'
                ? { provider, mode: 'channel' }
                : undefined;
          const verified = await verifierFor(provider)(
            { rawBody, headers: headersOf(headers), secrets, now: NOW },
            settings,
          );
          expect(typeof verified.ok).toBe('boolean');
        },
      ),
      { numRuns: 100 },
    );
  });
});
