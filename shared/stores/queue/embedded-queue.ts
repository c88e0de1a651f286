/**
 * A queue with Service Bus semantics that runs inside the local host: at-least-once delivery with peek-lock,
 * delivery count, dead-letter after maxDeliveryCount with a reason, scheduled enqueue, sessions (FIFO per
 * session id, one consumer per session at a time), duplicate detection by message id within a window,
 * lock expiry (an unsettled message is delivered again), and bounded concurrency per consumer.
 */
import { randomUUID } from 'node:crypto';
import type {
  DeadLetterAccess,
  DeadLetteredMessage,
  ListDeadLettersOptions,
  OutgoingMessage,
  QueueSender,
  RedriveOptions,
} from './queue-port';
import type { QueueName } from './queues';
import { withFreshRetryBudget } from './retry-budget';
import type { JournalRecord, QueueJournal } from './queue-journal';
import { fromJournal, journaled, toJournal } from './journal-state';

export interface EmbeddedQueueOptions {
  maxDeliveryCount: number;
  duplicateWindowMs: number;
  lockDurationMs: number;
  now?: () => number;
  /** Keeps messages and dead letters across restarts (local host); in memory only without one. */
  journal?: QueueJournal;
}

export interface ReceivedMessage<T = unknown> extends OutgoingMessage<T> {
  sequenceNumber: number;
  deliveryCount: number;
  enqueuedTimeUtc: Date;
  lockToken: string;
}

export interface DeadLetter<T = unknown> extends ReceivedMessage<T> {
  deadLetterReason: string;
  deadLetterErrorDescription: string;
  deadLetteredAt: Date;
}

interface Entry {
  message: ReceivedMessage;
  availableAt: number;
  lock?: { token: string; expiresAt: number };
}

interface QueueState {
  entries: Entry[];
  deadLetters: DeadLetter[];
  seenIds: Map<string, number>;
  /** Sessions with a message in flight: nothing else of that session is delivered meanwhile. */
  busySessions: Set<string>;
  wakeups: Set<() => void>;
}

function asListed(letter: DeadLetter): DeadLetteredMessage {
  return {
    messageId: letter.messageId,
    body: letter.body,
    sessionId: letter.sessionId,
    deliveryCount: letter.deliveryCount,
    reason: letter.deadLetterReason,
    description: letter.deadLetterErrorDescription,
    enqueuedTimeUtc: letter.enqueuedTimeUtc.toISOString(),
  };
}

export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

export interface Consumer {
  /** Stop taking messages and wait for the ones in flight to settle. */
  stop(): Promise<void>;
}

export class EmbeddedQueue implements QueueSender, DeadLetterAccess {
  private readonly queues = new Map<string, QueueState>();
  private sequence = 0;
  private readonly now: () => number;

  constructor(private readonly options: EmbeddedQueueOptions) {
    this.now = options.now ?? Date.now;
    if (options.journal) {
      const restored = fromJournal(options.journal.open());
      this.sequence = restored.sequence;
      for (const [name, state] of restored.queues)
        this.queues.set(name, { ...state, busySessions: new Set(), wakeups: new Set() });
    }
  }

  /** Messages kept from before a restart, per queue (waiting, dead-lettered). */
  restoredDepth(queue: QueueName): { waiting: number; deadLetters: number } {
    const state = this.state(queue);
    return { waiting: state.entries.length, deadLetters: state.deadLetters.length };
  }

  private journal(record: JournalRecord): void {
    this.options.journal?.append(record, () => toJournal(this.queues, this.sequence));
  }

  async send(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    const state = this.state(queue);
    const now = this.now();
    // Ids are inserted in expiry order (one window for all), so expiry stops at the first live one: a sweep
    // over every id seen in the window made each send cost O(window) under sustained load.
    for (const [id, expiresAt] of state.seenIds) {
      if (expiresAt > now) break;
      state.seenIds.delete(id);
    }
    for (const message of messages) {
      if (!message.messageId) throw new Error('messageId is required');
      // Service Bus drops a message whose id was seen within the window, silently.
      if (state.seenIds.has(message.messageId)) continue;
      state.seenIds.set(message.messageId, now + this.options.duplicateWindowMs);
      const availableAt = message.scheduledEnqueueTimeUtc ? message.scheduledEnqueueTimeUtc.getTime() : now;
      const entry: Entry = {
        message: {
          ...message,
          applicationProperties: { ...message.applicationProperties },
          sequenceNumber: ++this.sequence,
          deliveryCount: 0,
          enqueuedTimeUtc: new Date(now),
          lockToken: '',
        },
        availableAt,
      };
      state.entries.push(entry);
      // Kept before send returns: a message the sender saw accepted is not lost by a crash.
      this.journal({
        t: 'send',
        q: queue,
        m: journaled(entry.message, entry.availableAt),
        seenUntil: now + this.options.duplicateWindowMs,
      });
      if (availableAt > now) setTimeout(() => this.wake(queue), availableAt - now + 1).unref();
    }
    this.wake(queue);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.options.journal?.close();
  }

  /** Lock and return the next deliverable message, or undefined. */
  receive(queue: QueueName): ReceivedMessage | undefined {
    const state = this.state(queue);
    const now = this.now();
    this.expireLocks(queue, state, now);
    // Entries are kept in sequence order (appended as numbered; abandoned ones keep their place), so the first
    // deliverable one is the oldest: no filtering and sorting the whole queue per receive, which made a
    // backlog of n messages cost O(n log n) a delivery.
    const entry = state.entries.find(
      (candidate) =>
        !candidate.lock &&
        candidate.availableAt <= now &&
        !(candidate.message.sessionId && state.busySessions.has(candidate.message.sessionId)),
    );
    if (!entry) return undefined;
    entry.lock = { token: randomUUID(), expiresAt: now + this.options.lockDurationMs };
    entry.message.deliveryCount += 1;
    entry.message.lockToken = entry.lock.token;
    if (entry.message.sessionId) state.busySessions.add(entry.message.sessionId);
    return { ...entry.message, applicationProperties: { ...entry.message.applicationProperties } };
  }

  complete(queue: QueueName, lockToken: string): void {
    const state = this.state(queue);
    const entry = this.locked(state, lockToken);
    state.entries.splice(state.entries.indexOf(entry), 1);
    this.journal({ t: 'done', q: queue, s: entry.message.sequenceNumber });
    this.release(queue, state, entry);
  }

  /** Give the message back; dead-letter it when it has used all its deliveries. */
  abandon(queue: QueueName, lockToken: string, reason: string): void {
    const state = this.state(queue);
    const entry = this.locked(state, lockToken);
    if (entry.message.deliveryCount >= this.options.maxDeliveryCount) {
      this.moveToDeadLetter(queue, state, entry, 'MaxDeliveryCountExceeded', reason);
    }
    this.release(queue, state, entry);
  }

  deadLetter(queue: QueueName, lockToken: string, reason: string, description: string): void {
    const state = this.state(queue);
    const entry = this.locked(state, lockToken);
    this.moveToDeadLetter(queue, state, entry, reason, description);
    this.release(queue, state, entry);
  }

  deadLetters(queue: QueueName): DeadLetter[] {
    return [...this.state(queue).deadLetters];
  }

  async listDeadLetters(
    queue: QueueName,
    max: number,
    options: ListDeadLettersOptions = {},
  ): Promise<DeadLetteredMessage[]> {
    return this.state(queue)
      .deadLetters.slice(0, options.scanLimit ?? max)
      .map(asListed)
      .filter((letter) => options.accept?.(letter) ?? true)
      .slice(0, max);
  }

  /**
   * Send a dead-lettered message again as a fresh message (delivery count 0, and a fresh retry budget: the
   * `attempt` its body carried is dropped); false when it is not there.
   */
  async redrive(queue: QueueName, messageId: string, options: RedriveOptions = {}): Promise<boolean> {
    const state = this.state(queue);
    const index = state.deadLetters.findIndex(
      (letter) => letter.messageId === messageId && (options.accept?.(asListed(letter)) ?? true),
    );
    if (index < 0) return false;
    const [letter] = state.deadLetters.splice(index, 1);
    this.journal({ t: 'undead', q: queue, s: letter!.sequenceNumber });
    state.seenIds.delete(messageId);
    await this.send(queue, [
      {
        messageId: letter!.messageId,
        body: withFreshRetryBudget(letter!.body),
        sessionId: letter!.sessionId,
        applicationProperties: letter!.applicationProperties,
      },
    ]);
    return true;
  }

  /**
   * Forget every message of the queue, waiting or in flight, and its duplicate-detection history: what a
   * kill -9 of the process holding this in-memory queue loses (tests of the stale-run sweeper use it).
   */
  purge(queue: QueueName): number {
    const state = this.state(queue);
    const lost = state.entries.length;
    state.entries = [];
    state.seenIds.clear();
    state.busySessions.clear();
    this.journal({ t: 'purge', q: queue });
    return lost;
  }

  /** Messages waiting or in flight (not dead-lettered). */
  depth(queue: QueueName): number {
    return this.state(queue).entries.length;
  }

  /** Deliver messages to the handler with at most `concurrency` in flight; complete on success, abandon on throw. */
  consume(
    queue: QueueName,
    handler: MessageHandler,
    options: { concurrency: number; onError?: (error: unknown, message: ReceivedMessage) => void },
  ): Consumer {
    const state = this.state(queue);
    let stopped = false;
    const inFlight = new Set<Promise<void>>();
    const pump = (): void => {
      while (!stopped && inFlight.size < options.concurrency) {
        const message = this.receive(queue);
        if (!message) return;
        const run = handler(message)
          .then(
            () => this.settle(() => this.complete(queue, message.lockToken)),
            (error: unknown) => {
              options.onError?.(error, message);
              this.settle(() =>
                this.abandon(queue, message.lockToken, error instanceof Error ? error.message : String(error)),
              );
            },
          )
          .finally(() => {
            inFlight.delete(run);
            pump();
          });
        inFlight.add(run);
      }
    };
    state.wakeups.add(pump);
    // Lock expiry and scheduled messages need a periodic look even when nothing is sent.
    const timer = setInterval(pump, Math.min(1000, this.options.lockDurationMs)).unref();
    pump();
    return {
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        state.wakeups.delete(pump);
        await Promise.allSettled([...inFlight]);
      },
    };
  }

  /** A lock that expired while the handler ran makes settling fail, as in Service Bus; the message was redelivered. */
  private settle(action: () => void): void {
    try {
      action();
    } catch {
      /* lock lost: the message is delivered again */
    }
  }

  private state(queue: string): QueueState {
    let state = this.queues.get(queue);
    if (!state) {
      state = { entries: [], deadLetters: [], seenIds: new Map(), busySessions: new Set(), wakeups: new Set() };
      this.queues.set(queue, state);
    }
    return state;
  }

  private locked(state: QueueState, lockToken: string): Entry {
    const entry = state.entries.find((candidate) => candidate.lock?.token === lockToken);
    if (!entry || entry.lock!.expiresAt < this.now())
      throw new Error('MessageLockLost: the lock expired or the message was settled');
    return entry;
  }

  private release(queue: string, state: QueueState, entry: Entry): void {
    entry.lock = undefined;
    if (entry.message.sessionId) state.busySessions.delete(entry.message.sessionId);
    this.wake(queue);
  }

  private moveToDeadLetter(queue: string, state: QueueState, entry: Entry, reason: string, description: string): void {
    state.entries.splice(state.entries.indexOf(entry), 1);
    const letter: DeadLetter = {
      ...entry.message,
      deadLetterReason: reason,
      deadLetterErrorDescription: description.slice(0, 4096),
      deadLetteredAt: new Date(this.now()),
    };
    state.deadLetters.push(letter);
    this.journal({
      t: 'dead',
      q: queue,
      s: letter.sequenceNumber,
      deliveryCount: letter.deliveryCount,
      reason,
      description: letter.deadLetterErrorDescription,
      at: letter.deadLetteredAt.getTime(),
    });
  }

  private expireLocks(queue: string, state: QueueState, now: number): void {
    for (const entry of [...state.entries]) {
      if (!entry.lock || entry.lock.expiresAt > now) continue;
      if (entry.message.deliveryCount >= this.options.maxDeliveryCount)
        this.moveToDeadLetter(queue, state, entry, 'MaxDeliveryCountExceeded', 'lock expired on the last delivery');
      this.release(queue, state, entry);
    }
  }

  private wake(queue: string): void {
    for (const wakeup of this.state(queue).wakeups) queueMicrotask(wakeup);
  }
}
