/**
 * `npm run bench -- http-layer [seconds] [connections] [repetitions]`: the local host's HTTP layer alone
 * (hosts/local/http-host.ts: routing over the real HTTP functions, body limits, the lean request, the response
 * writer) with a WebhookReceiver whose handler does only what the function entry does with the request (raw
 * bytes, headers, query, params) and answers as an accepted delivery does, against the bare node:http ceiling,
 * under the webhooks benchmark's generator and deliveries. Both sides' CPU per answered request is their own
 * process's; the difference is what the HTTP layer costs per delivery, the part of the host's CPU that
 * hosts/local owns (the webhooks benchmark measures the whole path, where this part is lost in the noise of a
 * shared machine). Repetitions alternate the two servers; the medians are printed.
 * - `http_layer_cpu_us_per_request`, `ceiling_cpu_us_per_request`, `http_layer_overhead_us` (the difference).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { FUNCTIONS } from '../../functions/manifest';
import type { HttpFunction } from '../../functions/definition';
import type { AppServices } from '../../shared/app/services';
import { json } from '../../shared/platform/http/responses';
import { createHttpHost } from '../../hosts/local/http-host';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { emit, percentile } from './emit';
import { loadAverage } from './support/bench-host';
import { startBareServer } from './support/bare-server';
import type { DeliveryTargets } from './support/webhook-deliveries';
import { startLoadGenerator, type LoadGenerator, type StageResult } from './support/webhook-load';

const BENCH = 'http-layer';
const UNBOUNDED_PER_S = 30_000;

/** What functions/WebhookReceiver does with the request before the core takes over, and an accepted answer. */
const receiverStub: HttpFunction['handler'] = async (request) => {
  // The raw bytes, as the entry takes them for the verifier.
  void Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  // No body parsing here: the function entry does none (the core parses after verifying).
  const deliveryId = request.headers.get('x-github-delivery') ?? request.headers.get('x-slack-request-timestamp');
  void request.query.get('secret');
  return json(200, {
    accepted: true,
    deliveryId,
    runIds: [`wh-${request.params.integrationId ?? ''}-0`],
  });
};

function startHttpLayer(): Promise<Server> {
  const definitions = FUNCTIONS.filter((f): f is HttpFunction => f.trigger === 'http').map((definition) =>
    definition.name === 'WebhookReceiver' ? { ...definition, handler: receiverStub } : definition,
  );
  // Only what the HTTP layer itself reads: the body limits and the logger.
  const services = {
    settings: { limits: { webhookMaxBodyBytes: 1_048_576, adminMaxBodyBytes: 262_144 } },
    logger: { error: () => undefined },
  } as unknown as AppServices;
  const server = createHttpHost(definitions, services);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function measure(
  generator: LoadGenerator,
  url: string,
  cpuUs: () => Promise<number>,
  seconds: number,
  connections: number,
  targets: DeliveryTargets,
): Promise<StageResult & { cpuPerRequestUs: number }> {
  const before = await cpuUs();
  const result = await generator.stage({
    url,
    seconds,
    unboundedPerS: UNBOUNDED_PER_S,
    connections,
    pipelining: 1,
    targets,
  });
  const used = (await cpuUs()) - before;
  if (result.errors > 0) throw new Error(`${result.errors} requests failed against ${url}`);
  return { ...result, cpuPerRequestUs: used / Math.max(1, result.ok) };
}

export default async function httpLayerBench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 5);
  const connections = Number(args[1] ?? 128);
  const repetitions = Number(args[2] ?? 3);
  const targets: DeliveryTargets = {
    github: { integrationId: 'bench-gh', secret: randomBytes(24).toString('hex'), issues: 500 },
    slack: { integrationId: 'bench-slack', secret: randomBytes(24).toString('hex'), channels: channelIds(2) },
  };
  const generator = await startLoadGenerator();
  const layer = await startHttpLayer();
  const bare = await startBareServer();
  try {
    const layerUrl = `http://127.0.0.1:${(layer.address() as { port: number }).port}`;
    const ownCpu = async () => {
      const cpu = process.cpuUsage();
      return cpu.user + cpu.system;
    };
    const load = await loadAverage();
    const layerUs: number[] = [];
    const bareUs: number[] = [];
    for (let rep = 0; rep < repetitions; rep++) {
      const host = await measure(generator, layerUrl, ownCpu, seconds, connections, targets);
      const ceiling = await measure(generator, bare.url, bare.cpuUs, seconds, connections, targets);
      layerUs.push(host.cpuPerRequestUs);
      bareUs.push(ceiling.cpuPerRequestUs);
      console.error(
        `http-layer: ${host.perS.toFixed(0)}/s at ${host.cpuPerRequestUs.toFixed(1)} µs CPU per request; bare ${ceiling.perS.toFixed(0)}/s at ${ceiling.cpuPerRequestUs.toFixed(1)} µs`,
      );
    }
    console.error(`load average before ${load}, after ${await loadAverage()}`);
    const layerMedian = percentile(layerUs, 50);
    const bareMedian = percentile(bareUs, 50);
    emit(BENCH, 'http_layer_cpu_us_per_request', layerMedian, 'µs');
    emit(BENCH, 'ceiling_cpu_us_per_request', bareMedian, 'µs');
    emit(BENCH, 'http_layer_overhead_us', layerMedian - bareMedian, 'µs');
  } finally {
    await bare.stop();
    layer.closeAllConnections();
    await new Promise((resolve) => layer.close(resolve));
    await generator.stop();
  }
}
