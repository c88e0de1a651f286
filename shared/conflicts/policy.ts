/**
 * A conflict policy: one strategy for the integration plus per-field overrides. "source" is the provider record
 * (remote), "target" is the shard (local). Policies are operator input, so they are parsed strictly and their
 * custom rules compiled once by `validatePolicy`; anything wrong is a validation error naming the setting.
 *
 * Override keys are field paths in the diff's notation ("address.city"); a key also covers the fields under it
 * ("address" covers "address.city"), and the longest matching key wins.
 */
import { z } from 'zod';
import { AppError } from '../core/app-error';
import { compileRule, type CompiledRule } from './custom-rule';
import { isUnder, splitPath } from './field-paths';

const side = z.enum(['source', 'target']);

/** The one-word names an integration's `conflictStrategy` setting accepts (the integration schema reads them here). */
export const CONFLICT_STRATEGIES = [
  'source_wins',
  'target_wins',
  'latest_wins',
  'field_merge',
  'manual',
  'custom',
] as const;
export type ConflictStrategyName = (typeof CONFLICT_STRATEGIES)[number];

export const strategySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('source_wins') }).strict(),
  z.object({ kind: z.literal('target_wins') }).strict(),
  z.object({ kind: z.literal('latest_wins') }).strict(),
  z.object({ kind: z.literal('field_merge'), priority: z.union([side, z.record(z.string().min(1), side)]) }).strict(),
  z.object({ kind: z.literal('manual') }).strict(),
  z.object({ kind: z.literal('custom'), rule: z.string().trim().min(1).max(4000) }).strict(),
]);

export const conflictPolicySchema = z
  .object({ default: strategySchema, fields: z.record(z.string().min(1).max(500), strategySchema).optional() })
  .strict();

export type Strategy = z.infer<typeof strategySchema>;
export type StrategyKind = Strategy['kind'];
export type ConflictPolicy = z.infer<typeof conflictPolicySchema>;
export type PrioritySide = z.infer<typeof side>;

/** A validated policy with its rules compiled; build it with `validatePolicy`. */
export interface CompiledPolicy {
  readonly compiled: true;
  readonly policy: ConflictPolicy;
  /** Compiled rules keyed by where they are configured ("default" or the field key). */
  readonly rules: ReadonlyMap<string, CompiledRule>;
}

export interface StrategyChoice {
  strategy: Strategy;
  /** Where it came from: "default" or "fields.<key>", for decision records. */
  via: string;
  rule?: CompiledRule;
}

// The integration document's one-word setting must name only kinds this module knows (checked by the compiler).
type StrategyNamesAreKinds = ConflictStrategyName extends StrategyKind ? true : never;
const strategyNamesAreKinds: StrategyNamesAreKinds = true;
void strategyNamesAreKinds;

export function validatePolicy(input: unknown): CompiledPolicy {
  if (isCompiledPolicy(input)) return input;
  const parsed = conflictPolicySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const target = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'policy';
    throw new AppError('validation', `conflict policy: ${target}: ${issue?.message ?? 'invalid'}`, {
      target,
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    });
  }
  const policy = parsed.data;
  const rules = new Map<string, CompiledRule>();
  if (policy.default.kind === 'custom') rules.set('default', compileRule(policy.default.rule, 'default.rule'));
  for (const [key, strategy] of Object.entries(policy.fields ?? {})) {
    if (splitPath(key).some((k) => k === '')) {
      throw new AppError('validation', `conflict policy: field key "${key}" has an empty path segment`, {
        target: `fields.${key}`,
      });
    }
    if (strategy.kind === 'custom') rules.set(key, compileRule(strategy.rule, `fields.${key}.rule`));
  }
  return { compiled: true, policy, rules };
}

export function isCompiledPolicy(value: unknown): value is CompiledPolicy {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { compiled?: unknown }).compiled === true &&
    'rules' in value
  );
}

/** The strategy for one field: the longest override key that covers it, else the default. */
export function strategyFor(policy: CompiledPolicy, field: string): StrategyChoice {
  let bestKey: string | undefined;
  for (const key of Object.keys(policy.policy.fields ?? {})) {
    if (isUnder(field, key) && (bestKey === undefined || splitPath(key).length > splitPath(bestKey).length))
      bestKey = key;
  }
  if (bestKey === undefined)
    return { strategy: policy.policy.default, via: 'default', rule: policy.rules.get('default') };
  const strategy = policy.policy.fields?.[bestKey] as Strategy;
  return { strategy, via: `fields.${bestKey}`, rule: policy.rules.get(bestKey) };
}

/** The field_merge side for a field: the longest priority key covering it; unlisted fields go to the source. */
export function priorityFor(
  priority: PrioritySide | Record<string, PrioritySide>,
  field: string,
): { side: PrioritySide; listed: boolean } {
  if (typeof priority === 'string') return { side: priority, listed: true };
  let best: string | undefined;
  for (const key of Object.keys(priority)) {
    if (isUnder(field, key) && (best === undefined || splitPath(key).length > splitPath(best).length)) best = key;
  }
  return best === undefined
    ? { side: 'source', listed: false }
    : { side: priority[best] as PrioritySide, listed: true };
}

/**
 * The policy an integration gets from its one-word `conflictStrategy` setting. `custom` needs rules, so it
 * cannot come from the word alone; the integration must carry a full policy instead.
 */
export function policyForStrategyName(name: ConflictStrategyName): CompiledPolicy {
  if (name === 'custom') {
    throw new AppError('configuration', 'conflict strategy "custom" needs a conflict policy with rules', {
      target: 'conflictStrategy',
    });
  }
  return validatePolicy({ default: strategyForName(name) });
}

/** The strategy a one-word name stands for (field_merge: the source has priority); `custom` has no rule to give. */
export function strategyForName(name: Exclude<ConflictStrategyName, 'custom'>): Strategy {
  return name === 'field_merge' ? { kind: 'field_merge', priority: 'source' } : { kind: name };
}

/** Compiled policies by the stored policy object: pages of one run share the integration document. */
const compiledByPolicy = new WeakMap<ConflictPolicy, CompiledPolicy>();

/**
 * The policy an integration's syncs use, inbound and outbound alike: its full `conflictPolicy` (default strategy,
 * per-field overrides, custom rules) when it has one, else the one-word `conflictStrategy`.
 */
export function policyForIntegration(integration: {
  conflictStrategy: ConflictStrategyName;
  conflictPolicy?: ConflictPolicy;
}): CompiledPolicy {
  const stored = integration.conflictPolicy;
  if (!stored) return policyForStrategyName(integration.conflictStrategy);
  let compiled = compiledByPolicy.get(stored);
  if (!compiled) {
    compiled = validatePolicy(stored);
    compiledByPolicy.set(stored, compiled);
  }
  return compiled;
}
