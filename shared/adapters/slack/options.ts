/**
 * The Slack adapter's provider options: channels (channel ids, required for messages), editLookbackMs, and
 * appDistribution (how the Slack app is distributed, which decides the read limits: see
 * shared/core/providers/slack.ts). The schema checks appDistribution when an integration is created or changed
 * (provider-options.ts), so a misspelt value is a 400 naming the field instead of silently getting the
 * strictest limits; channels are required when the integration syncs messages (the adapter needs them).
 */
import { z } from 'zod';
import {
  DEFAULT_SLACK_APP_DISTRIBUTION,
  SLACK_APP_DISTRIBUTIONS,
  SLACK_READ_LIMITS,
  type SlackAppDistribution,
} from '../../core/providers/slack';
import { SLACK_FACTS } from './facts';

export const slackOptionsSchema = z.looseObject({
  appDistribution: z.enum(SLACK_APP_DISTRIBUTIONS).optional(),
  channels: z.array(z.string().min(1, 'must be a channel id')).optional(),
  editLookbackMs: z.number().int().min(0).optional(),
});

/** With the messages entity, the adapter needs the channels to read (it refuses to sync messages without them). */
export const slackMessagesOptionsSchema = slackOptionsSchema.extend({
  channels: z
    .array(z.string().min(1, 'must be a channel id'), {
      error: 'required for the messages entity: a list of Slack channel ids',
    })
    .min(1, 'must name at least one channel id (the messages entity reads them)'),
});

export interface SlackOptions {
  channels: string[];
  editLookbackMs: number;
  appDistribution: SlackAppDistribution;
}

const isDistribution = (value: unknown): value is SlackAppDistribution =>
  (SLACK_APP_DISTRIBUTIONS as readonly unknown[]).includes(value);

/** The options as the adapter uses them; an unknown appDistribution reads as the default (the strictest). */
export function slackOptions(options: Record<string, unknown>): SlackOptions {
  const channels = Array.isArray(options.channels)
    ? options.channels.filter((channel): channel is string => typeof channel === 'string')
    : [];
  const lookback = options.editLookbackMs;
  const distribution = options.appDistribution;
  return {
    channels,
    editLookbackMs: typeof lookback === 'number' && lookback >= 0 ? lookback : SLACK_FACTS.defaultEditLookbackMs,
    appDistribution: isDistribution(distribution) ? distribution : DEFAULT_SLACK_APP_DISTRIBUTION,
  };
}

/**
 * How message reads are paced for a distribution: messages a call, and, where Slack allows only a few calls a
 * minute, the interval the next call of a read method should keep from the last one.
 */
export function readPace(distribution: SlackAppDistribution): { maxPerCall: number; intervalMs?: number } {
  const limits = SLACK_READ_LIMITS[distribution];
  // Tier 3 and above are paced by the rate limiter's bursts; only the one-a-minute limits are planned ahead.
  return limits.perMinute < 2
    ? { maxPerCall: limits.maxPerCall, intervalMs: Math.ceil(60_000 / limits.perMinute) }
    : { maxPerCall: limits.maxPerCall };
}
