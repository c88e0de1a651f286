/**
 * `defineProvider` checks a descriptor against ProviderDescriptor and keeps its literal types (the id, entity
 * names), so ProviderId and each adapter's entity union derive from the descriptor instead of being repeated.
 */
import type { ProviderDescriptor } from './types';

export function defineProvider<const D extends ProviderDescriptor>(descriptor: D): D {
  return descriptor;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
