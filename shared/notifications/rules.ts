/**
 * Routing as pure functions: which rules an event matches, whether a time falls in a rule's quiet hours, and
 * the dedupe key that makes "the same alert again" precise (tenant, rule, channel, type, integration, error).
 */
import type { AppEvent } from '../stores/events/events';
import { SEVERITY_RANK, type RuleDoc } from './types';

export function matchingRules(rules: readonly RuleDoc[], event: AppEvent): RuleDoc[] {
  return rules.filter(
    (rule) =>
      rule.enabled &&
      (rule.eventTypes.includes('*') || rule.eventTypes.includes(event.type)) &&
      SEVERITY_RANK[event.severity] >= SEVERITY_RANK[rule.minSeverity] &&
      (!rule.integrationIds ||
        (event.integrationId !== undefined && rule.integrationIds.includes(event.integrationId))),
  );
}

/** Minutes after midnight of `time` in `timeZone`. */
function minutesIn(time: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(time);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

function toMinutes(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** Quiet hours may wrap midnight (22:00–07:00); start == end means never quiet. */
export function inQuietHours(quiet: RuleDoc['quietHours'], time: Date): boolean {
  if (!quiet) return false;
  const now = minutesIn(time, quiet.timeZone);
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

export function dedupeKey(event: AppEvent, ruleId: string, channelId: string): string {
  const reason = event.data.errorCode ?? event.data.reason ?? event.data.kind ?? '';
  return ['dedupe', event.tenantId, ruleId, channelId, event.type, event.integrationId ?? '-', String(reason)].join(
    '|',
  );
}
