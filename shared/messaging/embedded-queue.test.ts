import { EmbeddedQueue } from './embedded-queue';
import { runQueueConformance } from '../../tests/support/queue-conformance';

runQueueConformance('embedded queue', (options) => {
  let offset = 0;
  const queue = new EmbeddedQueue({ ...options, now: () => Date.now() + offset });
  return { queue, advance: (ms) => void (offset += ms) };
});
