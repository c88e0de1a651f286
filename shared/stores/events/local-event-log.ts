/**
 * The local event log: a bounded in-memory log with subscribers, standing in for Event Grid on the local host
 * and in tests. Subscribers (e.g. notifications) get each event once, after it is appended.
 */
import type { AppEvent, EventPublisher } from './events';

export type EventSubscriber = (event: AppEvent) => void | Promise<void>;

export class LocalEventLog implements EventPublisher {
  private readonly events: AppEvent[] = [];
  private readonly subscribers = new Set<EventSubscriber>();

  constructor(private readonly capacity = 10_000) {}

  async publish(events: AppEvent[]): Promise<void> {
    for (const event of events) {
      this.events.push(event);
      if (this.events.length > this.capacity) this.events.shift();
      for (const subscriber of this.subscribers) {
        // A failing subscriber must not fail the publisher or starve the others.
        await Promise.resolve()
          .then(() => subscriber(event))
          .catch(() => undefined);
      }
    }
  }

  /** Events of one tenant, newest last, optionally filtered by type. */
  list(tenantId: string, filter: { type?: AppEvent['type']; integrationId?: string } = {}): AppEvent[] {
    return this.events.filter(
      (event) =>
        event.tenantId === tenantId &&
        (!filter.type || event.type === filter.type) &&
        (!filter.integrationId || event.integrationId === filter.integrationId),
    );
  }

  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }
}
