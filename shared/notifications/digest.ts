/**
 * Digests: for every channel that asked for one, an hourly or daily summary of its tenant: runs (succeeded,
 * failed), records synced, conflicts waiting, credentials expiring / expired / needing re-authorisation, and
 * alerts held during quiet hours. Each (channel, slot) is claimed once, so a timer that fires twice, or on two
 * instances, sends one digest.
 */
import type { CredentialService, ExpiryFinding } from '../credentials';
import type { ConflictsRepository } from '../stores/documents/conflicts-repository';
import type { SyncRunsRepository } from '../stores/documents/sync-runs-repository';
import type { NotificationService } from './service';
import type { NotifyState } from './state';
import type { ChannelDoc, DeliveryStatus, NotificationMessage } from './types';

const HOUR_MS = 3_600_000;

export interface DigestDeps {
  service: NotificationService;
  state: NotifyState;
  credentials: CredentialService;
  runs: SyncRunsRepository;
  conflicts: ConflictsRepository;
}

export interface TenantDigest {
  tenantId: string;
  windowStart: string;
  windowEnd: string;
  runs: number;
  runsSucceeded: number;
  runsFailed: number;
  recordsSynced: number;
  conflictsWaiting: number;
  credentialsExpiring: number;
  credentialsExpired: number;
  needsReauth: number;
  alertsHeld: number;
}

export interface DigestRunResult {
  channelId: string;
  tenantId: string;
  status: DeliveryStatus | 'not_due' | 'already_sent';
  digest?: TenantDigest;
}

/** The slot a digest covers, or undefined when this channel's digest is not due at `now`. */
export function digestSlot(channel: ChannelDoc, now: Date): { start: Date; end: Date } | undefined {
  if (!channel.digest) return undefined;
  const hourEnd = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  if (channel.digest.frequency === 'hourly') return { start: new Date(hourEnd.getTime() - HOUR_MS), end: hourEnd };
  if (now.getUTCHours() !== channel.digest.hourUtc) return undefined;
  return { start: new Date(hourEnd.getTime() - 24 * HOUR_MS), end: hourEnd };
}

export async function runDigests(deps: DigestDeps, now: Date, signal?: AbortSignal): Promise<DigestRunResult[]> {
  const channels = await deps.service.repository.digestChannels();
  const results: DigestRunResult[] = [];
  let findings: ExpiryFinding[] | undefined;
  const summaries = new Map<string, TenantDigest>();
  for (const channel of channels) {
    const slot = digestSlot(channel, now);
    if (!slot) {
      results.push({ channelId: channel.id, tenantId: channel.tenantId, status: 'not_due' });
      continue;
    }
    const claimKey = ['digest', channel.tenantId, channel.id, slot.start.toISOString(), slot.end.toISOString()].join(
      '|',
    );
    if (!(await deps.state.claim(claimKey, 48 * HOUR_MS))) {
      results.push({ channelId: channel.id, tenantId: channel.tenantId, status: 'already_sent' });
      continue;
    }
    findings ??= await deps.credentials.expiryReport(now, { signal });
    const summaryKey = `${channel.tenantId}|${slot.start.toISOString()}`;
    let digest = summaries.get(summaryKey);
    if (!digest) {
      digest = await summarise(deps, channel.tenantId, slot, findings);
      summaries.set(summaryKey, digest);
    }
    const outcome = await deps.service.deliver(channel, digestMessage(digest, channel.digest!.frequency), {
      purpose: 'digest',
      signal,
    });
    results.push({ channelId: channel.id, tenantId: channel.tenantId, status: outcome.status, digest });
  }
  return results;
}

async function summarise(
  deps: DigestDeps,
  tenantId: string,
  slot: { start: Date; end: Date },
  findings: ExpiryFinding[],
): Promise<TenantDigest> {
  const windowStart = slot.start.toISOString();
  const windowEnd = slot.end.toISOString();
  const runs = await deps.runs.outcomesQueuedBetween(tenantId, windowStart, windowEnd);
  const conflicts = await deps.conflicts.openIds(tenantId);
  const held = await deps.service.repository.listDeliveries(tenantId, {
    status: 'held',
    since: windowStart,
    limit: 1000,
  });
  const mine = findings.filter((finding) => finding.ref.tenantId === tenantId);
  return {
    tenantId,
    windowStart,
    windowEnd,
    runs: runs.length,
    runsSucceeded: runs.filter((run) => run.status === 'succeeded').length,
    runsFailed: runs.filter((run) => run.status === 'failed').length,
    recordsSynced: runs.reduce((sum, run) => sum + (run.fetched ?? 0), 0),
    conflictsWaiting: conflicts.length,
    credentialsExpiring: mine.filter((finding) => finding.kind === 'expiring').length,
    credentialsExpired: mine.filter((finding) => finding.kind === 'expired').length,
    needsReauth: mine.filter((finding) => finding.kind === 'needs_reauth').length,
    alertsHeld: held.filter((delivery) => delivery.createdAt < windowEnd).length,
  };
}

export function digestMessage(digest: TenantDigest, frequency: 'hourly' | 'daily'): NotificationMessage {
  const severity =
    digest.runsFailed > 0 || digest.credentialsExpired > 0 || digest.needsReauth > 0
      ? 'error'
      : digest.conflictsWaiting > 0 || digest.credentialsExpiring > 0
        ? 'warning'
        : 'info';
  const period = frequency === 'hourly' ? 'the last hour' : 'the last 24 hours';
  return {
    title: `${frequency === 'hourly' ? 'Hourly' : 'Daily'} digest for ${digest.tenantId}`,
    severity,
    text: `In ${period}: ${digest.runs} sync run(s), ${digest.runsFailed} failed, ${digest.recordsSynced} record(s) synced.`,
    facts: [
      { label: 'Runs', value: String(digest.runs) },
      { label: 'Runs succeeded', value: String(digest.runsSucceeded) },
      { label: 'Runs failed', value: String(digest.runsFailed) },
      { label: 'Records synced', value: String(digest.recordsSynced) },
      { label: 'Conflicts waiting', value: String(digest.conflictsWaiting) },
      { label: 'Credentials expiring', value: String(digest.credentialsExpiring) },
      { label: 'Credentials expired', value: String(digest.credentialsExpired) },
      { label: 'Needing re-authorisation', value: String(digest.needsReauth) },
      { label: 'Alerts held (quiet hours)', value: String(digest.alertsHeld) },
    ],
    footer: `${digest.windowStart} – ${digest.windowEnd}`,
  };
}
