/**
 * Run controls of the admin API (issue 18 §5): cancelling a run, a sync of some entities or from a date,
 * resetting an entity's checkpoint, testing an integration's connection and reading its catalog.
 */

/** POST …/runs/{runId}/cancel → 202. */
export interface CancelRunResponse {
  runId: string;
  status: 'cancelled';
}

/** POST …/integrations/{integrationId}/checkpoints/reset. */
export interface ResetCheckpointRequest {
  entity: string;
}
/** 200: `reset` is false when the entity had no checkpoint (its next run was a full read already). */
export interface ResetCheckpointResponse {
  entity: string;
  reset: boolean;
}

/** One check of POST …/test: what was checked, whether it passed, and why (never a secret). */
export interface ConnectionCheck {
  /** credential, provider_options, base_url, token, provider_reachable, scopes. */
  name: string;
  ok: boolean;
  message: string;
}

/** POST …/integrations/{integrationId}/test → 200. */
export interface ConnectionTestResponse {
  ok: boolean;
  /** The provider health check's round trip (0 when it was not reached). */
  latencyMs: number;
  checks: ConnectionCheck[];
}

export type CatalogFieldType = 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'object' | 'array' | 'reference';

/** GET …/integrations/{integrationId}/catalog → 200: the adapter's discovered entities and their fields. */
export interface CatalogView {
  provider: string;
  entities: Array<{
    name: string;
    fields: Array<{
      name: string;
      type: CatalogFieldType;
      required?: boolean;
      writable?: boolean;
      references?: string;
      providerType?: string;
    }>;
    supportsIncremental: boolean;
    supportsWebhooks: boolean;
    supportsPush: boolean;
    reportsDeletions: boolean;
  }>;
}
