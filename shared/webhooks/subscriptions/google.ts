/**
 * Google push channels through the Calendar and Drive APIs: events.watch on a calendar, changes.watch on the
 * user's Drive (from the current start page token), each with a fresh channel id, type "web_hook", this app's URL,
 * the channel token and the lifetime asked for; Google answers with the resource id and the expiration it grants
 * (epoch milliseconds as a string). channels.stop (channel id + resource id) ends one. A channel cannot be
 * extended: renewing is opening a new one and stopping the old.
 */
import { randomUUID } from 'node:crypto';
import { isAppError, toAppError } from '../../core/app-error';
import type { ProviderHttpClient } from '../../adapters/http';
import { GOOGLE_FACTS } from '../../adapters/google/facts';
import type { GoogleChannelRef, GoogleChannelResource } from './types';

export interface GoogleChannelTarget {
  resources: GoogleChannelResource[];
  address: string;
  /** Sent back by Google in X-Goog-Channel-Token with every message of the channel. */
  token: string;
  ttlMs: number;
  now: Date;
}

export interface GoogleChannelOutcome {
  channels: GoogleChannelRef[];
  errors: string[];
}

interface ChannelJson {
  id?: string;
  resourceId?: string;
  expiration?: string | number;
}

function describe(resource: GoogleChannelResource): string {
  return resource.kind === 'calendar' ? `calendar ${resource.calendarId}` : 'drive changes';
}

async function watch(
  http: ProviderHttpClient,
  resource: GoogleChannelResource,
  channel: Record<string, unknown>,
): Promise<ChannelJson> {
  if (resource.kind === 'calendar') {
    const { body } = await http.request<ChannelJson>({
      operation: 'events.watch',
      method: 'POST',
      path: `${GOOGLE_FACTS.paths.events(resource.calendarId)}/watch`,
      json: channel,
    });
    return body;
  }
  // changes.watch needs the page token to watch from: the current start, since the channel only signals.
  const start = await http.request<{ startPageToken?: string }>({
    operation: 'changes.getStartPageToken',
    path: GOOGLE_FACTS.paths.startPageToken,
  });
  const { body } = await http.request<ChannelJson>({
    operation: 'changes.watch',
    method: 'POST',
    path: `${GOOGLE_FACTS.paths.changes}/watch`,
    query: { pageToken: start.body.startPageToken ?? '' },
    json: channel,
  });
  return body;
}

/** Opens one channel per resource; returns those opened and a message per resource that failed. */
export async function openGoogleChannels(
  http: ProviderHttpClient,
  target: GoogleChannelTarget,
): Promise<GoogleChannelOutcome> {
  const channels: GoogleChannelRef[] = [];
  const errors: string[] = [];
  const requested = target.now.getTime() + target.ttlMs;
  for (const resource of target.resources) {
    const channelId = randomUUID();
    try {
      const answer = await watch(http, resource, {
        id: channelId,
        type: 'web_hook',
        address: target.address,
        token: target.token,
        expiration: String(requested),
      });
      const granted = Number(answer.expiration);
      if (!answer.resourceId) throw new Error('the watch answer named no resourceId');
      channels.push({
        resource,
        channelId,
        resourceId: answer.resourceId,
        openedAt: target.now.toISOString(),
        expiration: new Date(Number.isFinite(granted) && granted > 0 ? granted : requested).toISOString(),
      });
    } catch (error) {
      errors.push(`${describe(resource)}: ${toAppError(error).message}`);
    }
  }
  return { channels, errors };
}

/** Stops the channels; one Google no longer knows (expired, stopped) counts as stopped. */
export async function stopGoogleChannels(
  http: ProviderHttpClient,
  channels: readonly GoogleChannelRef[],
): Promise<GoogleChannelOutcome> {
  const remaining: GoogleChannelRef[] = [];
  const errors: string[] = [];
  for (const channel of channels) {
    try {
      await http.request({
        operation: 'channels.stop',
        method: 'POST',
        path: channel.resource.kind === 'calendar' ? '/calendar/v3/channels/stop' : '/drive/v3/channels/stop',
        json: { id: channel.channelId, resourceId: channel.resourceId },
      });
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') continue;
      remaining.push(channel);
      errors.push(`${describe(channel.resource)} channel ${channel.channelId}: ${toAppError(error).message}`);
    }
  }
  return { channels: remaining, errors };
}
