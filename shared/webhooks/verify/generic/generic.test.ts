import { requestOf } from '../../../../tests/webhooks/helpers';
import { signStandardWebhook } from '../../../../dev/webhook-signing';
import { parseGenericEvents } from './events';
import { verifyStandardWebhook } from './verify';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const VECTOR_NOW = Number(VECTOR.timestamp) * 1000;
const OTHER_SECRET = 'whsec_' + Buffer.from('a rotated secret of the endpoint').toString('base64');

function request(
  signature: string | undefined,
  overrides: Partial<typeof VECTOR> = {},
  secrets = [VECTOR.secret],
  now = VECTOR_NOW,
) {
  const v = { ...VECTOR, ...overrides };
  return requestOf(
    v.body,
    { 'webhook-id': v.id, 'webhook-timestamp': v.timestamp, 'webhook-signature': signature },
    secrets,
    now,
  );
}

describe('verifyStandardWebhook', () => {
  it('accepts the published vector and signs it identically', () => {
    expect(signStandardWebhook(VECTOR.id, VECTOR.timestamp, VECTOR.body, VECTOR.secret)).toBe(VECTOR.signature);
    expect(verifyStandardWebhook(request(VECTOR.signature))).toEqual({
      ok: true,
      deliveryId: VECTOR.id,
      outcome: { kind: 'event' },
      secretIndex: 0,
    });
    // A secret stored without the whsec_ prefix is the same key.
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, [VECTOR.secret.slice(6)]))).toMatchObject({ ok: true });
  });

  it('accepts any matching entry of a space-separated list and skips other versions', () => {
    const list = `v1a,AAAA v1,${Buffer.alloc(32).toString('base64')} ${VECTOR.signature}`;
    expect(verifyStandardWebhook(request(list))).toMatchObject({ ok: true });
    expect(verifyStandardWebhook(request(`v2,${VECTOR.signature.slice(3)}`))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('binds id, timestamp and body: changing any one fails', () => {
    expect(verifyStandardWebhook(request(VECTOR.signature, { id: 'msg_other' }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyStandardWebhook(request(VECTOR.signature, { timestamp: '1614265331' }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyStandardWebhook(request(VECTOR.signature, { body: '{"test": 2432232315}' }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('holds the timestamp to the tolerance in both directions', () => {
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, undefined, VECTOR_NOW + 300_000))).toMatchObject({
      ok: true,
    });
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, undefined, VECTOR_NOW + 301_000))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, undefined, VECTOR_NOW - 301_000))).toEqual({
      ok: false,
      reason: 'future_timestamp',
    });
    expect(verifyStandardWebhook(request(VECTOR.signature), { toleranceMs: 0 })).toMatchObject({ ok: true });
  });

  it('rotation: the previous secret verifies, an unrelated one does not', () => {
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, [OTHER_SECRET, VECTOR.secret]))).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    const third = 'whsec_' + Buffer.from('a third unrelated secret').toString('base64');
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, [OTHER_SECRET, third]))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('missing, malformed and misconfigured cases', () => {
    expect(verifyStandardWebhook(request(undefined))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyStandardWebhook(request(VECTOR.signature, { id: '' }))).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyStandardWebhook(request(VECTOR.signature, { timestamp: '16142653.30' }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, []))).toEqual({
      ok: false,
      reason: 'no_secret_configured',
    });
    expect(verifyStandardWebhook(request(VECTOR.signature, {}, ['whsec_not base64!']))).toEqual({
      ok: false,
      reason: 'misconfigured',
    });
  });
});

describe('parseGenericEvents', () => {
  const parse = (payload: unknown, id = 'msg_1') =>
    parseGenericEvents(requestOf(JSON.stringify(payload), { 'webhook-id': id }, [], 0));

  it('maps "<entity>.<action>" with data ids to records, and without ids to an incremental sync', () => {
    expect(parse({ type: 'contact.updated', data: { id: 'c_1' } })).toEqual({
      ok: true,
      deliveryId: 'msg_1',
      events: [{ kind: 'records', entity: 'contact', ids: ['c_1'], operation: 'upsert' }],
    });
    expect(parse({ type: 'invoice.line.deleted', data: { ids: [1, 2] } })).toMatchObject({
      events: [{ kind: 'records', entity: 'invoice.line', ids: ['1', '2'], operation: 'delete' }],
    });
    expect(parse({ type: 'contact.merged', data: { id: 3 } })).toMatchObject({ events: [{ operation: 'unknown' }] });
    expect(parse({ type: 'contact.updated', data: {} })).toMatchObject({
      events: [{ kind: 'incremental', entity: 'contact' }],
    });
  });

  it('gives no targets for untyped events and reports malformed ones', () => {
    expect(parse({ hello: 'world' })).toMatchObject({ ok: true, events: [] });
    expect(parseGenericEvents(requestOf('{', { 'webhook-id': 'm' }, [], 0))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseGenericEvents(requestOf('{}', {}, [], 0))).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
