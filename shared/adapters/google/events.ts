/**
 * Google Calendar events. A full read lists the calendar page by page; its last page hands out nextSyncToken,
 * which later reads send as syncToken to get only changes (cancelled events included, as deletions). When Google
 * answers 410 fullSyncRequired the sync token is dropped and the read starts over as a full read. Writes use the
 * event's etag as If-Match, so a stale expectedVersion fails with 412 → conflict.
 */
import { createHash } from 'node:crypto';
import { isAppError } from '../../core/app-error';
import type { FetchPage, ProviderRecord } from '../contract';
import type { ProviderHttpClient } from '../http';
import { encodeCursor, type EventsCursor } from './cursor';
import { GOOGLE_FACTS } from './facts';

type CalendarEvent = Record<string, unknown> & { id: string; etag?: string; status?: string; updated?: string };
interface EventsList {
  items?: CalendarEvent[];
  nextPageToken?: string;
  nextSyncToken?: string;
}

export function toEventRecord(event: CalendarEvent): ProviderRecord {
  return {
    id: event.id,
    entity: 'events',
    version: event.etag,
    modifiedAt: event.updated,
    deleted: event.status === 'cancelled',
    data: event,
  };
}

export const isGone = (error: unknown): boolean => isAppError(error) && error.code === 'not_found';

export async function fetchEvents(
  http: ProviderHttpClient,
  calendarId: string,
  cursor: EventsCursor | undefined,
  pageSize: number,
  signal?: AbortSignal,
): Promise<FetchPage> {
  const maxResults = Math.max(1, Math.min(pageSize, GOOGLE_FACTS.maxEventsPerPage));
  const list = async (
    state: EventsCursor | undefined,
  ): Promise<{ body: EventsList; state: EventsCursor | undefined }> => {
    const query = { maxResults, pageToken: state?.page, syncToken: state?.page ? undefined : state?.sync };
    const { body } = await http.request<EventsList>({
      operation: 'events.list',
      path: GOOGLE_FACTS.paths.events(calendarId),
      query,
      signal,
    });
    return { body, state };
  };
  let result: { body: EventsList; state: EventsCursor | undefined };
  try {
    result = await list(cursor);
  } catch (error) {
    // The sync token expired or was invalidated: Google asks for a full resync. Drop it and read everything.
    if (!(isAppError(error) && error.details?.providerCode === GOOGLE_FACTS.fullSyncReason)) throw error;
    result = await list(undefined);
  }
  const records = (result.body.items ?? []).map(toEventRecord);
  if (result.body.nextPageToken) {
    return {
      records,
      nextCursor: encodeCursor({ v: 1, kind: 'events', page: result.body.nextPageToken, sync: result.state?.sync }),
      done: false,
    };
  }
  // Only the last page carries nextSyncToken; without one, keep the old token (or none: the next read is full).
  const sync = result.body.nextSyncToken ?? result.state?.sync;
  return { records, nextCursor: encodeCursor({ v: 1, kind: 'events', sync }), done: true };
}

export async function fetchEvent(
  http: ProviderHttpClient,
  calendarId: string,
  id: string,
  signal?: AbortSignal,
): Promise<ProviderRecord | undefined> {
  try {
    const { body } = await http.request<CalendarEvent>({
      operation: 'events.get',
      path: `${GOOGLE_FACTS.paths.events(calendarId)}/${encodeURIComponent(id)}`,
      signal,
    });
    // A cancelled event is a deleted one: the calendar no longer has it.
    return body.status === 'cancelled' ? undefined : toEventRecord(body);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** An event id derived from the idempotency key (base32hex, as Calendar requires), unless the data names one. */
export function idempotentEventId(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `idem${BigInt(`0x${digest}`).toString(32)}`;
}

/**
 * Inserts with a client-chosen id, so a redelivered create meets 409 duplicate instead of making a second event;
 * the existing event is then the outcome.
 */
export async function insertEvent(
  http: ProviderHttpClient,
  calendarId: string,
  data: Record<string, unknown>,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<{ id: string; version?: string }> {
  const id = typeof data.id === 'string' ? data.id : idempotentEventId(idempotencyKey);
  try {
    const { body } = await http.request<CalendarEvent>({
      operation: 'events.insert',
      method: 'POST',
      path: GOOGLE_FACTS.paths.events(calendarId),
      json: { ...data, id },
      signal,
    });
    return { id: body.id, version: body.etag };
  } catch (error) {
    if (!(isAppError(error) && error.details?.providerCode === 'duplicate')) throw error;
    const { body } = await http.request<CalendarEvent>({
      operation: 'events.get',
      path: `${GOOGLE_FACTS.paths.events(calendarId)}/${encodeURIComponent(id)}`,
      signal,
    });
    return { id: body.id, version: body.etag };
  }
}

export async function patchEvent(
  http: ProviderHttpClient,
  calendarId: string,
  id: string,
  data: Record<string, unknown>,
  expectedVersion: string | undefined,
  signal?: AbortSignal,
): Promise<{ version?: string }> {
  const headers = expectedVersion ? { 'if-match': expectedVersion } : undefined;
  const { body } = await http.request<CalendarEvent>({
    operation: 'events.patch',
    method: 'PATCH',
    path: `${GOOGLE_FACTS.paths.events(calendarId)}/${encodeURIComponent(id)}`,
    json: data,
    headers,
    signal,
  });
  return { version: body.etag };
}

export async function deleteEvent(
  http: ProviderHttpClient,
  calendarId: string,
  id: string,
  expectedVersion: string | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const headers = expectedVersion ? { 'if-match': expectedVersion } : undefined;
  try {
    await http.request({
      operation: 'events.delete',
      method: 'DELETE',
      path: `${GOOGLE_FACTS.paths.events(calendarId)}/${encodeURIComponent(id)}`,
      headers,
      signal,
    });
  } catch (error) {
    // Already cancelled (410 deleted) or gone (404): a redelivered delete reaches the same end state.
    if (!isGone(error)) throw error;
  }
}
