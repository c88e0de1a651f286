/**
 * Calendar API v3 events in the sandbox: list with pageToken / nextPageToken and, on the last page only,
 * nextSyncToken; incremental lists by syncToken (cancelled events included); 410 fullSyncRequired for a sync
 * token that is unknown or too old; get / insert / patch / delete with If-Match → 412 conditionNotMet; watch.
 */
import type { RequestContext, Router } from '../common/router';
import type { CalendarEvent, CalendarStore } from './calendar-store';
import { channelRequest, type PushChannels } from './channels';
import { fail } from '../common/router';
import { decodeToken, encodeToken, fullSyncRequired, googleFail } from './wire';

const MAX_RESULTS = 2500;
const DEFAULT_RESULTS = 250;

export interface CalendarOptions {
  syncTokenTtlMs: number;
  ownerEmail: string;
}

function listState(
  ctx: RequestContext,
  calendar: CalendarStore,
  options: CalendarOptions,
): { afterMs: number; afterId: string; includeCancelled: boolean; sync: boolean } {
  const pageToken = ctx.query.get('pageToken');
  if (pageToken) {
    const state = decodeToken(pageToken);
    if (!state || state.c !== calendar.calendarId || typeof state.a !== 'number' || typeof state.i !== 'string')
      googleFail(400, 'invalid', 'Invalid page token value.');
    return { afterMs: state.a, afterId: state.i, includeCancelled: state.d === true, sync: state.s === true };
  }
  const syncToken = ctx.query.get('syncToken');
  if (syncToken) {
    const state = decodeToken(syncToken);
    const fresh =
      state &&
      state.c === calendar.calendarId &&
      typeof state.h === 'number' &&
      typeof state.t === 'number' &&
      Date.now() - state.t <= options.syncTokenTtlMs;
    if (!fresh) fail(fullSyncRequired());
    // Everything changed strictly after the instant the token was issued for.
    return { afterMs: (state.h as number) + 1, afterId: '', includeCancelled: true, sync: true };
  }
  return { afterMs: 0, afterId: '', includeCancelled: ctx.query.get('showDeleted') === 'true', sync: false };
}

export function addCalendarRoutes(
  router: Router,
  calendars: (id: string) => CalendarStore | undefined,
  channels: PushChannels,
  options: CalendarOptions,
): void {
  const calendarOf = (ctx: RequestContext): CalendarStore =>
    calendars(ctx.params.calendarId ?? '') ?? googleFail(404, 'notFound', 'Not Found');
  const base = '/calendar/v3/calendars/:calendarId/events';

  router.add('GET', '/calendar/v3/calendars/:calendarId', (ctx) => {
    calendarOf(ctx);
    return {
      status: 200,
      json: {
        kind: 'calendar#calendar',
        etag: '"sandbox"',
        id: options.ownerEmail,
        summary: options.ownerEmail,
        timeZone: 'UTC',
      },
    };
  });

  router.add('GET', base, (ctx) => {
    const calendar = calendarOf(ctx);
    const state = listState(ctx, calendar, options);
    const maxResults = Math.min(
      MAX_RESULTS,
      Math.max(1, Number(ctx.query.get('maxResults') ?? DEFAULT_RESULTS) || DEFAULT_RESULTS),
    );
    const view = calendar.store.since(state.afterMs);
    const items: CalendarEvent[] = [];
    let more = false;
    for (let k = 0; k < view.length; k += 1) {
      const event = view.at(k);
      if (Date.parse(event.updated) === state.afterMs && event.id <= state.afterId) continue;
      if (event.status === 'cancelled' && !state.includeCancelled) continue;
      if (items.length === maxResults) {
        more = true;
        break;
      }
      items.push(event);
    }
    const json: Record<string, unknown> = {
      kind: 'calendar#events',
      etag: `"${Date.now()}"`,
      summary: calendar.calendarId,
      updated: new Date().toISOString(),
      timeZone: 'UTC',
      accessRole: 'owner',
      defaultReminders: [],
      items,
    };
    const last = items[items.length - 1];
    if (more && last)
      json.nextPageToken = encodeToken({
        c: calendar.calendarId,
        a: Date.parse(last.updated),
        i: last.id,
        d: state.includeCancelled,
        s: state.sync,
      });
    else json.nextSyncToken = encodeToken({ c: calendar.calendarId, h: calendar.highWaterMs, t: Date.now() });
    return { status: 200, json };
  });

  router.add('POST', `${base}/watch`, (ctx) => {
    const calendar = calendarOf(ctx);
    return { status: 200, json: channels.open(calendar.calendarId, channelRequest(ctx.json()), ctx.baseUrl) };
  });

  router.add('GET', `${base}/:eventId`, (ctx) => {
    const event = calendarOf(ctx).get(ctx.params.eventId ?? '');
    return event ? { status: 200, json: event } : googleFail(404, 'notFound', 'Not Found');
  });

  router.add('POST', base, (ctx) => {
    const calendar = calendarOf(ctx);
    const body = ctx.json() as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) googleFail(400, 'parseError', 'Parse Error');
    const { id, etag: _etag, status: _status, updated: _updated, ...fields } = body;
    if (id !== undefined && (typeof id !== 'string' || !/^[0-9a-v]{5,1024}$/.test(id)))
      googleFail(400, 'invalid', 'Invalid resource id value.');
    // Cancelled events keep their id: inserting it again is still a duplicate.
    if (typeof id === 'string' && calendar.get(id))
      googleFail(409, 'duplicate', 'The requested identifier already exists.');
    if (!isTime(fields.start)) googleFail(400, 'required', 'Missing start time.');
    if (!isTime(fields.end)) googleFail(400, 'required', 'Missing end time.');
    return { status: 200, json: calendar.insert(fields, id as string | undefined) };
  });

  router.add('PATCH', `${base}/:eventId`, (ctx) => {
    const calendar = calendarOf(ctx);
    checkPrecondition(ctx, calendar.get(ctx.params.eventId ?? ''));
    const {
      id: _id,
      etag: _etag,
      status: _status,
      updated: _updated,
      ...fields
    } = ctx.json() as Record<string, unknown>;
    return { status: 200, json: calendar.patch(ctx.params.eventId!, fields) };
  });

  router.add('DELETE', `${base}/:eventId`, (ctx) => {
    const calendar = calendarOf(ctx);
    checkPrecondition(ctx, calendar.get(ctx.params.eventId ?? ''));
    calendar.cancel(ctx.params.eventId!);
    return { status: 204 };
  });
}

function isTime(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const time = value as Record<string, unknown>;
  return (
    (typeof time.dateTime === 'string' && !Number.isNaN(Date.parse(time.dateTime))) ||
    (typeof time.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(time.date))
  );
}

/** Missing → 404, cancelled → 410 deleted, a stale If-Match → 412 conditionNotMet. */
function checkPrecondition(ctx: RequestContext, event: CalendarEvent | undefined): void {
  if (!event) googleFail(404, 'notFound', 'Not Found');
  if (event.status === 'cancelled') googleFail(410, 'deleted', 'Resource has been deleted');
  const ifMatch = ctx.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch !== event.etag)
    googleFail(412, 'conditionNotMet', 'Precondition Failed', { location: { type: 'header', name: 'If-Match' } });
}
