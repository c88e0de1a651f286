/**
 * Calendar (and Drive) push notification channels in the sandbox. A watch request opens a channel; Google first
 * sends a `sync` message, then one message per change with an empty body and the X-Goog-* headers (channel id,
 * the channel token to compare, resource id / uri / state and a message number that grows by one per message).
 * Google signs nothing: the channel token is the receiver's only proof.
 */
import { randomBytes } from 'node:crypto';
import { WebhookEmitter } from '../common/webhooks';
import type { WebhookDelivery } from '../common/types';

interface Channel {
  id: string;
  resource: string;
  resourceId: string;
  resourceUri: string;
  token?: string;
  expiration: number;
  messageNumber: number;
  emitter: WebhookEmitter;
}

const CHANNEL_TTL_MS = 7 * 86_400_000;

/** All channels behind one WebhookEmitter face, so the common server can flush them and list deliveries. */
export class PushChannels extends WebhookEmitter {
  private readonly channels = new Map<string, Channel>();

  constructor() {
    super({ url: 'http://127.0.0.1:9/', sign: () => ({}) });
  }

  open(
    resource: string,
    id: string,
    address: string,
    token: string | undefined,
    baseUrl: string,
    resourcePath = `/calendar/v3/calendars/${encodeURIComponent(resource)}/events`,
  ): Record<string, unknown> {
    const channel: Channel = {
      id,
      resource,
      resourceId: randomBytes(12).toString('base64url'),
      resourceUri: `${baseUrl}${resourcePath}?alt=json`,
      token,
      expiration: Date.now() + CHANNEL_TTL_MS,
      messageNumber: 0,
      emitter: new WebhookEmitter({ url: address, sign: () => ({}) }),
    };
    this.channels.set(id, channel);
    this.send(channel, 'sync');
    return {
      kind: 'api#channel',
      id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      token,
      expiration: String(channel.expiration),
    };
  }

  stop(id: string): boolean {
    return this.channels.delete(id);
  }

  /** One message to every live channel watching the resource. */
  notify(resource: string, state: 'exists' | 'not_exists'): void {
    for (const channel of this.channels.values()) {
      if (channel.resource !== resource) continue;
      if (channel.expiration < Date.now()) this.channels.delete(channel.id);
      else this.send(channel, state);
    }
  }

  override async flush(): Promise<void> {
    await Promise.all([...this.channels.values()].map((channel) => channel.emitter.flush()));
  }

  override deliveries(): WebhookDelivery[] {
    return [...this.channels.values()].flatMap((channel) => channel.emitter.deliveries()).sort((a, b) => a.at - b.at);
  }

  private send(channel: Channel, state: 'sync' | 'exists' | 'not_exists'): void {
    channel.messageNumber += 1;
    const headers: Record<string, string> = {
      'x-goog-channel-id': channel.id,
      'x-goog-channel-expiration': new Date(channel.expiration).toUTCString(),
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-uri': channel.resourceUri,
      'x-goog-resource-state': state,
      'x-goog-message-number': String(channel.messageNumber),
      'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
    };
    if (channel.token !== undefined) headers['x-goog-channel-token'] = channel.token;
    channel.emitter.emitRaw(state, '', headers, `${channel.id}#${channel.messageNumber}`);
  }
}
