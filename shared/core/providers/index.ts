/**
 * The providers the product syncs with, one descriptor each, and the one declaration of `ProviderId`. Every
 * other module (adapters, credentials, rate limits, webhooks, the admin API and UI) reads provider facts from
 * here; nothing here imports from those modules, so the facts flow one way. Browser-safe: pure data.
 */
import { GITHUB_PROVIDER } from './github';
import { GOOGLE_PROVIDER } from './google';
import { NOTION_PROVIDER } from './notion';
import { SALESFORCE_PROVIDER } from './salesforce';
import { SLACK_PROVIDER } from './slack';

export type {
  ConcurrencyRule,
  LimitRule,
  LimitTiers,
  OperationRule,
  ProviderDescriptor,
  ProviderLimits,
  ProviderOAuthDescriptor,
  ProviderWebhookDescriptor,
  RateRule,
  TokenEndpointWire,
  WebhookScheme,
} from './types';
export { GITHUB_PROVIDER, GOOGLE_PROVIDER, NOTION_PROVIDER, SALESFORCE_PROVIDER, SLACK_PROVIDER };

/** Every descriptor, in the order the product lists providers. */
export const PROVIDERS = [
  GITHUB_PROVIDER,
  SALESFORCE_PROVIDER,
  NOTION_PROVIDER,
  SLACK_PROVIDER,
  GOOGLE_PROVIDER,
] as const;

type IdsOf<T extends readonly { id: string }[]> = { readonly [K in keyof T]: T[K]['id'] };

export const PROVIDER_IDS = PROVIDERS.map((provider) => provider.id) as unknown as IdsOf<typeof PROVIDERS>;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** The descriptor type of one provider id, with its literal facts. */
export type DescriptorOf<P extends ProviderId> = Extract<(typeof PROVIDERS)[number], { id: P }>;

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

const BY_ID = Object.fromEntries(PROVIDERS.map((provider) => [provider.id, provider])) as {
  [P in ProviderId]: DescriptorOf<P>;
};

export function providerDescriptor<P extends ProviderId>(id: P): DescriptorOf<P> {
  return BY_ID[id];
}

/** One fact of every provider, keyed by id (e.g. `byProvider((p) => p.limits)`). */
export function byProvider<T>(fact: (provider: (typeof PROVIDERS)[number]) => T): Record<ProviderId, T> {
  return Object.fromEntries(PROVIDERS.map((provider) => [provider.id, fact(provider)])) as Record<ProviderId, T>;
}

/** The path of an endpoint URL: a sandbox serves each provider endpoint under the same path on its own origin. */
export function endpointPath(url: string): string {
  return new URL(url).pathname;
}
