/**
 * Push channel routes of the Google sandbox besides Calendar's events.watch (calendar-routes.ts): Drive's
 * changes.watch (the page token to watch from is required), and channels.stop of both APIs, which needs the
 * channel id and the resource id it watches and answers 204 with no body, or 404 for a channel it does not know.
 */
import type { Router } from '../common/router';
import { channelRequest, type PushChannels } from './channels';
import { googleFail } from './wire';

export function addChannelRoutes(router: Router, channels: PushChannels): void {
  router.add('POST', '/drive/v3/changes/watch', (ctx) => {
    const pageToken = ctx.query.get('pageToken');
    if (!pageToken) googleFail(400, 'required', 'Required parameter: pageToken');
    return { status: 200, json: channels.open('drive', channelRequest(ctx.json()), ctx.baseUrl, '/drive/v3/changes') };
  });
  for (const path of ['/calendar/v3/channels/stop', '/drive/v3/channels/stop']) {
    router.add('POST', path, (ctx) => {
      const body = ctx.json() as Record<string, unknown>;
      if (typeof body.id !== 'string' || typeof body.resourceId !== 'string')
        googleFail(400, 'required', 'Required: id and resourceId.');
      if (!channels.stop(body.id, body.resourceId))
        googleFail(404, 'notFound', `Channel '${body.id}' not found for project '0'`);
      return { status: 204 };
    });
  }
}
