/**
 * The Google sandbox's calendar: seeded events computed from their index, changes in a lazy overlay. Every
 * change gets a strictly increasing `updated` instant, so "changed after instant T" is exact; that instant is
 * what sync tokens carry. Deleting an event cancels it (status "cancelled"), as Calendar does.
 */
import { LazyRecordStore } from '../common/lazy-store';
import { intBetween, pick, seededRandom, sentence } from '../common/seeded';
import { etagOf } from './wire';

export type CalendarEvent = Record<string, unknown> & {
  id: string;
  etag: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  updated: string;
};
export type CalendarChange = { kind: 'created' | 'updated' | 'cancelled'; event: CalendarEvent };

const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);
const SEED_STEP_MS = 10_000;
const ID_PREFIX = 'evt';
const ID_WIDTH = 8;

/** Event ids use base32hex characters (a–v, 0–9), as Calendar requires. */
export const eventId = (index: number): string => ID_PREFIX + index.toString(32).padStart(ID_WIDTH, '0');

function indexOfEvent(id: string): number | undefined {
  if (
    !id.startsWith(ID_PREFIX) ||
    id.length !== ID_PREFIX.length + ID_WIDTH ||
    !/^[0-9a-v]+$/.test(id.slice(ID_PREFIX.length))
  )
    return undefined;
  return Number.parseInt(id.slice(ID_PREFIX.length), 32);
}

export class CalendarStore {
  readonly store: LazyRecordStore<CalendarEvent>;
  private nextIndex: number;
  private lastStampMs = 0;

  constructor(
    readonly calendarId: string,
    baseCount: number,
    seed: number,
    private readonly onChange: (change: CalendarChange) => void,
  ) {
    this.nextIndex = baseCount;
    this.store = new LazyRecordStore<CalendarEvent>({
      baseCount,
      generate: (index) => generateEvent(index, seed, calendarId),
      indexOf: indexOfEvent,
      idOf: (event) => event.id,
      modifiedMsOf: (event) => Date.parse(event.updated),
      baseModifiedMs: (index) => SEED_EPOCH_MS + index * SEED_STEP_MS,
    });
  }

  /** The newest change instant so far: a sync token issued now covers everything up to it. */
  get highWaterMs(): number {
    return Math.max(this.lastStampMs, this.store.minimumChangeMs - 1);
  }

  get(id: string): CalendarEvent | undefined {
    return this.store.get(id);
  }

  count(): number {
    const view = this.store.since(this.store.minimumChangeMs, (event) => event.status === 'cancelled');
    let cancelled = 0;
    for (let k = 0; k < view.length; k += 1) if (view.at(k).status === 'cancelled') cancelled += 1;
    return this.store.count() - cancelled;
  }

  private stamp(): number {
    this.lastStampMs = Math.max(Date.now(), this.store.minimumChangeMs, this.lastStampMs + 1);
    return this.lastStampMs;
  }

  /** A client may choose the id (base32hex, 5–1024 characters): that makes a repeated insert detectable. */
  insert(fields: Record<string, unknown>, clientId?: string): CalendarEvent {
    let id = clientId;
    while (id === undefined || (clientId === undefined && this.store.get(id))) id = eventId(this.nextIndex++);
    const ms = this.stamp();
    const event: CalendarEvent = {
      kind: 'calendar#event',
      ...fields,
      id,
      etag: etagOf(ms),
      status: 'confirmed',
      created: new Date(ms).toISOString(),
      updated: new Date(ms).toISOString(),
      iCalUID: `${id}@google.com`,
      sequence: 0,
    };
    this.store.put(event);
    this.onChange({ kind: 'created', event });
    return event;
  }

  patch(id: string, fields: Record<string, unknown>): CalendarEvent | undefined {
    const current = this.get(id);
    if (!current || current.status === 'cancelled') return undefined;
    const ms = this.stamp();
    const event: CalendarEvent = {
      ...current,
      ...fields,
      id,
      etag: etagOf(ms),
      status: current.status,
      updated: new Date(ms).toISOString(),
      sequence: Number(current.sequence ?? 0) + 1,
    };
    this.store.put(event);
    this.onChange({ kind: 'updated', event });
    return event;
  }

  cancel(id: string): CalendarEvent | undefined {
    const current = this.get(id);
    if (!current || current.status === 'cancelled') return undefined;
    const ms = this.stamp();
    // A cancelled event keeps only what Calendar keeps for it: id, status, updated and etag.
    const event: CalendarEvent = {
      kind: 'calendar#event',
      id,
      etag: etagOf(ms),
      status: 'cancelled',
      updated: new Date(ms).toISOString(),
    };
    this.store.put(event);
    this.onChange({ kind: 'cancelled', event });
    return event;
  }
}

function generateEvent(index: number, seed: number, calendarId: string): CalendarEvent {
  const random = seededRandom(seed, index, 53);
  const updatedMs = SEED_EPOCH_MS + index * SEED_STEP_MS;
  const startMs = updatedMs + intBetween(random, 1, 60) * 86_400_000 + intBetween(random, 8, 17) * 3_600_000;
  const id = eventId(index);
  return {
    kind: 'calendar#event',
    etag: etagOf(updatedMs),
    id,
    status: 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
    created: new Date(updatedMs - intBetween(random, 0, 30) * 86_400_000).toISOString(),
    updated: new Date(updatedMs).toISOString(),
    summary: sentence(random, 2, 5),
    location: pick(random, ['Room 1', 'Room 2', 'Video call', undefined]),
    creator: { email: calendarId === 'primary' ? 'sandbox@example.com' : calendarId },
    organizer: { email: calendarId === 'primary' ? 'sandbox@example.com' : calendarId, self: true },
    start: { dateTime: new Date(startMs).toISOString(), timeZone: 'UTC' },
    end: { dateTime: new Date(startMs + intBetween(random, 1, 4) * 1_800_000).toISOString(), timeZone: 'UTC' },
    iCalUID: `${id}@google.com`,
    sequence: 0,
  };
}
