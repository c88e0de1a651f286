/**
 * The broker side of a Service Bus stand-in (there is no Service Bus emulator on this machine). It keeps the
 * documented semantics the app and the Functions host rely on, so that ServiceBusQueue can be judged by them:
 * - peek-lock: a received message is locked (token, lockedUntil) and invisible to other receivers until it is
 *   completed (removed), abandoned or its lock expires; settling with a stale token fails with MessageLockLost;
 * - delivery count: incremented when a lock is abandoned or expires (not on receive); on the main queue a message
 *   whose count reaches maxDeliveryCount moves to the dead-letter subqueue (MaxDeliveryCountExceeded);
 *   the dead-letter subqueue never dead-letters again, it only counts;
 * - peek: no lock, no count change, by sequence number, locked messages included;
 * - sequence numbers per entity in send order; scheduled messages invisible until due;
 * - duplicate detection by messageId within the window: the later send is dropped silently;
 * - sessions: a session-enabled queue is received through a session lock (one holder per session), FIFO
 *   inside a session; its dead-letter subqueue is NOT session-enabled (an ordinary receiver reads it).
 * Time comes from an injected clock so tests can move it.
 */
import { randomUUID } from 'node:crypto';

export interface EntityOptions {
  requiresSession: boolean;
  requiresDuplicateDetection: boolean;
  maxDeliveryCount: number;
  lockDurationMs: number;
  duplicateWindowMs: number;
}

export interface StoredMessage {
  sequenceNumber: number;
  messageId: string;
  body: unknown;
  sessionId?: string;
  correlationId?: string;
  contentType?: string;
  applicationProperties: Record<string, unknown>;
  enqueuedAt: number;
  visibleAt: number;
  /** The AMQP header delivery-count: failed deliveries so far (abandons and lock expiries). */
  deliveryCount: number;
  lock?: { token: string; until: number; owner: object };
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
}

export type SubQueue = 'active' | 'deadLetter';

/** Mirrors the SDK's ServiceBusError: a code and a retryable flag. */
export class StandInServiceBusError extends Error {
  override readonly name = 'ServiceBusError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

interface Entity {
  options: EntityOptions;
  active: StoredMessage[];
  deadLetter: StoredMessage[];
  seenIds: Map<string, number>;
  sessionLocks: Map<string, object>;
  nextSequence: number;
  /** Held locks by token, so settling is not a scan of a 10,000-message subqueue. */
  locks: Map<string, { message: StoredMessage; subQueue: SubQueue }>;
  /** No lock expires before this time: lock expiry needs no scan until then. */
  nextExpiry: number;
}

export interface OutgoingStandInMessage {
  messageId?: string;
  body: unknown;
  sessionId?: string;
  correlationId?: string;
  contentType?: string;
  scheduledEnqueueTimeUtc?: Date;
  applicationProperties?: Record<string, unknown>;
}

export class StandInNamespace {
  private readonly entities = new Map<string, Entity>();
  /** Every lock handed out, in order: lets a test prove no message reached a loop twice. */
  readonly deliveries: Array<{ queue: string; subQueue: SubQueue; sequenceNumber: number }> = [];

  constructor(readonly now: () => number = Date.now) {}

  createQueue(name: string, options: EntityOptions): void {
    this.entities.set(name, {
      options,
      active: [],
      deadLetter: [],
      seenIds: new Map(),
      sessionLocks: new Map(),
      nextSequence: 1,
      locks: new Map(),
      nextExpiry: Infinity,
    });
  }

  options(queue: string): EntityOptions {
    return this.entity(queue).options;
  }

  send(queue: string, messages: OutgoingStandInMessage[]): void {
    const entity = this.entity(queue);
    const now = this.now();
    // The broker checks the whole batch before it accepts any of it.
    for (const message of messages) {
      if (entity.options.requiresSession && !message.sessionId)
        throw new StandInServiceBusError(
          'InvalidOperation',
          `The SessionId was not set on a message, and it cannot be sent to the entity ${queue}. Entities that have session support enabled can only receive messages that have the SessionId set.`,
        );
    }
    for (const message of messages) {
      const messageId = message.messageId ?? randomUUID();
      if (entity.options.requiresDuplicateDetection) {
        const seenUntil = entity.seenIds.get(messageId);
        if (seenUntil !== undefined && seenUntil > now) continue;
        entity.seenIds.set(messageId, now + entity.options.duplicateWindowMs);
      }
      entity.active.push({
        sequenceNumber: entity.nextSequence++,
        messageId,
        body: structuredClone(message.body),
        sessionId: message.sessionId,
        correlationId: message.correlationId,
        contentType: message.contentType,
        applicationProperties: { ...message.applicationProperties },
        enqueuedAt: now,
        visibleAt: message.scheduledEnqueueTimeUtc?.getTime() ?? now,
        deliveryCount: 0,
      });
    }
  }

  /** Lock up to `max` deliverable messages for `owner`, oldest first; with sessionId only that session's. */
  receive(queue: string, subQueue: SubQueue, max: number, owner: object, sessionId?: string): StoredMessage[] {
    const entity = this.entity(queue);
    this.expireLocks(queue, entity);
    if (subQueue === 'active' && entity.options.requiresSession && sessionId === undefined) {
      throw new StandInServiceBusError(
        'InvalidOperation',
        `It is not possible for an entity that requires sessions to create a non-sessionful message receiver: ${queue}`,
      );
    }
    if (sessionId !== undefined && entity.sessionLocks.get(sessionId) !== owner)
      throw new StandInServiceBusError(
        'SessionLockLost',
        `the session lock on ${sessionId} is not held by this receiver`,
      );
    const now = this.now();
    const taken: StoredMessage[] = [];
    for (const message of this.list(entity, subQueue)) {
      if (taken.length >= max) break;
      if (message.lock || message.visibleAt > now) continue;
      if (sessionId !== undefined && message.sessionId !== sessionId) continue;
      message.lock = { token: randomUUID(), until: now + entity.options.lockDurationMs, owner };
      entity.locks.set(message.lock.token, { message, subQueue });
      entity.nextExpiry = Math.min(entity.nextExpiry, message.lock.until);
      this.deliveries.push({ queue, subQueue, sequenceNumber: message.sequenceNumber });
      taken.push(message);
    }
    return taken;
  }

  /** Browse: no lock and no count change; scheduled and locked messages are included, as in Service Bus. */
  peek(queue: string, subQueue: SubQueue, fromSequenceNumber: number, max: number): StoredMessage[] {
    const entity = this.entity(queue);
    this.expireLocks(queue, entity);
    return this.list(entity, subQueue)
      .filter((message) => message.sequenceNumber >= fromSequenceNumber)
      .slice(0, max);
  }

  complete(queue: string, subQueue: SubQueue, token: string): void {
    const entity = this.entity(queue);
    const message = this.locked(queue, entity, subQueue, token);
    entity.locks.delete(token);
    const list = this.list(entity, subQueue);
    list.splice(list.indexOf(message), 1);
  }

  abandon(queue: string, subQueue: SubQueue, token: string): void {
    const entity = this.entity(queue);
    this.release(entity, subQueue, this.locked(queue, entity, subQueue, token));
  }

  deadLetter(queue: string, token: string, reason: string, description: string): void {
    const entity = this.entity(queue);
    const message = this.locked(queue, entity, 'active', token);
    entity.locks.delete(token);
    message.lock = undefined;
    this.moveToDeadLetter(entity, message, reason, description);
  }

  renewLock(queue: string, subQueue: SubQueue, token: string): number {
    const entity = this.entity(queue);
    const message = this.locked(queue, entity, subQueue, token);
    message.lock!.until = this.now() + entity.options.lockDurationMs;
    return message.lock!.until;
  }

  /** Take the lock of `sessionId`, or of the session of the oldest available message when undefined. */
  acceptSession(queue: string, subQueue: SubQueue, owner: object, sessionId?: string): string | undefined {
    const entity = this.entity(queue);
    if (subQueue !== 'active')
      throw new StandInServiceBusError(
        'InvalidOperation',
        `Cannot create a MessageSession for a sub-queue: ${queue}/$DeadLetterQueue`,
      );
    if (!entity.options.requiresSession)
      throw new StandInServiceBusError(
        'InvalidOperation',
        `A sessionful message receiver cannot be created on an entity that does not require sessions: ${queue}`,
      );
    this.expireLocks(queue, entity);
    const now = this.now();
    const chosen =
      sessionId ??
      entity.active.find(
        (message) => !message.lock && message.visibleAt <= now && !entity.sessionLocks.has(message.sessionId!),
      )?.sessionId;
    if (chosen === undefined) return undefined;
    if (entity.sessionLocks.has(chosen))
      throw new StandInServiceBusError(
        'SessionCannotBeLocked',
        `The requested session '${chosen}' cannot be accepted. It may be locked by another receiver.`,
        true,
      );
    entity.sessionLocks.set(chosen, owner);
    return chosen;
  }

  releaseSession(queue: string, sessionId: string, owner: object): void {
    const entity = this.entity(queue);
    if (entity.sessionLocks.get(sessionId) === owner) entity.sessionLocks.delete(sessionId);
  }

  /** A receiver link that closes gives its unsettled locks back, as abandons. */
  releaseLocksOf(queue: string, owner: object): void {
    const entity = this.entity(queue);
    for (const { message, subQueue } of [...entity.locks.values()])
      if (message.lock?.owner === owner) this.release(entity, subQueue, message);
  }

  /** An independent copy of every entity (no locks, no sessions held) on another clock: one costly fixture, many tests. */
  fork(now: () => number, options: Partial<EntityOptions> = {}): StandInNamespace {
    const copy = new StandInNamespace(now);
    for (const [name, entity] of this.entities) {
      const clone = (message: StoredMessage): StoredMessage => ({
        ...message,
        body: structuredClone(message.body),
        applicationProperties: { ...message.applicationProperties },
        lock: undefined,
      });
      copy.entities.set(name, {
        ...entity,
        options: { ...entity.options, ...options },
        active: entity.active.map(clone),
        deadLetter: entity.deadLetter.map(clone),
        seenIds: new Map(entity.seenIds),
        sessionLocks: new Map(),
        locks: new Map(),
        nextExpiry: Infinity,
      });
    }
    return copy;
  }

  /** Test inspection: copies of what an entity holds (not an SDK operation). */
  snapshot(queue: string, subQueue: SubQueue): StoredMessage[] {
    const entity = this.entity(queue);
    this.expireLocks(queue, entity);
    return this.list(entity, subQueue).map((message) => ({ ...message, lock: message.lock && { ...message.lock } }));
  }

  private entity(queue: string): Entity {
    const entity = this.entities.get(queue);
    if (!entity)
      throw new StandInServiceBusError(
        'MessagingEntityNotFound',
        `The messaging entity '${queue}' could not be found.`,
      );
    return entity;
  }

  private list(entity: Entity, subQueue: SubQueue): StoredMessage[] {
    return subQueue === 'active' ? entity.active : entity.deadLetter;
  }

  private locked(queue: string, entity: Entity, subQueue: SubQueue, token: string): StoredMessage {
    this.expireLocks(queue, entity);
    const held = entity.locks.get(token);
    const message = held?.subQueue === subQueue ? held.message : undefined;
    if (!message)
      throw new StandInServiceBusError(
        'MessageLockLost',
        'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
      );
    return message;
  }

  private release(entity: Entity, subQueue: SubQueue, message: StoredMessage): void {
    if (message.lock) entity.locks.delete(message.lock.token);
    message.lock = undefined;
    message.deliveryCount += 1;
    if (subQueue === 'active' && message.deliveryCount >= entity.options.maxDeliveryCount) {
      this.moveToDeadLetter(
        entity,
        message,
        'MaxDeliveryCountExceeded',
        `Message could not be consumed after ${entity.options.maxDeliveryCount} delivery attempts.`,
      );
    }
  }

  private moveToDeadLetter(entity: Entity, message: StoredMessage, reason: string, description: string): void {
    entity.active.splice(entity.active.indexOf(message), 1);
    message.deadLetterReason = reason;
    message.deadLetterErrorDescription = description;
    // Kept in sequence order (a message keeps its number), inserted where it belongs without re-sorting.
    const list = entity.deadLetter;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle]!.sequenceNumber < message.sequenceNumber) low = middle + 1;
      else high = middle;
    }
    list.splice(low, 0, message);
  }

  private expireLocks(_queue: string, entity: Entity): void {
    const now = this.now();
    if (now < entity.nextExpiry) return;
    let next = Infinity;
    for (const { message, subQueue } of [...entity.locks.values()]) {
      if (message.lock!.until <= now) this.release(entity, subQueue, message);
      else next = Math.min(next, message.lock!.until);
    }
    entity.nextExpiry = next;
  }
}
