/**
 * Salesforce: REST API of each org's own instance (facts: /work/shared/design/PROVIDERS.md and Salesforce's
 * REST API reference). There is no public API root: an integration names its instance URL.
 */
import { defineProvider, HOUR_MS, MINUTE_MS } from './define';

export const SALESFORCE_PROVIDER = defineProvider({
  id: 'salesforce',
  label: 'Salesforce',
  entities: {
    supported: ['Account', 'Contact', 'Opportunity'],
    defaults: ['Account', 'Contact', 'Opportunity'],
  },
  api: {
    baseUrl: undefined,
    // Each org has its instance (<name>.my.salesforce.com, sandboxes <name>--<box>.sandbox.my.salesforce.com,
    // older <pod>.salesforce.com); login and test serve OAuth for production and sandboxes.
    hosts: ['login.salesforce.com', 'test.salesforce.com', '*.my.salesforce.com', '*.salesforce.com'],
    // The token answer's instance_url: a My Domain host (<name>.my.salesforce.com, <name>--<box>.sandbox.my.
    // salesforce.com, <name>.develop.my.salesforce.com …) or an older pod host (<pod>.salesforce.com).
    instances: {
      hosts: ['*.my.salesforce.com', '*.salesforce.com'],
      notInstances: ['login.salesforce.com', 'test.salesforce.com'],
    },
  },
  oauth: {
    authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    clientAuth: 'body',
    scopes: ['api', 'refresh_token'],
    scopeSeparator: ' ',
    extraAuthorizeParams: {},
    // invalid_grant also says "expired access/refresh token" when the org's refresh-token policy ended it.
    tokenWire: { body: 'form', reauthErrors: ['invalid_grant', 'inactive_user', 'inactive_org'] },
  },
  limits: {
    // The daily allocation is a rolling 24 h; spread it, with room for a sync page's burst.
    integration: { kind: 'rate', limit: 100_000, windowMs: 24 * HOUR_MS, burst: 200 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [],
    // 25 concurrent long-running requests per org (5 on developer orgs: override per integration).
    concurrency: { kind: 'concurrency', limit: 25, leaseMs: 2 * MINUTE_MS },
    signalLevel: 'integration',
    // REQUEST_LIMIT_EXCEEDED comes without Retry-After and means the daily allocation is spent.
    noRetryAfterBlockMs: 5 * MINUTE_MS,
  },
  webhook: { scheme: 'salesforce-outbound-message' },
});
