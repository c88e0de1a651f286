/**
 * A journal that keeps the embedded queue across restarts of the local host: every accepted message is appended
 * (and handed to the kernel) before `send` returns, so a message the sender saw accepted survives a kill -9 of
 * the process; completions, dead-letterings, redrives and purges are appended after they happen, so a crash
 * between handling and its record delivers the message again (at least once, as Service Bus). Start-up replays
 * the journal and rewrites it compacted (fsynced, then renamed into place); it is compacted again when it has
 * grown past a size. Locks do not survive: a message in flight at a crash is delivered again, its delivery
 * count kept from the last dead-letter decision only (deliveries are not journaled). A power loss can lose what
 * the kernel had not yet written (appends are not fsynced one by one).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** A message as the journal keeps it: dates as epoch milliseconds. */
export interface JournaledMessage {
  messageId: string;
  body: unknown;
  sessionId?: string;
  correlationId?: string;
  applicationProperties?: Record<string, unknown>;
  sequenceNumber: number;
  enqueuedAt: number;
  availableAt: number;
}

export interface JournaledDeadLetter extends JournaledMessage {
  deliveryCount: number;
  reason: string;
  description: string;
  deadLetteredAt: number;
}

export type JournalRecord =
  | { t: 'send'; q: string; m: JournaledMessage; seenUntil: number }
  | { t: 'done'; q: string; s: number }
  | { t: 'dead'; q: string; s: number; deliveryCount: number; reason: string; description: string; at: number }
  | { t: 'undead'; q: string; s: number }
  | { t: 'purge'; q: string };

export interface JournaledQueue {
  messages: JournaledMessage[];
  deadLetters: JournaledDeadLetter[];
  /** Message ids seen within the duplicate window, with when they leave it. */
  seenIds: [string, number][];
}

export interface JournalState {
  queues: Map<string, JournaledQueue>;
  sequence: number;
}

const DEFAULT_MAX_RECORDS = 50_000;

function emptyQueue(): JournaledQueue {
  return { messages: [], deadLetters: [], seenIds: [] };
}

/** Folds records into queue states (exported for the test that checks replay against a live queue). */
export function replay(records: Iterable<JournalRecord>, now: number): JournalState {
  const queues = new Map<string, JournaledQueue>();
  const seen = new Map<string, Map<string, number>>();
  let sequence = 0;
  const queueOf = (name: string) => {
    let queue = queues.get(name);
    if (!queue) queues.set(name, (queue = emptyQueue()));
    if (!seen.has(name)) seen.set(name, new Map());
    return queue;
  };
  for (const record of records) {
    const queue = queueOf(record.q);
    switch (record.t) {
      case 'send':
        queue.messages.push(record.m);
        seen.get(record.q)!.set(record.m.messageId, record.seenUntil);
        sequence = Math.max(sequence, record.m.sequenceNumber);
        break;
      case 'done':
        queue.messages = queue.messages.filter((message) => message.sequenceNumber !== record.s);
        break;
      case 'dead': {
        const message = queue.messages.find((candidate) => candidate.sequenceNumber === record.s);
        if (!message) break;
        queue.messages = queue.messages.filter((candidate) => candidate !== message);
        queue.deadLetters.push({
          ...message,
          deliveryCount: record.deliveryCount,
          reason: record.reason,
          description: record.description,
          deadLetteredAt: record.at,
        });
        break;
      }
      case 'undead': {
        const letter = queue.deadLetters.find((candidate) => candidate.sequenceNumber === record.s);
        queue.deadLetters = queue.deadLetters.filter((candidate) => candidate.sequenceNumber !== record.s);
        // A redriven message is sent again under its id: the window starts over.
        if (letter) seen.get(record.q)!.delete(letter.messageId);
        break;
      }
      case 'purge':
        queue.messages = [];
        seen.get(record.q)!.clear();
        break;
    }
  }
  for (const [name, queue] of queues)
    queue.seenIds = [...seen.get(name)!].filter(([, until]) => until > now).sort((a, b) => a[1] - b[1]);
  return { queues, sequence };
}

/** The records that rebuild a state: what a compacted journal holds. */
function compacted(state: JournalState): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const [name, queue] of state.queues) {
    const seenUntil = new Map(queue.seenIds);
    const live = new Set([...queue.messages, ...queue.deadLetters].map((message) => message.messageId));
    // Ids seen in the window whose messages are gone: kept as sends that are done at once.
    for (const [messageId, until] of queue.seenIds)
      if (!live.has(messageId)) {
        records.push({
          t: 'send',
          q: name,
          m: { messageId, body: null, sequenceNumber: 0, enqueuedAt: 0, availableAt: 0 },
          seenUntil: until,
        });
        records.push({ t: 'done', q: name, s: 0 });
      }
    for (const letter of queue.deadLetters) {
      const { deliveryCount, reason, description, deadLetteredAt, ...message } = letter;
      records.push({ t: 'send', q: name, m: message, seenUntil: seenUntil.get(message.messageId) ?? 0 });
      records.push({
        t: 'dead',
        q: name,
        s: message.sequenceNumber,
        deliveryCount,
        reason,
        description,
        at: deadLetteredAt,
      });
    }
    for (const message of queue.messages)
      records.push({ t: 'send', q: name, m: message, seenUntil: seenUntil.get(message.messageId) ?? 0 });
  }
  return records;
}

export interface QueueJournalOptions {
  file: string;
  now?: () => number;
  /** Records appended before the journal is compacted. */
  maxRecords?: number;
}

export class QueueJournal {
  private fd = -1;
  private appended = 0;
  private readonly now: () => number;
  private readonly maxRecords: number;

  constructor(private readonly options: QueueJournalOptions) {
    this.now = options.now ?? Date.now;
    this.maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  }

  /** Reads what was journaled, rewrites it compacted and opens the journal for appends. */
  open(): JournalState {
    const { file } = this.options;
    mkdirSync(dirname(file), { recursive: true });
    const records: JournalRecord[] = [];
    if (existsSync(file))
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          records.push(JSON.parse(line) as JournalRecord);
        } catch {
          /* a line cut short by a crash: its send never returned */
        }
      }
    const state = replay(records, this.now());
    this.rewrite(state);
    return state;
  }

  /** Appends one record; it reaches the kernel before this returns. */
  append(record: JournalRecord, current: () => JournalState): void {
    if (this.fd < 0) return;
    writeSync(this.fd, JSON.stringify(record) + '\n');
    if (++this.appended >= this.maxRecords) this.rewrite(current());
  }

  close(): void {
    if (this.fd < 0) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private rewrite(state: JournalState): void {
    const { file } = this.options;
    const temp = `${file}.tmp`;
    const out = openSync(temp, 'w');
    try {
      const text = compacted(state)
        .map((record) => JSON.stringify(record) + '\n')
        .join('');
      if (text) writeSync(out, text);
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(temp, file);
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = openSync(file, 'a');
    this.appended = 0;
  }
}
