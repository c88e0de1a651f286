/**
 * The integration document: one connected provider account of one tenant, and the admin API bodies that
 * create and change it. Two fields (provider, name) make a valid create body; everything else has a default.
 */
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../adapters/contract';
import { webhookConfigSchema, type WebhookConfig } from '../webhooks/config';
import type { ConversionSchema } from '../mapping';

/** Entities synced when an integration names none (the provider adapters' main entities). */
export const DEFAULT_ENTITIES: Record<ProviderId, string[]> = {
  github: ['issues', 'issue_comments'],
  salesforce: ['Account', 'Contact', 'Opportunity'],
  notion: ['pages'],
  slack: ['messages', 'users'],
  google: ['events'],
};

export const DIRECTIONS = ['inbound', 'outbound', 'bidirectional'] as const;
export const DEDUP_STRATEGIES = ['external_id', 'content_hash', 'natural_key', 'fuzzy'] as const;
export const CONFLICT_STRATEGIES = ['source_wins', 'target_wins', 'latest_wins', 'field_merge', 'manual', 'custom'] as const;
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
  /** Provider-specific settings: repositories, channels, data source id, calendar id… (no secrets). */
  providerOptions: z.record(z.string(), z.unknown()),
  /** Provider API base URL; defaults to the provider's public API (the local sandbox in demo mode). */
  baseUrl: z.url(),
  /** How the provider's webhooks are verified (non-secret settings; the secret is a credential). */
  webhook: webhookConfigSchema,
};

/** Every operator-settable field, optional: the PATCH body, and the create body once provider and name are added. */
const optionalFields = z.object(mutableFields).partial();

export const createIntegrationSchema = optionalFields.extend({ provider: z.enum(PROVIDER_IDS), name: mutableFields.name }).strict();

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
  conflictStrategy: (typeof CONFLICT_STRATEGIES)[number];
  providerOptions: Record<string, unknown>;
  baseUrl?: string;
  webhook?: WebhookConfig;
  /** Conversion schema per entity (set through …/mappings/{entity}); absent: the record's fields as they are. */
  mappings?: Record<string, ConversionSchema>;
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

export function newIntegration(tenantId: string, integrationId: string, body: CreateIntegrationBody, defaults: IntegrationDefaults, now: Date): Integration {
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
    conflictStrategy: body.conflictStrategy ?? 'source_wins',
    providerOptions: body.providerOptions ?? {},
    ...(baseUrl ? { baseUrl } : {}),
    ...(body.webhook ? { webhook: body.webhook } : {}),
    // A new integration is due at once, so the first scheduler run after creation syncs it.
    nextSyncAt: now.toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function applyPatch<T extends Integration>(current: T, patch: PatchIntegrationBody, now: Date): T {
  const next: T = { ...current, ...patch, updatedAt: now.toISOString() };
  if (patch.enabled !== undefined && current.status !== 'needs_reauth') next.status = patch.enabled ? 'active' : 'disabled';
  return next;
}
