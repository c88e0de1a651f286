/** Google adapter factory: what the registry holds for provider "google". */
import type { AdapterFactory } from '../contract';
import { GoogleAdapter } from './adapter';
import { GOOGLE_FACTS } from './facts';

export const googleAdapterFactory: AdapterFactory = {
  provider: 'google',
  capabilities: { entities: [...GOOGLE_FACTS.entities], incremental: true, webhooks: true, push: true },
  create: (context) => new GoogleAdapter(context),
};

export { GoogleAdapter } from './adapter';
