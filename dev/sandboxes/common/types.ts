/**
 * Shared shapes of the provider sandboxes: how one is started, what a running one offers, what a fault is and
 * what a route handler returns. Every provider sandbox (GitHub, Notion, Salesforce, Slack, Google) uses these.
 */
import type { ProviderId } from '../../../shared/core/providers';

export interface SandboxOptions {
  /** 0 or absent: a free port on 127.0.0.1. */
  port?: number;
  /** Seeded records per entity (per repository / data source / channel …). */
  records?: number;
  seed?: number;
  /** Where record changes are delivered as signed webhooks; absent: no webhooks. */
  webhookUrl?: string;
  /** The signing key (GitHub webhook secret, Notion verification_token, …). */
  webhookSecret?: string;
  /** Lifetime of issued access tokens. */
  accessTokenTtlMs?: number;
  /** Provider-specific extras (e.g. GitHub repositories, rate limit per hour). */
  extra?: Record<string, unknown>;
}

export interface RunningSandbox {
  provider: ProviderId;
  url: string;
  port: number;
  control: SandboxControl;
  stop(): Promise<void>;
}

export type SandboxStarter = (options?: SandboxOptions) => Promise<RunningSandbox>;

interface FaultBase {
  /** How many matching requests get this fault (default 1). */
  count?: number;
  /**
   * A storm: each matching request gets the fault with this probability (0..1], the others go through, until
   * `count` requests got it or the faults are cleared. Absent: every matching request gets it.
   */
  probability?: number;
  /** Only requests whose path contains this text. */
  path?: string;
  method?: string;
}

export type FaultSpec =
  | (FaultBase & { kind: 'rate_limit'; retryAfterSeconds?: number; variant?: string })
  | (FaultBase & { kind: 'server_error'; status?: number })
  | (FaultBase & { kind: 'slow'; delayMs: number })
  | (FaultBase & { kind: 'timeout' })
  | (FaultBase & { kind: 'truncated' });

export type FaultKind = FaultSpec['kind'];

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  expiresInMs: number;
}

export interface CallStats {
  total: number;
  /** Keyed by "METHOD /route/:pattern". */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  status?: number;
  error?: string;
  at: number;
}

/** Records in the provider's wire shape, addressed by the same ids the provider's adapter uses. */
export interface SandboxRecords {
  entities(): string[];
  count(entity: string): number;
  get(entity: string, id: string): Record<string, unknown> | undefined;
  /** Without fields: a deterministic made-up record. */
  create(entity: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** Without fields: a small visible change (title/text) that moves the modified time. */
  update(entity: string, id: string, fields?: Record<string, unknown>): Record<string, unknown> | undefined;
  /** As the provider deletes (gone, trashed, …); false when there was nothing to delete. */
  remove(entity: string, id: string): boolean;
}

export interface SandboxControl {
  readonly provider: ProviderId;
  readonly records: SandboxRecords;
  issueToken(options?: { expiresInMs?: number }): IssuedTokens;
  /** Every issued access token expires now (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Every refresh token becomes invalid (the next refresh answers invalid_grant or its equivalent). */
  revokeRefreshTokens(): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  calls(): CallStats;
  resetCalls(): void;
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves when every queued webhook delivery has been attempted. */
  flushWebhooks(): Promise<void>;
}

/** What a route handler answers; the server writes it (and applies truncation faults). */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON. */
  json?: unknown;
  /** Sent as is (form-encoded OAuth answers, HTML). */
  text?: string;
}

/** Thrown by handlers (or ctx.json()) to answer at once with a provider-shaped error. */
export class SandboxReply extends Error {
  constructor(readonly response: SandboxResponse) {
    super(`sandbox reply ${response.status}`);
  }
}
