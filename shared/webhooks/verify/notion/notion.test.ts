import { requestOf } from '../../../../tests/webhooks/helpers';
import { signNotion } from '../../../../dev/webhook-signing';
import { parseNotionEvents } from './events';
import { verifyNotion } from './verify';

const TOKEN = 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl';
const NOW = Date.UTC(2026, 10, 25, 12);

function event(
  type: string,
  entityId = '153104cd-477e-809d-8dc4-ff2d96ae3090',
  id = '367cba44-b6f3-4c92-81e7-6a2e9659efd4',
) {
  return JSON.stringify({
    id,
    timestamp: '2026-11-25T12:00:00.000Z',
    workspace_id: '13950b26-c203-4f3b-b97d-93ec06319565',
    subscription_id: '29d75c0d-5546-4414-8459-7b7a92f1fc4b',
    integration_id: '0ef104cd-477e-80e1-8571-00378a1dc4e2',
    type,
    authors: [{ id: 'c7c11cca-1d73-471d-9b6e-bdef51470190', type: 'person' }],
    entity: { id: entityId, type: 'page' },
    data: { parent: { id: '13950b26-c203-4f3b-b97d-93ec06319565', type: 'space' } },
  });
}
const signed = (body: string, tokens = [TOKEN]) =>
  requestOf(body, { 'X-Notion-Signature': signNotion(body, TOKEN) }, tokens, NOW);

describe('verifyNotion', () => {
  it('accepts an event signed with the verification token; the delivery id is the event id', () => {
    expect(signNotion('{}', TOKEN)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyNotion(signed(event('page.created')))).toEqual({
      ok: true,
      deliveryId: '367cba44-b6f3-4c92-81e7-6a2e9659efd4',
      outcome: { kind: 'event' },
      secretIndex: 0,
    });
  });

  it('surfaces the one-time handshake token without trusting it, whether or not a token is configured', () => {
    const body = JSON.stringify({ verification_token: TOKEN });
    for (const tokens of [[], ['older-token']]) {
      expect(verifyNotion(requestOf(body, {}, tokens, NOW))).toMatchObject({
        ok: true,
        outcome: { kind: 'handshake', verificationToken: TOKEN },
      });
    }
  });

  it('does not take an unsigned event for a handshake', () => {
    const unsigned = JSON.stringify({
      verification_token: TOKEN,
      type: 'page.deleted',
      entity: { id: 'p', type: 'page' },
    });
    expect(verifyNotion(requestOf(unsigned, {}, [TOKEN], NOW))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyNotion(requestOf(event('page.created'), {}, [], NOW))).toEqual({
      ok: false,
      reason: 'no_secret_configured',
    });
  });

  it('rejects tampering, a wrong token, and honours rotation', () => {
    const body = event('page.deleted');
    const request = signed(body);
    expect(verifyNotion({ ...request, rawBody: Buffer.from(body.replace('page.deleted', 'page.created')) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyNotion({ ...request, secrets: ['wrong'] })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyNotion({ ...request, secrets: ['new-token', TOKEN] })).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verifyNotion({ ...request, secrets: ['new-token', 'third'] })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('calls a signed body without an id malformed', () => {
    expect(verifyNotion(signed('{"type":"page.created"}'))).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyNotion(signed('not json'))).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('parseNotionEvents', () => {
  it('maps page events to pages with upsert or delete', () => {
    for (const type of ['page.created', 'page.content_updated', 'page.properties_updated']) {
      expect(parseNotionEvents(signed(event(type, 'page-1', 'evt-1')))).toEqual({
        ok: true,
        deliveryId: 'evt-1',
        events: [{ kind: 'records', entity: 'pages', ids: ['page-1'], operation: 'upsert' }],
      });
    }
    expect(parseNotionEvents(signed(event('page.deleted', 'page-1')))).toMatchObject({
      events: [{ ids: ['page-1'], operation: 'delete' }],
    });
  });

  it('ignores other families and reports malformed payloads', () => {
    expect(parseNotionEvents(signed(event('comment.created')))).toMatchObject({ ok: true, events: [] });
    expect(parseNotionEvents(signed('{"id":"e","type":"page.created"}'))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseNotionEvents(signed('{'))).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
