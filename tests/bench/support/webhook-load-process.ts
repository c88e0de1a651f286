/**
 * Child-process entry of the webhooks benchmark's load generator: autocannon in its own process, so the
 * generator neither shares the measured host's event loop nor hides its cost in the host's CPU figure. Each
 * `stage` request signs the deliveries it needs (before the clock starts), sends them once each, and answers
 * with the stage's figures and the generator's own CPU share (near 100% of a core: the generator is the limit).
 */
import autocannon from 'autocannon';
import { signedDeliveries } from './webhook-deliveries';
import { deliveriesForStage, type LoadRequest, type LoadResponse } from './webhook-load';

/** Autocannon's per-connection context: the delivery of the request in flight. */
interface PairedContext {
  deliveryId?: string;
}

async function runStage(request: Extract<LoadRequest, { type: 'stage' }>): Promise<LoadResponse> {
  const deliveries = signedDeliveries(request.targets, deliveriesForStage(request), request.offset);
  let next = 0;
  let exhausted = 0;
  // The delivery behind each 2xx, for the lost/doubled count: autocannon keeps one context per connection and
  // renews it before each request is set up, so with one request in flight per connection (pipelining 1) the
  // context that sees a response is the one of the request it answers.
  if (request.pipelining !== 1) throw new Error('the webhook load generator attributes answers with pipelining 1 only');
  const acceptedIds: string[] = [];
  let misattributed = 0;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    pipelining: request.pipelining,
    duration: request.seconds,
    ...(request.rate ? { overallRate: request.rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          const delivery = deliveries[next++];
          if (!delivery) {
            exhausted++;
            // Out of signed deliveries: a request that fails visibly (404) instead of a reused one.
            return { ...req, method: 'POST', path: '/api/webhooks/none/exhausted', body: '{}' };
          }
          (context as PairedContext).deliveryId = delivery.id;
          return { ...req, method: 'POST', path: delivery.path, headers: delivery.headers, body: delivery.body };
        },
        onResponse: (status, body, context) => {
          const { deliveryId } = context as PairedContext;
          if (status < 200 || status > 299 || !deliveryId) return;
          acceptedIds.push(deliveryId);
          // The host's answer names its delivery (the bare ceiling's 202 has no body): a cheap check of the pairing.
          if (body && !body.includes(deliveryId)) misattributed++;
        },
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  const ok = result['2xx'];
  // A stage with failures says what they were (status codes, socket errors, timeouts) next to its figures.
  if (result.non2xx + result.errors + result.timeouts > 0) {
    console.error(
      `webhook load: stage ${request.rate ?? 'max'}/s failures: ${JSON.stringify({ statuses: result.statusCodeStats, errors: result.errors, timeouts: result.timeouts })}`,
    );
  }
  return {
    type: 'stage-done',
    id: request.id,
    result: {
      offered: request.rate ?? 'max',
      sent: result.requests.sent,
      ok,
      perS: ok / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
      exhausted,
      generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100,
      acceptedIds,
      misattributed,
    },
  };
}

process.on('message', (message: LoadRequest) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type === 'stage') {
    runStage(message).then(
      (response) => process.send!(response),
      (error: unknown) =>
        process.send!({
          type: 'stage-failed',
          id: message.id,
          message: error instanceof Error ? error.message : String(error),
        } satisfies LoadResponse),
    );
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready' } satisfies LoadResponse);
