/**
 * The adapter registry: one factory per provider, looked up by provider id. `createDefaultRegistry` holds every
 * provider the product ships; the sync engine and admin API ask it for adapters and their capabilities.
 */
import { AppError } from '../core/app-error';
import type { AdapterCapabilities, AdapterContext, AdapterFactory, ProviderAdapter } from './contract';
import type { ProviderId } from '../core/providers';
import { githubAdapterFactory } from './github';
import { googleAdapterFactory } from './google';
import { notionAdapterFactory } from './notion';
import { salesforceAdapterFactory } from './salesforce';
import { slackAdapterFactory } from './slack';

export class AdapterRegistry {
  private readonly factories = new Map<ProviderId, AdapterFactory>();

  /** Registers a factory; registering a provider twice is a configuration mistake. */
  register(factory: AdapterFactory): this {
    if (this.factories.has(factory.provider))
      throw new AppError('configuration', `adapter for ${factory.provider} is already registered`, {
        target: factory.provider,
      });
    this.factories.set(factory.provider, factory);
    return this;
  }

  has(provider: string): boolean {
    return this.factories.has(provider as ProviderId);
  }

  get(provider: string): AdapterFactory {
    const factory = this.factories.get(provider as ProviderId);
    if (!factory)
      throw new AppError('not_found', `no adapter registered for provider "${provider}"`, { target: 'provider' });
    return factory;
  }

  /** What the provider's adapter can do, without creating one (adapters are created paced, by the sync). */
  capabilitiesOf(provider: string): AdapterCapabilities {
    return this.get(provider).capabilities;
  }

  /** Shortcut: the provider's factory creates an adapter bound to one integration's context. */
  create(provider: string, context: AdapterContext): ProviderAdapter {
    return this.get(provider).create(context);
  }

  list(): { provider: ProviderId; capabilities: AdapterCapabilities }[] {
    return [...this.factories.values()].map((factory) => ({
      provider: factory.provider,
      capabilities: factory.capabilities,
    }));
  }
}

export function createDefaultRegistry(): AdapterRegistry {
  const registry = new AdapterRegistry();
  registry.register(githubAdapterFactory);
  registry.register(notionAdapterFactory);
  registry.register(salesforceAdapterFactory);
  registry.register(slackAdapterFactory);
  registry.register(googleAdapterFactory);
  return registry;
}
