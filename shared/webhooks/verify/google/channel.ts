/**
 * Google Calendar / Drive push channels: no signature, only the channel token chosen when the channel was
 * created, compared in constant time. The first message of a channel has resource state `sync` and only says
 * the channel is live. Channel id + message number identify a delivery.
 */
import { tokenEquals } from '../crypto';
import type { VerifyRequest, VerifyResult } from '../types';

export const GOOGLE_CHANNEL_HEADERS = {
  id: 'x-goog-channel-id',
  token: 'x-goog-channel-token',
  resourceState: 'x-goog-resource-state',
  messageNumber: 'x-goog-message-number',
  resourceUri: 'x-goog-resource-uri',
} as const;

export function googleChannelDeliveryId(channelId: string, messageNumber: string): string {
  return `${channelId}:${messageNumber}`;
}

export function verifyGoogleChannel(request: VerifyRequest): VerifyResult {
  if (request.secrets.length === 0) return { ok: false, reason: 'no_secret_configured' };
  const token = request.headers(GOOGLE_CHANNEL_HEADERS.token);
  if (!token) return { ok: false, reason: 'missing_signature' };
  const secretIndex = request.secrets.findIndex((secret) => secret.length > 0 && tokenEquals(token, secret));
  if (secretIndex < 0) return { ok: false, reason: 'bad_signature' };
  const channelId = request.headers(GOOGLE_CHANNEL_HEADERS.id);
  const messageNumber = request.headers(GOOGLE_CHANNEL_HEADERS.messageNumber);
  const state = request.headers(GOOGLE_CHANNEL_HEADERS.resourceState);
  if (!channelId || !state || !messageNumber || !/^\d{1,20}$/.test(messageNumber))
    return { ok: false, reason: 'malformed' };
  const deliveryId = googleChannelDeliveryId(channelId, messageNumber);
  return {
    ok: true,
    deliveryId,
    outcome: state === 'sync' ? { kind: 'channel_sync' } : { kind: 'event' },
    secretIndex,
  };
}
