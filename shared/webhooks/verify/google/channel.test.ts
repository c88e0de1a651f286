import { requestOf } from '../../../../tests/webhooks/helpers';
import { verifyGoogleChannel } from './channel';
import { parseGoogleEvents } from './events';

const TOKEN = 'channel-token-4c1e9b';
const NOW = Date.UTC(2026, 10, 25, 12);
const CALENDAR_URI = 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json';

function message(state: string, number: string, token: string | null = TOKEN, uri = CALENDAR_URI) {
  return requestOf(
    '',
    {
      'X-Goog-Channel-ID': '01234567-89ab-cdef-0123456789ab',
      'X-Goog-Channel-Token': token ?? undefined,
      'X-Goog-Channel-Expiration': 'Wed, 02 Dec 2026 12:00:00 GMT',
      'X-Goog-Resource-ID': 'ret08u3rv24htgh289g',
      'X-Goog-Resource-URI': uri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': number,
    },
    [TOKEN],
    NOW,
  );
}

describe('verifyGoogleChannel', () => {
  it('acknowledges the sync message and passes later changes; channel id + message number is the delivery id', () => {
    expect(verifyGoogleChannel(message('sync', '1'))).toEqual({
      ok: true,
      deliveryId: '01234567-89ab-cdef-0123456789ab:1',
      outcome: { kind: 'channel_sync' },
      secretIndex: 0,
    });
    expect(verifyGoogleChannel(message('exists', '2'))).toMatchObject({
      ok: true,
      deliveryId: '01234567-89ab-cdef-0123456789ab:2',
      outcome: { kind: 'event' },
    });
  });

  it('rejects a wrong, a prefix-only and a missing token; honours a previous token during rotation', () => {
    expect(verifyGoogleChannel(message('exists', '2', 'guess'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyGoogleChannel(message('exists', '2', TOKEN.slice(0, -1)))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyGoogleChannel(message('exists', '2', null))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyGoogleChannel({ ...message('exists', '2'), secrets: ['next-token', TOKEN] })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    expect(verifyGoogleChannel({ ...message('exists', '2'), secrets: ['next-token', 'third'] })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyGoogleChannel({ ...message('exists', '2'), secrets: [] })).toEqual({
      ok: false,
      reason: 'no_secret_configured',
    });
  });

  it('calls a message without channel id, state or a numeric message number malformed', () => {
    expect(verifyGoogleChannel(message('exists', 'two'))).toEqual({ ok: false, reason: 'malformed' });
    const request = message('exists', '2');
    expect(
      verifyGoogleChannel({
        ...request,
        headers: (name) => (name === 'x-goog-channel-id' ? undefined : request.headers(name)),
      }),
    ).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('parseGoogleEvents for channels', () => {
  it('asks for an incremental sync, with no ids, of Calendar events or Drive files', () => {
    expect(parseGoogleEvents(message('exists', '7'))).toEqual({
      ok: true,
      deliveryId: '01234567-89ab-cdef-0123456789ab:7',
      events: [{ kind: 'incremental', entity: 'events' }],
    });
    expect(
      parseGoogleEvents(message('change', '8', TOKEN, 'https://www.googleapis.com/drive/v3/changes?pageToken=42')),
    ).toMatchObject({
      events: [{ kind: 'incremental', entity: 'files' }],
    });
  });

  it('gives no targets for the sync message', () => {
    expect(parseGoogleEvents(message('sync', '1'))).toMatchObject({ ok: true, events: [] });
  });
});
