/**
 * Credential expiry and rotation alerts: after each TokenRefresher run, findings of the expiry report become
 * events (credential.expiring / expired / policy_exceeded). Each finding is announced once per warning step
 * (e.g. 30, 7, 1 days) rather than on every 5-minute run: a marker claimed in the key-value store (Redis,
 * shared by every instance; this process's memory without Redis, or while Redis is down or fails).
 * Platform credentials (OAuth apps, state keys) are reported under their own tenant id "_platform".
 */
import { randomUUID } from 'node:crypto';
import type { ExpiryFinding } from '..';
import type { AppEvent } from '../../stores/events/events';
import type { Logger } from '../../platform/observability/logger';
import type { AppServices } from '../../app/services';

const MARKER_TTL_MS = 40 * 24 * 3600_000;

function eventFor(finding: ExpiryFinding, now: Date): AppEvent | undefined {
  const base = {
    id: randomUUID(),
    tenantId: finding.ref.tenantId,
    integrationId: finding.ref.integrationId,
    time: now.toISOString(),
  };
  const data = { credential: finding.ref.name, type: finding.type };
  switch (finding.kind) {
    case 'expiring':
      return {
        ...base,
        type: 'credential.expiring',
        severity: finding.warningDays <= 1 ? 'error' : 'warning',
        summary: `a ${finding.type} credential expires within ${finding.warningDays} day(s)`,
        data: { ...data, expiresAt: finding.expiresAt, warningDays: finding.warningDays },
      };
    case 'expired':
      return {
        ...base,
        type: 'credential.expired',
        severity: 'critical',
        summary: `a ${finding.type} credential expired`,
        data: { ...data, expiresAt: finding.expiresAt },
      };
    case 'too_old':
      return {
        ...base,
        type: 'credential.policy_exceeded',
        severity: 'warning',
        summary: `a ${finding.type} credential is older than its rotation policy`,
        data: { ...data, rotatedAt: finding.rotatedAt },
      };
    case 'needs_reauth':
      return undefined; // announced when it happens (integration.needs_reauth)
  }
}

function markerOf(finding: ExpiryFinding): string {
  const step =
    finding.kind === 'expiring'
      ? `${finding.warningDays}d:${finding.expiresAt}`
      : finding.kind === 'expired'
        ? finding.expiresAt
        : finding.kind === 'too_old'
          ? finding.rotatedAt
          : '';
  return `${finding.ref.tenantId}/${finding.ref.integrationId}/${finding.ref.name}:${finding.kind}:${step}`;
}

/** True the first time a finding's marker is claimed: not announced before. */
function firstTime(deps: Pick<AppServices, 'kv'>, marker: string): Promise<boolean> {
  return deps.kv.claim(`expiry-alert:${marker}`, MARKER_TTL_MS);
}

export async function announceExpiry(
  deps: Pick<AppServices, 'credentials' | 'events' | 'kv' | 'now'> & { logger: Logger },
): Promise<number> {
  const now = deps.now();
  const findings = await deps.credentials.service.expiryReport(now);
  const events: AppEvent[] = [];
  for (const finding of findings) {
    const event = eventFor(finding, now);
    if (event && (await firstTime(deps, markerOf(finding)))) events.push(event);
  }
  if (events.length)
    await deps.events
      .publish(events)
      .catch((error: unknown) => deps.logger.warn('could not publish expiry events', { error }));
  return events.length;
}
