import { EmbeddedQueue } from './embedded-queue';
import { runQueueConformance } from '../../../tests/support/queue-conformance';

runQueueConformance('embedded queue', (options) => {
  let offset = 0;
  const queue = new EmbeddedQueue({ ...options, now: () => Date.now() + offset });
  return {
    queue,
    consume: (name, handler, consumeOptions) => queue.consume(name, handler, consumeOptions),
    receive: (name) => queue.receive(name),
    complete: (name, lockToken) => queue.complete(name, lockToken),
    abandon: (name, lockToken, reason) => queue.abandon(name, lockToken, reason),
    depth: (name) => queue.depth(name),
    advance: (ms) => void (offset += ms),
    // The embedded queue knows the handler's error and keeps it; it can reuse the id because it forgets it.
    exhaustedDescription: (handlerError) => handlerError,
    redrivenId: (messageId) => messageId,
  };
});
