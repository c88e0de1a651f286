/** Notion adapter factory and its public helpers. */
import type { AdapterFactory } from '../contract';
import { NotionAdapter } from './adapter';
import { NOTION_PROVIDER } from '../../core/providers';

export const notionAdapterFactory: AdapterFactory = {
  provider: 'notion',
  capabilities: {
    entities: [...NOTION_PROVIDER.entities.supported],
    incremental: true,
    webhooks: true,
    push: true,
    since: true,
  },
  create: (context) => new NotionAdapter(context),
};

export { NotionAdapter, pageRecord } from './adapter';
export { refreshNotionToken, type NotionTokens, type NotionRefreshRequest } from './oauth';
export { notionProfile, NOTION } from './profile';
export { flattenProperty, propertyInput, toPropertyInputs } from './properties';
