/**
 * Default outbound limits per provider, read from the provider descriptors (shared/core/providers, facts from
 * /work/shared/design/PROVIDERS.md). Each call is checked against the tenant, the integration (the provider's
 * per-token budget), the first matching operation rule and the provider app overall; providers that cap
 * concurrent requests add a semaphore. Tenants and integrations override these through the override store
 * (overrides.ts).
 */
import { byProvider, type OperationRule, type ProviderId, type ProviderLimits } from '../core/providers';
import type { LimitRule, RateRule } from './types';

export type { OperationRule, ProviderLimits };

export const PROVIDER_LIMITS: Record<ProviderId, ProviderLimits> = byProvider((provider) => provider.limits);

/**
 * The limits tier an integration's provider options name (Slack's appDistribution), for providers whose limits
 * depend on one; undefined for the others. An absent or unknown value is the provider's default tier.
 */
export function limitsTierOf(
  limits: ProviderLimits,
  providerOptions: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  if (!limits.tiers) return undefined;
  const named = providerOptions?.[limits.tiers.option];
  return typeof named === 'string' && Object.hasOwn(limits.tiers.operations, named) ? named : limits.tiers.default;
}

/** The tier's operation rules (the default tier's when the call names none), checked before the provider's own. */
export function tierRules(limits: ProviderLimits, tier: string | undefined): readonly OperationRule[] {
  if (!limits.tiers) return [];
  const operations = limits.tiers.operations;
  return (
    (tier !== undefined && Object.hasOwn(operations, tier) ? operations[tier] : operations[limits.tiers.default]) ?? []
  );
}

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
