import { runQueueConformance } from '../../../tests/support/queue-conformance';
import { serviceBusUnderTest } from '../../../tests/support/service-bus-standin/harness';

// The suite the embedded queue passes, run against ServiceBusQueue over the Service Bus stand-in, with delivery
// driven the way the Functions host does it.
runQueueConformance('Service Bus adapter (stand-in broker)', serviceBusUnderTest);
