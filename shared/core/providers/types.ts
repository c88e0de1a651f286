/**
 * The shape of a provider descriptor: every fact about one provider that is data rather than behaviour (its id
 * and label, the entities it syncs, where its API and OAuth endpoints live, its default limits and how its
 * webhooks are signed). Pure types: the descriptors are bundled into the admin UI, so nothing here may pull in
 * Node modules or running code. Behaviour (adapters, verifiers, the token client) reads these facts.
 */

/**
 * A limit rule, as data. `rate` is enforced with GCRA: a sustained `limit` per `windowMs` with bursts of up
 * to `burst` calls (default 1: calls spaced evenly, so no window of `windowMs` ever holds more than `limit`).
 * `concurrency` is a semaphore whose leases expire after `leaseMs`, so a dead worker frees its slot.
 */
export type LimitRule =
  | { kind: 'rate'; limit: number; windowMs: number; burst?: number }
  | { kind: 'concurrency'; limit: number; leaseMs: number };

export type RateRule = Extract<LimitRule, { kind: 'rate' }>;
export type ConcurrencyRule = Extract<LimitRule, { kind: 'concurrency' }>;

/** An operation rule: `match` globs (`*` = any run of characters) over the adapter's operation names. */
export interface OperationRule {
  readonly match: readonly string[];
  /** One budget per operation name, or one shared budget for the whole group under this name. */
  readonly keyBy: 'operation' | { readonly group: string };
  readonly rule: LimitRule;
}

/**
 * A provider's default outbound limits. Each call is checked against the tenant, the integration (the
 * provider's per-token budget), the first matching operation rule and the provider app overall; providers
 * that cap concurrent requests add a semaphore.
 */
export interface ProviderLimits {
  readonly integration: RateRule;
  readonly app: RateRule;
  /** First match wins; an operation no rule matches has no operation level. */
  readonly operations: readonly OperationRule[];
  readonly concurrency?: ConcurrencyRule;
  /** Where a 429 lands: the whole token budget, or the operation (Slack limits per method). */
  readonly signalLevel: 'integration' | 'operation';
  /** How long to hold a budget after a limit answer that names no Retry-After and no reset. */
  readonly noRetryAfterBlockMs: number;
  /**
   * Limits that depend on an integration setting (Slack's app distribution): the value of
   * `providerOptions[option]` (else `default`) picks operation rules that are checked before `operations`.
   */
  readonly tiers?: LimitTiers;
}

export interface LimitTiers {
  /** The providerOptions key that names the tier. */
  readonly option: string;
  /** The tier of an integration whose options name none (or one this list does not know). */
  readonly default: string;
  readonly operations: Readonly<Record<string, readonly OperationRule[]>>;
}

/**
 * How a provider's token endpoint wants a grant (connect and refresh alike), from its published reference:
 * the body encoding, and the error codes that mean the grant is gone so a person must connect again
 * (beside the RFC 6749 codes every provider may use). Slack and GitHub answer those as HTTP 200.
 */
export interface TokenEndpointWire {
  readonly body: 'form' | 'json';
  readonly reauthErrors: readonly string[];
}

/** The directions an integration syncs in (the same names as the integration's `direction`). */
export type SyncDirection = 'inbound' | 'outbound' | 'bidirectional';

/**
 * A provider's OAuth 2.0 authorization-code facts: where people consent, where codes become tokens, how
 * the client authenticates there, the scopes the adapters need, and extra authorize parameters.
 */
export interface ProviderOAuthDescriptor {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clientAuth: 'basic' | 'body';
  readonly scopes: readonly string[];
  /** Scope separator in the authorize URL (Slack and GitHub use commas or spaces alike; Google needs spaces). */
  readonly scopeSeparator: ' ' | ',';
  readonly extraAuthorizeParams: Readonly<Record<string, string>>;
  readonly tokenWire: TokenEndpointWire;
  /**
   * Where reading and writing need different grants (Google): the scopes the connect flow asks for by the
   * integration's direction, in place of `scopes`. A registered OAuth app that names its own scopes wins.
   */
  readonly scopesByDirection?: Readonly<Record<SyncDirection, readonly string[]>>;
  /** Where a grant is revoked, for providers that publish one the product uses (none does yet). */
  readonly revocationUrl?: string;
}

/**
 * How a provider signs its webhooks, naming the verifier in shared/webhooks/verify that checks them:
 * - `github-hmac`: X-Hub-Signature-256, HMAC-SHA256 of the body with the webhook secret;
 * - `slack-signing-secret`: X-Slack-Signature over `v0:{timestamp}:{body}`, with a timestamp window;
 * - `notion-verification-token`: X-Notion-Signature keyed by the subscription's verification token;
 * - `salesforce-outbound-message`: no native signature: org id plus a per-integration secret (or a custom HMAC);
 * - `google-push`: Pub/Sub push JWTs (RS256, Google's JWKS) or Drive/Calendar channel tokens;
 * - `standard-webhooks`: webhook-id / webhook-timestamp / webhook-signature (the `generic` receiver).
 */
export type WebhookScheme =
  | 'github-hmac'
  | 'slack-signing-secret'
  | 'notion-verification-token'
  | 'salesforce-outbound-message'
  | 'google-push'
  | 'standard-webhooks';

export interface ProviderWebhookDescriptor {
  readonly scheme: WebhookScheme;
  /** Pub/Sub push JWTs: where the signer's public keys are published (a setting may point elsewhere). */
  readonly jwksUrl?: string;
  /** Pub/Sub push JWTs: the `iss` values the signer uses. */
  readonly issuers?: readonly string[];
}

export interface ProviderDescriptor {
  readonly id: string;
  /** What people read in the admin UI. */
  readonly label: string;
  readonly entities: {
    /** Every entity the provider's adapter can sync. */
    readonly supported: readonly string[];
    /** Synced when an integration names none (the adapter's main entities). */
    readonly defaults: readonly string[];
  };
  readonly api: {
    /** The public API root; undefined where every account has its own (a Salesforce org's instance URL). */
    readonly baseUrl: string | undefined;
    /**
     * Host names the provider's API, OAuth endpoints and notification webhooks live on (`*.` matches any
     * subdomain): the outbound address rule refuses anything else the operator did not allow.
     */
    readonly hosts: readonly string[];
    /**
     * Providers whose accounts each have their own API instance, named by the token answer (Salesforce's
     * `instance_url`, at connect and at every refresh): the hosts such an answer may name, and the ones under
     * them that are not instances (login servers). An answer naming anything else is refused, not followed.
     */
    readonly instances?: { readonly hosts: readonly string[]; readonly notInstances: readonly string[] };
  };
  readonly oauth: ProviderOAuthDescriptor;
  readonly limits: ProviderLimits;
  readonly webhook: ProviderWebhookDescriptor;
}
