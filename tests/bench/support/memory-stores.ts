/**
 * What the pipeline-alone stage of the sync benchmark runs on instead of Cosmos and the queue: the product's
 * memory document store (shared/stores/documents/memory/, which keeps documents by reference, so the figure
 * measures the pipeline, not copying) and a queue that only records what was sent.
 */
import { MemoryConflictsRepository } from '../../../shared/stores/documents/memory/conflicts-repository';
import type { OutgoingMessage, QueueSender } from '../../../shared/stores/queue/queue-port';
import type { QueueName } from '../../../shared/stores/queue/queues';

// The names the benchmark used before the memory store moved into the product (sync.bench.ts still says them).
export { MemoryShardsRepository as MemoryShardStore } from '../../../shared/stores/documents/memory/shards-repository';
export { MemorySyncStateRepository as MemorySyncStateStore } from '../../../shared/stores/documents/memory/sync-state-repository';
export const memoryBulkContainer = (): MemoryConflictsRepository => new MemoryConflictsRepository();

/** Keeps sent messages in order; the benchmark drives the next page itself. */
export class MemoryQueue implements QueueSender {
  readonly sent: Array<{ queue: QueueName; message: OutgoingMessage }> = [];
  async send(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.sent.push({ queue, message });
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
