/**
 * Notification shapes: channels (Slack incoming webhook, Slack chat.postMessage with a bot token, Teams
 * Workflows webhook) as a discriminated union, routing rules, the channel-neutral message the renderers turn
 * into Block Kit or an Adaptive Card, and the delivery record. Channel URLs and tokens are never part of a
 * stored document or an API answer: they live in the credential store (see channel-secrets.ts).
 */
import { z } from 'zod';
import { EVENT_TYPES, type Severity } from '../stores/events/events';

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const satisfies readonly Severity[];
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export const CHANNEL_TYPES = ['slack_webhook', 'slack_bot', 'teams_workflow'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https only; plain http only to a loopback host (local sandboxes). */
const channelUrl = z.url().refine((value) => {
  // zod runs refinements after a failed format check too: a value that is no URL must not throw here (500).
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}, 'must be an https URL');

const digestSchema = z
  .object({ frequency: z.enum(['hourly', 'daily']), hourUtc: z.number().int().min(0).max(23).default(8) })
  .strict();

const channelBase = { name: z.string().trim().min(1).max(100), digest: digestSchema.optional() };

/** The admin API body: the secret part (url / token) is split off before anything is stored. */
export const channelInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('slack_webhook'), url: channelUrl, ...channelBase }).strict(),
  z
    .object({
      type: z.literal('slack_bot'),
      token: z.string().regex(/^xox[bp]-[A-Za-z0-9-]{8,}$/, 'must be a Slack bot token (xoxb-…)'),
      channel: z.string().regex(/^[#@]?[A-Za-z0-9._-]{1,80}$/, 'must be a channel id or #name'),
      ...channelBase,
    })
    .strict(),
  z.object({ type: z.literal('teams_workflow'), url: channelUrl, ...channelBase }).strict(),
]);
export type ChannelInput = z.infer<typeof channelInputSchema>;
export type DigestConfig = z.infer<typeof digestSchema>;

/** What is stored in Cosmos and shown by the API. */
export interface ChannelDoc {
  id: string;
  tenantId: string;
  kind: 'channel';
  type: ChannelType;
  name: string;
  /** slack_bot only: the conversation to post to (not a secret). */
  slackChannel?: string;
  digest?: DigestConfig;
  createdAt: string;
  updatedAt: string;
}

/** A channel ready to send: the stored document plus its secret, read from the credential store. */
export type ChannelTarget =
  | { type: 'slack_webhook'; url: string }
  | { type: 'slack_bot'; token: string; channel: string; apiUrl: string }
  | { type: 'teams_workflow'; url: string };

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)');

export const quietHoursSchema = z
  .object({
    start: hhmm,
    end: hhmm,
    timeZone: z
      .string()
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone, e.g. Europe/Berlin')
      .default('UTC'),
    /** Critical alerts still go out during quiet hours unless this is false. */
    allowCritical: z.boolean().default(true),
  })
  .strict();

export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    enabled: z.boolean().default(true),
    /** Event types, or ["*"] for every type. */
    eventTypes: z.array(z.enum([...EVENT_TYPES, '*'])).min(1),
    minSeverity: z.enum(SEVERITIES).default('warning'),
    channelIds: z.array(z.string().min(1).max(64)).min(1).max(10),
    /** Only events of these integrations (absent: all). */
    integrationIds: z.array(z.string().min(1).max(128)).max(100).optional(),
    dedupeWindowMs: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3_600_000)
      .optional(),
    quietHours: quietHoursSchema.optional(),
    escalation: z
      .object({
        afterRepeats: z.number().int().min(2).max(1000),
        channelIds: z.array(z.string().min(1).max(64)).max(10).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type RuleInput = z.infer<typeof ruleInputSchema>;

export interface RuleDoc extends RuleInput {
  id: string;
  tenantId: string;
  kind: 'rule';
  createdAt: string;
  updatedAt: string;
}

/** Channel-neutral content; renderers fit it into each channel's limits. */
export interface NotificationMessage {
  title: string;
  severity: Severity;
  /** One short paragraph. */
  text: string;
  /** Label → value pairs (ids, counts, reasons). */
  facts: Array<{ label: string; value: string }>;
  /** Context line (tenant, time, trace id). */
  footer?: string;
}

export type DeliveryStatus = 'sent' | 'failed' | 'held' | 'suppressed';

export interface DeliveryDoc {
  id: string;
  tenantId: string;
  kind: 'delivery';
  channelId: string;
  ruleId?: string;
  eventId?: string;
  eventType?: string;
  /** alert, escalation, digest or test. */
  purpose: 'alert' | 'escalation' | 'digest' | 'test';
  status: DeliveryStatus;
  /** Why it failed, was held or suppressed (never a URL or token). */
  reason?: string;
  attempts: number;
  message: NotificationMessage;
  createdAt: string;
  /** A failed delivery sent again: the id of the new record. */
  resentAs?: string;
  /** Seconds; Cosmos removes the record after it. */
  ttl: number;
}
