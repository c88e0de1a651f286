/**
 * The webhooks benchmark's LOCAL_WORKERS figures: the same unbounded stage against a fresh local host with its
 * HTTP functions in this process (1) and in two worker processes (2), each on its own Cosmos database, queue
 * triggers stopped as in the measured stages. Every delivery answered 2xx must have its receipt in Cosmos
 * (written by whichever worker took it): `lost` counts those without.
 */
import { randomBytes } from 'node:crypto';
import { createBenchIntegration, startBenchHost } from './bench-host';
import type { DeliveryTargets } from './webhook-deliveries';
import type { LoadGenerator } from './webhook-load';
import type { IssuedTokens } from '../../../dev/sandboxes/common/types';
import { receiptId } from '../../../shared/webhooks/intake/delivery-log';

export interface WorkerScalingRequest {
  cosmos: Record<string, string>;
  redis: Record<string, string>;
  generator: LoadGenerator;
  seconds: number;
  connections: number;
  unboundedPerS: number;
  sandboxes: { github: { url: string; tokens: IssuedTokens }; slack: { url: string; tokens: IssuedTokens } };
  slackChannels: string[];
  issues: number;
}

export interface WorkerScalingResult {
  workers: number;
  acceptedPerS: number;
  accepted: number;
  lost: number;
}

export async function measureWorkerScaling(
  request: WorkerScalingRequest,
  counts: number[] = [1, 2],
): Promise<WorkerScalingResult[]> {
  const results: WorkerScalingResult[] = [];
  for (const workers of counts) {
    const host = await startBenchHost(request.cosmos, {
      ...request.redis,
      REDIS_KEY_PREFIX: `bench-workers-${workers}-${randomBytes(4).toString('hex')}:`,
      WEBHOOK_TENANT_RATE_PER_S: '1000000',
      QUEUE_MAX_DELIVERY_COUNT: '2',
      LOCAL_WORKERS: String(workers),
    });
    try {
      const targets: DeliveryTargets = {
        github: { integrationId: 'bench-gh', secret: randomBytes(24).toString('hex'), issues: request.issues },
        slack: {
          integrationId: 'bench-slack',
          secret: randomBytes(24).toString('hex'),
          channels: request.slackChannels,
        },
      };
      await createBenchIntegration(host, {
        provider: 'github',
        id: 'bench-gh',
        sandboxUrl: request.sandboxes.github.url,
        tokens: request.sandboxes.github.tokens,
        webhookSecret: targets.github.secret,
        entities: ['issues'],
        providerOptions: { repositories: ['acme/widgets'] },
      });
      await createBenchIntegration(host, {
        provider: 'slack',
        id: 'bench-slack',
        sandboxUrl: request.sandboxes.slack.url,
        tokens: request.sandboxes.slack.tokens,
        webhookSecret: targets.slack.secret,
        entities: ['messages'],
        providerOptions: { channels: targets.slack.channels },
      });
      await host.triggers.stop();
      const stage = await request.generator.stage({
        url: host.url,
        seconds: request.seconds,
        unboundedPerS: request.unboundedPerS,
        connections: request.connections,
        pipelining: 1,
        targets,
      });
      // Answers still on the wire when the stage ended are committed by now; each 2xx needs its receipt.
      let lost = 0;
      for (const deliveryId of new Set(stage.acceptedIds)) {
        const receipt =
          (await host.services.deliveryLog.readStored('bench-gh', receiptId(deliveryId))) ??
          (await host.services.deliveryLog.readStored('bench-slack', receiptId(deliveryId)));
        if (receipt?.verdict !== 'accepted') lost++;
      }
      results.push({ workers, acceptedPerS: stage.perS, accepted: stage.ok, lost });
      console.error(
        `webhooks bench: LOCAL_WORKERS=${workers}: unbounded → ${stage.perS.toFixed(0)} 2xx/s, p50 ${stage.p50} ms, p99 ${stage.p99} ms, ${stage.errors} errors, generator ${stage.generatorCpuPercent.toFixed(0)}% of a core; receipts missing for ${lost} of ${stage.ok} accepted`,
      );
    } finally {
      await host.cleanup();
    }
  }
  return results;
}
