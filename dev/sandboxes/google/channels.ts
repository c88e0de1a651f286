/**
 * Calendar (and Drive) push notification channels in the sandbox. A watch request opens a channel with the id,
 * address and token the caller chose; Google first sends a `sync` message, then one message per change with an
 * empty body and the X-Goog-* headers (channel id, the channel token to compare, the channel's expiration, resource
 * id / uri / state and a message number that grows by one per message). Google signs nothing: the channel token
 * is the receiver's only proof. A channel lives until the expiration asked for (capped at MAX_CHANNEL_TTL_MS;
 * CHANNEL_TTL_MS when none is asked), or until channels.stop names its id and resource id; an expired channel
 * sends nothing. Channel ids are unique while the channel lives; a token is at most 256 characters.
 */
import { randomBytes } from 'node:crypto';
import { WebhookEmitter } from '../common/webhooks';
import type { WebhookDelivery } from '../common/types';
import { googleFail } from './wire';

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

export interface ChannelRequest {
  id: string;
  address: string;
  token?: string;
  /** Epoch ms the caller asked the channel to end at. */
  expiration?: number;
}

/** Lifetime of a channel opened without an expiration. */
const CHANNEL_TTL_MS = 7 * 86_400_000;
/** Longest lifetime granted (Drive's cap for changes channels; Calendar's is not published, the same is used). */
const MAX_CHANNEL_TTL_MS = 7 * 86_400_000;
const MAX_TOKEN_LENGTH = 256;

/** Message state per resource: Calendar says `exists`, Drive's change log says `change`. */
const CHANGE_STATE: Record<string, string> = { drive: 'change' };

/** A live channel as a test sees it (with its token, which Google never shows again). */
export interface ChannelView {
  id: string;
  resource: string;
  resourceId: string;
  token?: string;
  expiration: number;
  address: string;
}

/** All channels behind one WebhookEmitter face, so the common server can flush them and list deliveries. */
export class PushChannels extends WebhookEmitter {
  private readonly channels = new Map<string, Channel & { address: string }>();
  /** Emitters of stopped or expired channels: their deliveries stay listed. */
  private readonly retired: WebhookEmitter[] = [];

  /** `now`: the sandbox's clock (tests move it with the app's to reach expirations). */
  constructor(private readonly now: () => number = Date.now) {
    super({ url: 'http://127.0.0.1:9/', sign: () => ({}) });
  }

  open(
    resource: string,
    request: ChannelRequest,
    baseUrl: string,
    resourcePath = `/calendar/v3/calendars/${encodeURIComponent(resource)}/events`,
  ): Record<string, unknown> {
    this.expire();
    if (this.channels.has(request.id)) googleFail(400, 'channelIdNotUnique', `Channel id ${request.id} not unique`);
    if (request.token !== undefined && request.token.length > MAX_TOKEN_LENGTH)
      googleFail(400, 'invalid', 'Invalid channel token: longer than 256 characters.');
    const now = this.now();
    const asked = request.expiration;
    const channel = {
      id: request.id,
      resource,
      resourceId: randomBytes(12).toString('base64url'),
      resourceUri: `${baseUrl}${resourcePath}?alt=json`,
      token: request.token,
      expiration: asked === undefined ? now + CHANNEL_TTL_MS : Math.min(asked, now + MAX_CHANNEL_TTL_MS),
      messageNumber: 0,
      address: request.address,
      emitter: new WebhookEmitter({ url: request.address, sign: () => ({}) }),
    };
    this.channels.set(channel.id, channel);
    this.send(channel, 'sync');
    return {
      kind: 'api#channel',
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      ...(channel.token !== undefined ? { token: channel.token } : {}),
      expiration: String(channel.expiration),
    };
  }

  /** channels.stop: the channel id and the resource id it watches must both match; false when none does. */
  stop(id: string, resourceId: string | undefined): boolean {
    this.expire();
    const channel = this.channels.get(id);
    if (!channel || (resourceId !== undefined && resourceId !== channel.resourceId)) return false;
    this.channels.delete(id);
    this.retired.push(channel.emitter);
    return true;
  }

  /** One message to every live channel watching the resource. */
  notify(resource: string, state: 'exists' | 'not_exists'): void {
    this.expire();
    for (const channel of this.channels.values())
      if (channel.resource === resource) this.send(channel, CHANGE_STATE[resource] ?? state);
  }

  /** The live channels, with their tokens. */
  live(): ChannelView[] {
    this.expire();
    return [...this.channels.values()].map(({ id, resource, resourceId, token, expiration, address }) => ({
      id,
      resource,
      resourceId,
      ...(token !== undefined ? { token } : {}),
      expiration,
      address,
    }));
  }

  override async flush(): Promise<void> {
    await Promise.all(
      [...this.retired, ...[...this.channels.values()].map((channel) => channel.emitter)].map((e) => e.flush()),
    );
  }

  override deliveries(): WebhookDelivery[] {
    return [...this.retired, ...[...this.channels.values()].map((channel) => channel.emitter)]
      .flatMap((emitter) => emitter.deliveries())
      .sort((a, b) => a.at - b.at);
  }

  /** Google ends a channel at its expiration without a word. */
  private expire(): void {
    const now = this.now();
    for (const channel of [...this.channels.values()]) {
      if (channel.expiration > now) continue;
      this.channels.delete(channel.id);
      this.retired.push(channel.emitter);
    }
  }

  private send(channel: Channel, state: string): void {
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

/** A watch request body as Google reads it: id, type "web_hook" (or "webhook"), address; token and expiration optional. */
export function channelRequest(body: unknown): ChannelRequest {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (
    typeof input.id !== 'string' ||
    typeof input.address !== 'string' ||
    (input.type !== 'web_hook' && input.type !== 'webhook')
  )
    googleFail(400, 'required', 'Required: id, type "web_hook" and address.');
  if (!/^[A-Za-z0-9\-_+/=]{1,64}$/.test(input.id)) googleFail(400, 'invalid', 'Invalid channel id.');
  const expiration = input.expiration === undefined ? undefined : Number(input.expiration);
  if (expiration !== undefined && !Number.isFinite(expiration)) googleFail(400, 'invalid', 'Invalid expiration.');
  return {
    id: input.id,
    address: input.address,
    ...(typeof input.token === 'string' ? { token: input.token } : {}),
    ...(expiration !== undefined ? { expiration } : {}),
  };
}
