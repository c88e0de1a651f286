/**
 * A queue for the pipeline-alone stage of the sync benchmark: it only records what was sent (the benchmark
 * drives the next page itself). The stage's documents live in the product's memory document store
 * (shared/stores/documents/memory/), which keeps documents by reference, so the figure measures the pipeline.
 */
import type { OutgoingMessage, QueueSender } from '../../../shared/stores/queue/queue-port';
import type { QueueName } from '../../../shared/stores/queue/queues';

/** Keeps sent messages in order; the benchmark drives the next page itself. */
export class MemoryQueue implements QueueSender {
  readonly sent: Array<{ queue: QueueName; message: OutgoingMessage }> = [];
  async send(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.sent.push({ queue, message });
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
