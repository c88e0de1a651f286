/**
 * The Salesforce sandbox: REST query/queryAll with SOQL, sObject CRUD, /deleted/, limits, userinfo, OAuth, the
 * Sforce-Limit-Info header and REQUEST_LIMIT_EXCEEDED from a daily allocation, faults and Outbound Messages.
 * Options.extra: dailyApiLimit (default 100,000), rotateRefreshTokens (default false, the org default).
 * Token answers name the org's instance_url; `moveInstance()` moves the org to a new instance (see instances.ts).
 */
import { Router, type RouteHandler } from '../common/router';
import { startSandboxServer, type SandboxBehaviour } from '../common/server';
import { TokenStore } from '../common/tokens';
import { SandboxReply, type RunningSandbox, type SandboxOptions, type SandboxRecords } from '../common/types';
import { OrgInstances } from './instances';
import { addOAuthRoutes } from './oauth-routes';
import { SalesforceOrg, type OrgChange } from './org';
import { OutboundMessenger } from './outbound';
import { addQueryRoutes } from './query-routes';
import { SOBJECT_NAMES, SOBJECTS, type SObjectName } from './schema';
import { addSObjectRoutes } from './sobject-routes';
import { ApiUsage, sfError } from './wire';

const DEFAULT_RECORDS = 100_000;

/** Error answers thrown inside data routes carry Sforce-Limit-Info too, as every real REST answer does. */
class LimitInfoRouter extends Router {
  constructor(
    private readonly isData: (path: string) => boolean,
    private readonly header: () => string,
  ) {
    super();
  }

  override add(method: string, pattern: string, handler: RouteHandler, options?: { public?: boolean }): this {
    return super.add(
      method,
      pattern,
      async (ctx) => {
        try {
          return await handler(ctx);
        } catch (error) {
          if (!(error instanceof SandboxReply) || !this.isData(ctx.path)) throw error;
          throw new SandboxReply({
            ...error.response,
            headers: { ...error.response.headers, 'sforce-limit-info': this.header() },
          });
        }
      },
      options,
    );
  }
}
const DEFAULT_TOKEN_TTL_MS = 2 * 3600_000;

function recordsOf(org: SalesforceOrg): SandboxRecords {
  const object = (entity: string): SObjectName => {
    if (!SalesforceOrg.isObject(entity)) throw new Error(`unknown sObject ${entity}`);
    return entity;
  };
  return {
    entities: () => [...SOBJECT_NAMES],
    count: (entity) => org.count(object(entity)),
    get: (entity, id) => org.get(object(entity), id),
    create: (entity, fields) => {
      const name = object(entity);
      const defaults: Record<string, unknown> =
        name === 'Account'
          ? { Name: 'Sandbox Account' }
          : name === 'Contact'
            ? { LastName: 'Sandbox' }
            : { Name: 'Sandbox deal', StageName: 'Prospecting', CloseDate: '2030-01-01' };
      return org.create(name, { ...defaults, ...fields });
    },
    update: (entity, id, fields) => {
      const name = object(entity);
      const current = org.get(name, id);
      if (!current) return undefined;
      const label = SOBJECTS[name].fields.some((f) => f.name === 'Name') ? 'Name' : 'LastName';
      return org.update(name, id, fields ?? { [label]: `${String(current[label] ?? '')} (edited)` });
    },
    remove: (entity, id) => org.softDelete(object(entity), id) !== undefined,
  };
}

/** A running Salesforce sandbox, with the org's instance under the test's control. */
export interface SalesforceSandbox extends RunningSandbox {
  /** Moves the org to a new instance (a second port serving the same org); later token answers name it. */
  moveInstance(): Promise<string>;
  /** Later token answers name this URL as instance_url, whatever it is (for tests of a refused host). */
  nameInstance(url: string): void;
  /** Provider calls per instance URL. */
  instanceCalls(): Record<string, number>;
}

export async function startSalesforceSandbox(options: SandboxOptions = {}): Promise<SalesforceSandbox> {
  const extra = options.extra ?? {};
  let baseUrl = '';
  let messenger: OutboundMessenger | undefined;
  const org = new SalesforceOrg(options.records ?? DEFAULT_RECORDS, options.seed ?? 1, (change: OrgChange) =>
    messenger?.notify(change),
  );
  if (options.webhookUrl)
    messenger = new OutboundMessenger(options.webhookUrl, options.webhookSecret, org.organizationId, () => baseUrl);
  const usage = new ApiUsage(typeof extra.dailyApiLimit === 'number' ? extra.dailyApiLimit : 100_000);
  const tokens = new TokenStore({
    accessTokenTtlMs: options.accessTokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    accessPrefix: `${org.organizationId.slice(0, 15)}!`,
    refreshPrefix: '5Aep861',
    rotateRefreshTokens: extra.rotateRefreshTokens === true,
    revokeAccessOnRefresh: false,
  });
  const isData = (path: string): boolean => path.startsWith('/services/data/');
  const router = new LimitInfoRouter(isData, () => usage.header());
  // A moved org is served by a second server over the same behaviour (declared below, started later).
  const instances = new OrgInstances(() => startSandboxServer(behaviour, 0));
  addOAuthRoutes(router, tokens, org.organizationId, (ctx) => instances.instanceUrl(ctx));
  addQueryRoutes(router, org);
  addSObjectRoutes(router, org, usage);

  const behaviour: SandboxBehaviour = {
    provider: 'salesforce',
    router,
    records: recordsOf(org),
    tokens,
    webhooks: messenger?.webhooks,
    unauthorized: () => sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
    notFound: () => sfError(404, 'NOT_FOUND', 'The requested resource does not exist'),
    invalidJson: () => sfError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON'),
    // Salesforce never answers 429: an exhausted allocation is 403 REQUEST_LIMIT_EXCEEDED without Retry-After.
    // Only a fault that names retryAfterSeconds adds the header (as a proxy in front of an org might).
    rateLimited: (fault) => {
      const headers: Record<string, string> = { 'sforce-limit-info': usage.header() };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      return { ...sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), headers };
    },
    serverError: (status) =>
      sfError(
        status,
        status === 503 ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support: 0-0 (sandbox)',
      ),
    beforeRoute: (ctx) => {
      if (!isData(ctx.path) || usage.take()) return undefined;
      return {
        ...sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        headers: { 'sforce-limit-info': usage.header() },
      };
    },
    afterRoute: (ctx, response) =>
      isData(ctx.path)
        ? { ...response, headers: { ...response.headers, 'sforce-limit-info': usage.header() } }
        : response,
  };
  const running = await startSandboxServer(behaviour, options.port ?? 0);
  baseUrl = running.url;
  instances.add(running);
  return {
    ...running,
    moveInstance: () => instances.move(),
    nameInstance: (url) => instances.name(url),
    instanceCalls: () => instances.calls(),
    stop: async () => {
      await instances.stopMoved();
      await running.stop();
    },
  };
}
