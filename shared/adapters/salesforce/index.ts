/** Salesforce adapter factory: what the registry holds for provider "salesforce". */
import type { AdapterFactory } from '../contract';
import { SalesforceAdapter } from './adapter';
import { SALESFORCE_FACTS } from './facts';

export const salesforceAdapterFactory: AdapterFactory = {
  provider: 'salesforce',
  capabilities: {
    entities: [...SALESFORCE_FACTS.entities],
    incremental: true,
    webhooks: true,
    push: true,
    since: true,
  },
  create: (context) => new SalesforceAdapter(context),
};

export { SalesforceAdapter } from './adapter';
