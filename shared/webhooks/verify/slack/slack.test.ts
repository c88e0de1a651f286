import { requestOf } from '../../../../tests/webhooks/helpers';
import { signSlack } from '../../../../dev/webhook-signing';
import { parseSlackEvents } from './events';
import { verifySlack } from './verify';

// Published in Slack's "Verifying requests from Slack": a slash-command body, byte for byte.
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const VECTOR_NOW = Number(VECTOR.timestamp) * 1000;
const SECRET = 'slack-signing-secret';
const NOW = Date.UTC(2026, 10, 25, 12);
const NOW_S = NOW / 1000;

function signed(body: string, ts: number = NOW_S, extra: Record<string, string> = {}, secrets = [SECRET], now = NOW) {
  const headers = {
    'X-Slack-Request-Timestamp': String(ts),
    'X-Slack-Signature': signSlack(body, SECRET, ts),
    ...extra,
  };
  return requestOf(body, headers, secrets, now);
}

const callback = (event: Record<string, unknown>, eventId = 'Ev0001') =>
  JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: eventId, event_time: NOW_S, event });

describe('verifySlack', () => {
  it('accepts the published vector; the delivery id of a command is its trigger_id', () => {
    expect(signSlack(VECTOR.body, VECTOR.secret, VECTOR.timestamp)).toBe(VECTOR.signature);
    const request = requestOf(
      VECTOR.body,
      { 'X-Slack-Signature': VECTOR.signature, 'X-Slack-Request-Timestamp': VECTOR.timestamp },
      [VECTOR.secret],
      VECTOR_NOW,
    );
    expect(verifySlack(request)).toEqual({
      ok: true,
      deliveryId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
      outcome: { kind: 'event' },
      secretIndex: 0,
    });
  });

  it('holds the timestamp to ±5 minutes, in both directions', () => {
    const body = callback({ type: 'message', channel: 'C1', ts: '1.000' });
    expect(verifySlack(signed(body, NOW_S - 300))).toMatchObject({ ok: true });
    expect(verifySlack(signed(body, NOW_S + 300))).toMatchObject({ ok: true });
    expect(verifySlack(signed(body, NOW_S - 301))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySlack(signed(body, NOW_S + 301))).toEqual({ ok: false, reason: 'future_timestamp' });
    // The published vector is years old: replaying it today must fail.
    const old = requestOf(
      VECTOR.body,
      { 'X-Slack-Signature': VECTOR.signature, 'X-Slack-Request-Timestamp': VECTOR.timestamp },
      [VECTOR.secret],
      NOW,
    );
    expect(verifySlack(old)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects a timestamp moved inside the window, a tampered body, a wrong secret, missing headers', () => {
    const body = callback({ type: 'message', channel: 'C1', ts: '1.000' });
    const request = signed(body, NOW_S - 10);
    const headers = (name: string) => (name === 'x-slack-request-timestamp' ? String(NOW_S) : request.headers(name));
    expect(verifySlack({ ...request, headers })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlack({ ...request, rawBody: Buffer.from(body.replace('C1', 'C2')) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifySlack({ ...request, secrets: ['other'] })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(
      verifySlack({
        ...request,
        headers: (name) => (name === 'x-slack-signature' ? undefined : request.headers(name)),
      }),
    ).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(
      verifySlack({
        ...request,
        headers: (name) => (name === 'x-slack-request-timestamp' ? 'yesterday' : request.headers(name)),
      }),
    ).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('verifies with the previous secret during rotation, never with an unrelated third', () => {
    const body = callback({ type: 'message', channel: 'C1', ts: '1.000' });
    expect(verifySlack({ ...signed(body), secrets: ['new', SECRET] })).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verifySlack({ ...signed(body), secrets: ['new', 'old'] })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('returns the challenge of a signed url_verification, and rejects an unsigned one', () => {
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    expect(verifySlack(signed(body))).toMatchObject({
      ok: true,
      outcome: { kind: 'challenge', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
    expect(verifySlack(requestOf(body, {}, [SECRET], NOW))).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('reports retries with their reason and keeps the event_id, so a retry dedupes', () => {
    const body = callback({ type: 'message', channel: 'C1', ts: '1.000' }, 'Ev42');
    const first = verifySlack(signed(body));
    const retry = verifySlack(
      signed(
        body,
        NOW_S + 60,
        { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
        [SECRET],
        NOW + 60_000,
      ),
    );
    expect(first).toMatchObject({ ok: true, deliveryId: 'Ev42' });
    expect(first.ok && first.retry).toBeUndefined();
    expect(retry).toMatchObject({ ok: true, deliveryId: 'Ev42', retry: { attempt: 1, reason: 'http_timeout' } });
  });

  it('rejects a signed body that is broken JSON as malformed', () => {
    expect(verifySlack(signed('{"type":"event_callback",'))).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('parseSlackEvents', () => {
  const parse = (body: string) => parseSlackEvents(signed(body));

  it('maps new, changed and deleted messages to channel:ts ids', () => {
    expect(
      parse(callback({ type: 'message', channel: 'C1', user: 'U1', text: 'hi', ts: '1700000000.000100' })),
    ).toEqual({
      ok: true,
      deliveryId: 'Ev0001',
      events: [{ kind: 'records', entity: 'messages', ids: ['C1:1700000000.000100'], operation: 'upsert' }],
    });
    const changed = {
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      ts: '1700000009.000000',
      message: { ts: '1700000000.000100', text: 'edited' },
    };
    expect(parse(callback(changed))).toMatchObject({
      events: [{ entity: 'messages', ids: ['C1:1700000000.000100'], operation: 'upsert' }],
    });
    const deleted = {
      type: 'message',
      subtype: 'message_deleted',
      channel: 'C1',
      ts: '1700000010.000000',
      deleted_ts: '1700000000.000100',
    };
    expect(parse(callback(deleted))).toMatchObject({
      events: [{ entity: 'messages', ids: ['C1:1700000000.000100'], operation: 'delete' }],
    });
  });

  it('maps user_change to users', () => {
    expect(parse(callback({ type: 'user_change', user: { id: 'U9', name: 'x' } }))).toMatchObject({
      events: [{ kind: 'records', entity: 'users', ids: ['U9'], operation: 'upsert' }],
    });
  });

  it('gives no targets for url_verification, commands and unsynced events', () => {
    expect(parse(JSON.stringify({ type: 'url_verification', challenge: 'c' }))).toMatchObject({ ok: true, events: [] });
    expect(parse(VECTOR.body)).toMatchObject({ ok: true, events: [] });
    expect(parse(callback({ type: 'reaction_added', user: 'U1' }))).toMatchObject({ ok: true, events: [] });
  });

  it('reports malformed payloads instead of throwing', () => {
    expect(parse('{"type":"event_callback"')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parse(JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: 'nope' }))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parse(callback({ type: 'message', ts: '1.0' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parse(callback({ type: 'message', subtype: 'message_deleted', channel: 'C1' }))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});
