/**
 * The embedded queue with a journal: the same Service Bus semantics (the conformance suite runs against it), and
 * what a restart keeps: every accepted message not yet completed, dead letters with their reasons, the
 * duplicate-detection window; nothing completed comes back. "Crash" below is a new queue opened on the same
 * file without closing the old one, as after kill -9.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedQueue } from './embedded-queue';
import { QueueJournal } from './queue-journal';
import { QUEUES } from './queues';
import { embeddedQueueUnderTest, runQueueConformance } from '../../../tests/support/queue-conformance';

const dir = mkdtempSync(join(tmpdir(), 'queue-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `journal-${++files}`);

runQueueConformance('embedded queue with a journal', (options) =>
  embeddedQueueUnderTest(
    (now) => new EmbeddedQueue({ ...options, now, journal: new QueueJournal({ file: freshFile(), now }) }),
  ),
);

describe('embedded queue journal across restarts', () => {
  const Q = QUEUES.syncInbound.name;
  const options = { maxDeliveryCount: 2, lockDurationMs: 60_000, duplicateWindowMs: 60_000 };
  const open = (file: string, maxRecords?: number) =>
    new EmbeddedQueue({ ...options, journal: new QueueJournal({ file, maxRecords }) });

  it('keeps accepted messages, drops completed ones, keeps dead letters and the duplicate window after a crash', async () => {
    const file = freshFile();
    const before = open(file);
    await before.send(Q, [
      { messageId: 'a', body: { page: 1 }, sessionId: 'int-1', applicationProperties: { traceparent: 't' } },
      { messageId: 'b', body: { page: 2 }, sessionId: 'int-1' },
      { messageId: 'c', body: { page: 3 } },
      { messageId: 'later', body: {}, scheduledEnqueueTimeUtc: new Date(Date.now() + 3_600_000) },
    ]);
    const first = before.receive(Q)!;
    expect(first.messageId).toBe('a');
    before.complete(Q, first.lockToken);
    const poison = before.receive(Q)!; // c: session int-1 is free again, but b comes first
    expect(poison.messageId).toBe('b');
    before.deadLetter(Q, poison.lockToken, 'BadBody', 'no such entity');
    // In flight at the crash: delivered again after it.
    expect(before.receive(Q)!.messageId).toBe('c');

    const after = open(file);
    expect(after.depth(Q)).toBe(2);
    const again = after.receive(Q)!;
    expect(again).toMatchObject({ messageId: 'c', body: { page: 3 }, deliveryCount: 1 });
    expect(after.receive(Q)).toBeUndefined(); // "later" is not due
    expect(await after.listDeadLetters(Q, 10)).toEqual([
      expect.objectContaining({ messageId: 'b', reason: 'BadBody', description: 'no such entity', sessionId: 'int-1' }),
    ]);
    // Service Bus drops a message whose id was seen within the window: still true after the restart.
    await after.send(Q, [{ messageId: 'a', body: { page: 1 } }]);
    expect(after.depth(Q)).toBe(2);
    // A redriven dead letter is a fresh message, kept as such.
    expect(await after.redrive(Q, 'b')).toBe(true);
    await after.close();
    const third = open(file);
    expect(await third.listDeadLetters(Q, 10)).toEqual([]);
    const ids = [third.receive(Q)?.messageId, third.receive(Q)?.messageId];
    expect(ids.sort()).toEqual(['b', 'c']);
    await third.close();
  });

  it('keeps the state when the journal is compacted, and reads past a line cut short by a crash', async () => {
    const file = freshFile();
    const queue = open(file, 10);
    for (let i = 0; i < 30; i++) await queue.send(Q, [{ messageId: `m${i}`, body: { i } }]);
    for (let i = 0; i < 25; i++) {
      const message = queue.receive(Q)!;
      queue.complete(Q, message.lockToken);
    }
    // Compaction ran (every 10 records): the bodies of messages completed before it are gone from the file.
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('{"i":3}');
    expect(text).toContain('{"i":29}');
    appendFileSync(file, '{"t":"send","q":"sync-inbound","m":{"messageId":"to');
    const restarted = open(file);
    expect(restarted.depth(Q)).toBe(5);
    expect(restarted.receive(Q)!.body).toEqual({ i: 25 });
    await restarted.send(Q, [{ messageId: 'm3', body: {} }]); // completed, still inside the window
    expect(restarted.depth(Q)).toBe(5);
    await restarted.close();
  });
});
