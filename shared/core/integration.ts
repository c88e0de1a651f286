/**
 * The integration document: one connected provider account of one tenant, and the admin API bodies that
 * create and change it. Two fields (provider, name) make a valid create body; everything else has a default.
 */
import { z } from 'zod';
import { byProvider, PROVIDER_IDS, type ProviderId } from './providers';
import { webhookConfigSchema, type WebhookConfig } from '../webhooks/verify/config';
import type { ConversionSchema } from '../mapping';
import { dedupStrategiesSchema } from '../dedup/config';
import { DEDUP_STRATEGIES, type DedupStrategy } from '../dedup/types';
import {
  CONFLICT_STRATEGIES,
  conflictPolicySchema,
  strategyForName,
  validatePolicy,
  type ConflictPolicy,
} from '../conflicts/policy';
import { AppError } from './app-error';

/** Entities synced when an integration names none (each provider descriptor's defaults). */
export const DEFAULT_ENTITIES: Record<ProviderId, string[]> = byProvider((provider) => [...provider.entities.defaults]);

export const DIRECTIONS = ['inbound', 'outbound', 'bidirectional'] as const;
export const INTEGRATION_STATUSES = ['active', 'disabled', 'needs_reauth', 'error'] as const;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, "-" or "_"');
export const tenantIdSchema = id;
export const integrationIdSchema = id;

const scheduleSchema = z.object({ intervalMinutes: z.number().int().min(1).max(10_080) }).strict();

/** Fields an operator may set on create and change later. */
const mutableFields = {
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  entities: z.array(z.string().min(1).max(100)).min(1).max(50),
  direction: z.enum(DIRECTIONS),
  schedule: scheduleSchema,
  dedupStrategy: z.enum(DEDUP_STRATEGIES),
  conflictStrategy: z.enum(CONFLICT_STRATEGIES),
  /** The full conflict policy: default strategy, per-field overrides, custom rules (see conflictSettings below). */
  conflictPolicy: conflictPolicySchema,
  /** Provider-specific settings: repositories, channels, data source id, calendar id… (no secrets). */
  providerOptions: z.record(z.string(), z.unknown()),
  /** Provider API base URL; defaults to the provider's public API (the local sandbox in demo mode). */
  baseUrl: z.url(),
  /** How the provider's webhooks are verified (non-secret settings; the secret is a credential). */
  webhook: webhookConfigSchema,
  /** Dedup strategies per entity, in order (natural_key / fuzzy match across the tenant's integrations). */
  dedup: z.record(z.string().min(1).max(100), dedupStrategiesSchema),
};

/** Every operator-settable field, optional: the PATCH body, and the create body once provider and name are added. */
const optionalFields = z.object(mutableFields).partial();

export const createIntegrationSchema = optionalFields
  .extend({ provider: z.enum(PROVIDER_IDS), name: mutableFields.name })
  .strict();

export const patchIntegrationSchema = optionalFields
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'at least one field must be given');

export type CreateIntegrationBody = z.infer<typeof createIntegrationSchema>;
export type PatchIntegrationBody = z.infer<typeof patchIntegrationSchema>;

export interface Integration {
  id: string;
  tenantId: string;
  provider: ProviderId;
  name: string;
  status: (typeof INTEGRATION_STATUSES)[number];
  enabled: boolean;
  entities: string[];
  direction: (typeof DIRECTIONS)[number];
  schedule: { intervalMinutes: number };
  dedupStrategy: (typeof DEDUP_STRATEGIES)[number];
  /** The default conflict strategy; with a conflictPolicy, always the kind of its default (kept in step). */
  conflictStrategy: (typeof CONFLICT_STRATEGIES)[number];
  /** Per-field overrides and custom rules; absent: `conflictStrategy` for every field. */
  conflictPolicy?: ConflictPolicy;
  providerOptions: Record<string, unknown>;
  baseUrl?: string;
  webhook?: WebhookConfig;
  /** Conversion schema per entity (set through …/mappings/{entity}); absent: the record's fields as they are. */
  mappings?: Record<string, ConversionSchema>;
  /** Dedup strategies per entity (PATCH `dedup`); absent: external id and content hash only. */
  dedup?: Record<string, DedupStrategy[]>;
  /** When the OAuth connect flow last stored a credential. */
  connectedAt?: string;
  /** When the scheduler should next start an incremental sync (ISO-8601 UTC). */
  nextSyncAt: string;
  lastScheduledAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface IntegrationDefaults {
  intervalMinutes: number;
  baseUrlFor?: (provider: ProviderId) => string | undefined;
}

export function newIntegration(
  tenantId: string,
  integrationId: string,
  body: CreateIntegrationBody,
  defaults: IntegrationDefaults,
  now: Date,
): Integration {
  const enabled = body.enabled ?? true;
  const baseUrl = body.baseUrl ?? defaults.baseUrlFor?.(body.provider);
  return {
    id: integrationId,
    tenantId,
    provider: body.provider,
    name: body.name,
    status: enabled ? 'active' : 'disabled',
    enabled,
    entities: body.entities ?? DEFAULT_ENTITIES[body.provider],
    direction: body.direction ?? 'inbound',
    schedule: body.schedule ?? { intervalMinutes: defaults.intervalMinutes },
    dedupStrategy: body.dedupStrategy ?? 'external_id',
    ...conflictSettings(undefined, body),
    providerOptions: body.providerOptions ?? {},
    ...(baseUrl ? { baseUrl } : {}),
    ...(body.webhook ? { webhook: body.webhook } : {}),
    ...(body.dedup ? { dedup: body.dedup } : {}),
    // A new integration is due at once, so the first scheduler run after creation syncs it.
    nextSyncAt: now.toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function applyPatch<T extends Integration>(current: T, patch: PatchIntegrationBody, now: Date): T {
  const touchesConflicts = patch.conflictStrategy !== undefined || patch.conflictPolicy !== undefined;
  const next: T = {
    ...current,
    ...patch,
    ...(touchesConflicts ? conflictSettings(current, patch) : {}),
    updatedAt: now.toISOString(),
  };
  if (patch.enabled !== undefined && current.status !== 'needs_reauth')
    next.status = patch.enabled ? 'active' : 'disabled';
  return next;
}

type ConflictSettings = Pick<Integration, 'conflictStrategy' | 'conflictPolicy'>;

/**
 * `conflictStrategy` (the contract's one word) and `conflictPolicy` (overrides and rules) kept in step, so
 * that neither can tell a different story about the default:
 * - a body with a policy sets conflictStrategy to the policy default's kind; giving both with different
 *   defaults is refused, naming conflictStrategy;
 * - a body with only conflictStrategy moves the stored policy's default and keeps its field overrides;
 * - `custom` needs a rule, so the word alone is refused unless the stored policy's default is already custom.
 * The policy's custom rules are compiled here, so a rule that does not compile is a 400 naming its field.
 */
export function conflictSettings(
  current: ConflictSettings | undefined,
  body: Partial<ConflictSettings>,
): ConflictSettings {
  const { conflictStrategy, conflictPolicy } = body;
  if (conflictPolicy) {
    const kind = conflictPolicy.default.kind;
    if (conflictStrategy !== undefined && conflictStrategy !== kind) {
      throw new AppError(
        'bad_request',
        `conflictStrategy: must equal conflictPolicy.default.kind ("${kind}") when both are given`,
        { target: 'conflictStrategy' },
      );
    }
    compileNamingField(conflictPolicy);
    return { conflictStrategy: kind, conflictPolicy };
  }
  const stored = current?.conflictPolicy;
  const word = conflictStrategy ?? current?.conflictStrategy ?? 'source_wins';
  if (word === 'custom') {
    if (stored?.default.kind === 'custom') return { conflictStrategy: word, conflictPolicy: stored };
    throw new AppError(
      'bad_request',
      'conflictStrategy: "custom" needs a rule: give conflictPolicy with default {"kind": "custom", "rule": "…"}',
      { target: 'conflictStrategy' },
    );
  }
  if (!stored) return { conflictStrategy: word };
  return {
    conflictStrategy: word,
    conflictPolicy: stored.default.kind === word ? stored : { ...stored, default: strategyForName(word) },
  };
}

/** Compiles the policy's rules; errors name the field under the body's conflictPolicy. */
function compileNamingField(policy: ConflictPolicy): void {
  try {
    validatePolicy(policy);
  } catch (error) {
    if (!(error instanceof AppError) || !error.target) throw error;
    const target = `conflictPolicy.${error.target}`;
    throw new AppError(
      'bad_request',
      `${target}: ${error.message.replace(/^conflict policy: /, '').replace(` at ${error.target}`, '')}`,
      { target, ...(error.details ? { details: error.details } : {}) },
    );
  }
}
