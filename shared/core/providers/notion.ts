/**
 * Notion: the public API (facts: /work/shared/design/PROVIDERS.md and Notion's API reference).
 */
import { defineProvider } from './define';

export const NOTION_PROVIDER = defineProvider({
  id: 'notion',
  label: 'Notion',
  entities: { supported: ['pages'], defaults: ['pages'] },
  api: { baseUrl: 'https://api.notion.com', hosts: ['api.notion.com'] },
  oauth: {
    authorizeUrl: 'https://api.notion.com/v1/oauth/authorize',
    tokenUrl: 'https://api.notion.com/v1/oauth/token',
    clientAuth: 'basic',
    scopes: [],
    scopeSeparator: ' ',
    extraAuthorizeParams: { owner: 'user' },
    // HTTP Basic client authentication and a JSON body; a form body is refused.
    tokenWire: { body: 'json', reauthErrors: ['invalid_grant'] },
  },
  limits: {
    // About 3 requests/s on average per connection.
    integration: { kind: 'rate', limit: 3, windowMs: 1000, burst: 3 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [],
    signalLevel: 'integration',
    noRetryAfterBlockMs: 1000,
  },
  webhook: { scheme: 'notion-verification-token' },
});
