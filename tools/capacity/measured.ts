/**
 * The per-unit figures the capacity model starts from, as the benchmarks measure them (tests/bench/support/
 * unit-costs.ts writes them when BENCH_MEASURED names a file): per accepted webhook delivery at the webhooks
 * benchmark's unbounded stage, per record id of the targeted syncs those deliveries start, and per record of a
 * full sync. Cosmos figures come from the stand-in's wire (document sizes, indexed terms, request units estimated
 * with cosmos-charge.ts), Redis figures from redis-server's own command statistics.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const count = z.number().nonnegative();

/** One container's operations per unit of work. */
export const containerUnitsSchema = z.object({
  writes: count,
  /** Documents created (a create, or an upsert of a new id): what the container grows by. */
  creates: count,
  avgWriteBytes: count,
  avgIndexedTerms: count,
  writeRu: count,
  pointReads: count,
  readRu: count,
  queries: count,
  queryRu: count,
  /**
   * Of the documents created, those carrying their own `ttl` (Cosmos per-item TTL: the activity log, run logs,
   * shard history, notification deliveries), and the sum of their size × ttl (byte-seconds): what they keep in
   * store at a steady rate. Absent from figures measured before the meter counted them (read as 0).
   */
  ttlCreates: count.default(0),
  ttlByteSeconds: count.default(0),
});
export type ContainerUnits = z.infer<typeof containerUnitsSchema>;

export const unitCostsSchema = z.object({
  /** How many units the figures are averaged over. */
  units: z.number().positive(),
  /** The host process's CPU time (user + system) per unit, µs. */
  hostCpuUs: count,
  cosmos: z.record(z.string(), containerUnitsSchema),
  /** HTTP requests to Cosmos per unit (bulk calls carry up to 100 operations). */
  cosmosRequests: count,
  queue: z.object({ messagesSent: count, sendCalls: count, avgMessageBytes: count, messagesHandled: count }),
  blob: z.object({ uploads: count, bytes: count }),
  redis: z.object({ commands: count, byCommand: z.record(z.string(), count) }),
  providerCalls: count,
});
export type UnitCosts = z.infer<typeof unitCostsSchema>;

const provenance = {
  measuredAt: z.string(),
  /** The command that produced the figures, as run. */
  command: z.string(),
  commit: z.string(),
  environment: z.object({ node: z.string(), cpus: z.number(), cpuModel: z.string(), loadAverage: z.string() }),
};

export const measuredSchema = z.object({
  webhooks: z
    .object({
      ...provenance,
      acceptedPerS: count,
      ceilingCpuUsPerRequest: count,
      /** Record ids a delivery's events name (a GitHub issue event or a Slack message event: one). */
      recordIdsPerDelivery: count,
      /** Per accepted delivery: receive, verify, claim, archive, receipt, run documents, first-page messages. */
      intake: unitCostsSchema,
      /** Per record id fetched by the targeted runs, with the queue backlog drained. */
      targetedSync: unitCostsSchema.extend({
        runs: z.number().positive(),
        idsPerRun: count,
        /** Handling time of a targeted run's message while the backlog was worked off (ms, p50): a session's time per message. */
        runMsP50: count,
      }),
    })
    .optional(),
  sync: z
    .object({
      ...provenance,
      recordsPerS: count,
      pageSize: z.number().positive(),
      pageMsP50: count,
      perRecord: unitCostsSchema,
    })
    .optional(),
});
export type Measured = z.infer<typeof measuredSchema>;

export function readMeasured(path: string): Measured {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`--measured: cannot read ${path}`);
  }
  const parsed = measuredSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`--measured: ${path} is not a measured-figures file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
