/**
 * Default outbound limits per provider, as data (facts from /work/shared/design/PROVIDERS.md). Each call is
 * checked against the tenant, the integration (the provider's per-token budget), the first matching
 * operation rule and the provider app overall; providers that cap concurrent requests add a semaphore.
 * Tenants and integrations override these through the override store (overrides.ts).
 */
import type { ProviderId } from '../adapters/contract';
import type { ConcurrencyRule, LimitRule, RateRule } from './types';

/** An operation rule: `match` globs (`*` = any run of characters) over the adapter's operation names. */
export interface OperationRule {
  match: string[];
  /** One budget per operation name, or one shared budget for the whole group under this name. */
  keyBy: 'operation' | { group: string };
  rule: LimitRule;
}

export interface ProviderLimits {
  integration: RateRule;
  app: RateRule;
  /** First match wins; an operation no rule matches has no operation level. */
  operations: OperationRule[];
  concurrency?: ConcurrencyRule;
  /** Where a 429 lands: the whole token budget, or the operation (Slack limits per method). */
  signalLevel: 'integration' | 'operation';
  /** How long to hold a budget after a limit answer that names no Retry-After and no reset. */
  noRetryAfterBlockMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const slackTier = (perMinute: number, burst: number): RateRule => ({
  kind: 'rate',
  limit: perMinute,
  windowMs: MINUTE,
  burst,
});

/** Slack methods by tier (Web API docs); unknown methods fall back to tier 3. */
const SLACK_TIERS: { methods: string[]; rule: RateRule }[] = [
  { methods: ['admin.*', 'team.accessLogs', 'team.integrationLogs'], rule: slackTier(1, 1) },
  {
    methods: ['conversations.list', 'users.list', 'files.list', 'usergroups.list', 'search.*'],
    rule: slackTier(20, 3),
  },
  {
    methods: [
      'conversations.history',
      'conversations.replies',
      'conversations.members',
      'chat.update',
      'chat.delete',
      'reactions.*',
      'pins.*',
      '*',
    ],
    rule: slackTier(50, 5),
  },
];

export const PROVIDER_LIMITS: Record<ProviderId, ProviderLimits> = {
  github: {
    // 5,000/h per user token; bursts allowed, but the hour's budget is spread evenly.
    integration: { kind: 'rate', limit: 5000, windowMs: HOUR, burst: 100 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [
      // Secondary limits: mutations cost 5 of ~900 points/min and at most ~80 content-creating requests/min.
      {
        match: [
          '*.create',
          '*.update',
          '*.delete',
          '*.add*',
          '*.remove*',
          '*.set*',
          '*.lock',
          '*.unlock',
          '*.merge',
          '*.push',
        ],
        keyBy: { group: 'mutations' },
        rule: { kind: 'rate', limit: 80, windowMs: MINUTE, burst: 10 },
      },
      { match: ['*'], keyBy: 'operation', rule: { kind: 'rate', limit: 900, windowMs: MINUTE, burst: 50 } },
    ],
    signalLevel: 'integration',
    // GitHub: without retry-after and with budget left, wait at least a minute.
    noRetryAfterBlockMs: MINUTE,
  },
  slack: {
    integration: { kind: 'rate', limit: 300, windowMs: MINUTE, burst: 20 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [
      // chat.postMessage: about one a second (per channel; we hold the whole token to it, conservatively).
      { match: ['chat.postMessage'], keyBy: 'operation', rule: { kind: 'rate', limit: 1, windowMs: 1000, burst: 1 } },
      ...SLACK_TIERS.map(({ methods, rule }) => ({ match: methods, keyBy: 'operation' as const, rule })),
    ],
    signalLevel: 'operation',
    noRetryAfterBlockMs: 1000,
  },
  notion: {
    // About 3 requests/s on average per connection.
    integration: { kind: 'rate', limit: 3, windowMs: 1000, burst: 3 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [],
    signalLevel: 'integration',
    noRetryAfterBlockMs: 1000,
  },
  salesforce: {
    // The daily allocation is a rolling 24 h; spread it, with room for a sync page's burst.
    integration: { kind: 'rate', limit: 100_000, windowMs: 24 * HOUR, burst: 200 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [],
    // 25 concurrent long-running requests per org (5 on developer orgs: override per integration).
    concurrency: { kind: 'concurrency', limit: 25, leaseMs: 2 * MINUTE },
    signalLevel: 'integration',
    // REQUEST_LIMIT_EXCEEDED comes without Retry-After and means the daily allocation is spent.
    noRetryAfterBlockMs: 5 * MINUTE,
  },
  google: {
    // Per-user quota (Calendar/Drive defaults are a few hundred to thousands a minute per user).
    integration: { kind: 'rate', limit: 10, windowMs: 1000, burst: 20 },
    // Per-project quota.
    app: { kind: 'rate', limit: 150, windowMs: 1000, burst: 300 },
    operations: [],
    signalLevel: 'integration',
    noRetryAfterBlockMs: 1000,
  },
};

/** The tenant level's default: all of one tenant's outbound calls, every provider together. */
export const DEFAULT_TENANT_RULE: RateRule = { kind: 'rate', limit: 50, windowMs: 1000, burst: 100 };

/** Glob match with `*` only: the patterns are data written by people, not regular expressions. */
export function matchesGlob(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  let position = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === 0) {
      if (!value.startsWith(part)) return false;
      position = part.length;
    } else if (i === parts.length - 1) {
      return value.length - part.length >= position && value.endsWith(part);
    } else {
      const found = value.indexOf(part, position);
      if (found < 0) return false;
      position = found + part.length;
    }
  }
  return true;
}

/** The first rule whose patterns match the operation, with the key the operation level uses. */
export function matchOperation(
  rules: readonly OperationRule[],
  operation: string,
): { rule: LimitRule; keyPart: string } | undefined {
  for (const candidate of rules) {
    if (!candidate.match.some((pattern) => matchesGlob(pattern, operation))) continue;
    return {
      rule: candidate.rule,
      keyPart: candidate.keyBy === 'operation' ? operation : `group:${candidate.keyBy.group}`,
    };
  }
  return undefined;
}
