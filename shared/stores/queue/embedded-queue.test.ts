import { EmbeddedQueue } from './embedded-queue';
import { embeddedQueueUnderTest, runQueueConformance } from '../../../tests/support/queue-conformance';

runQueueConformance('embedded queue', (options) =>
  embeddedQueueUnderTest((now) => new EmbeddedQueue({ ...options, now })),
);
