/**
 * Webhook endpoint health of one integration, computed from its receipts: received, accepted, rejected by
 * reason, duplicates, last accepted time, p50/p99 handling time, and a verdict against thresholds (a high
 * rejection rate, or silence longer than expected).
 */
import type { DeliveryReceipt, EndpointHealth } from '../intake/receipt-types';

export interface EndpointHealthThresholds {
  /** Share of rejected deliveries above which the endpoint is unhealthy (when at least minSample arrived). */
  maxRejectionRate: number;
  minSample: number;
  /** No accepted delivery for this long (while the integration expects webhooks) is unhealthy. */
  maxSilenceMs: number;
}

export const DEFAULT_THRESHOLDS: EndpointHealthThresholds = {
  maxRejectionRate: 0.2,
  minSample: 20,
  maxSilenceMs: 24 * 3600_000,
};

export type { EndpointHealth } from '../intake/receipt-types';

function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function endpointHealth(
  receipts: DeliveryReceipt[],
  since: Date,
  now: Date,
  thresholds: EndpointHealthThresholds = DEFAULT_THRESHOLDS,
): EndpointHealth {
  const rejectedByReason: Record<string, number> = {};
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  let lastAcceptedAt: string | undefined;
  const times: number[] = [];
  for (const receipt of receipts) {
    times.push(receipt.handlingMs);
    if (receipt.verdict === 'rejected') {
      rejected++;
      rejectedByReason[receipt.reason ?? 'unknown'] = (rejectedByReason[receipt.reason ?? 'unknown'] ?? 0) + 1;
    } else if (receipt.verdict === 'accepted') {
      accepted++;
      duplicates += receipt.duplicates ?? 0;
      if (!lastAcceptedAt || receipt.receivedAt > lastAcceptedAt) lastAcceptedAt = receipt.receivedAt;
    }
  }
  times.sort((a, b) => a - b);
  const received = receipts.length + duplicates;
  const problems: string[] = [];
  const judged = accepted + rejected;
  if (judged >= thresholds.minSample && rejected / judged > thresholds.maxRejectionRate) {
    problems.push(`rejection rate ${(rejected / judged).toFixed(2)} is above ${thresholds.maxRejectionRate}`);
  }
  if (lastAcceptedAt && now.getTime() - Date.parse(lastAcceptedAt) > thresholds.maxSilenceMs) {
    problems.push(`no accepted delivery for more than ${Math.round(thresholds.maxSilenceMs / 60_000)} minutes`);
  }
  return {
    since: since.toISOString(),
    received,
    accepted,
    duplicates,
    rejected,
    rejectedByReason,
    lastAcceptedAt,
    handlingMs: { p50: percentile(times, 50), p99: percentile(times, 99) },
    status: received === 0 ? 'no_traffic' : problems.length ? 'unhealthy' : 'healthy',
    problems,
  };
}
