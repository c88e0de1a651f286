/**
 * The audit trail: every admin change that succeeded becomes an activity entry naming who made it (the signed-in
 * principal), what it was about and WHICH fields it changed (names only, never values: credential and secret
 * bodies are reduced to their field names too). It is hooked once, around the router (admin-api.ts), so a new
 * route is audited without code of its own; the table below only words the known ones better and picks their
 * activity type.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { ActivityType } from '../contracts/activity';
import type { ActivityEntry } from '../../activity/recorder';
import type { AdminContext, AdminRequest } from './context';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface AuditRule {
  pattern: RegExp;
  type: ActivityType;
  /** The words for this change; `m` is the pattern's match. */
  describe(method: string, m: RegExpMatchArray): string;
  /** Requests that change nothing (previews, tests) are left out. */
  skip?: boolean;
  /** The answer is the integration just created (its id and name). */
  createsIntegration?: boolean;
}

const I = 'tenants/[^/]+/integrations/([^/]+)';
const verb = (method: string) => (method === 'DELETE' ? 'removed' : method === 'POST' ? 'created' : 'updated');

const RULES: AuditRule[] = [
  { pattern: new RegExp(`^${I}/mappings/[^/]+/preview$`), type: 'config', skip: true, describe: () => '' },
  {
    pattern: new RegExp(`^tenants/[^/]+/integrations$`),
    type: 'config',
    createsIntegration: true,
    describe: () => 'integration created',
  },
  { pattern: new RegExp(`^${I}$`), type: 'config', describe: (method) => `integration ${verb(method)}` },
  {
    pattern: new RegExp(`^${I}/mappings/([^/]+)$`),
    type: 'config',
    describe: (method, m) => `mapping of ${m[2]} ${verb(method)}`,
  },
  { pattern: new RegExp(`^${I}/credentials$`), type: 'credential', describe: () => 'credentials set' },
  { pattern: new RegExp(`^${I}/webhook-secret$`), type: 'config', describe: () => 'webhook secret rotated' },
  {
    pattern: new RegExp(`^${I}/webhook-secret/confirm-pending$`),
    type: 'config',
    describe: () => 'pending webhook secret confirmed',
  },
  {
    pattern: new RegExp(`^${I}/rate-limits$`),
    type: 'config',
    describe: (method) => `rate-limit override ${verb(method)}`,
  },
  {
    pattern: /^tenants\/[^/]+\/rate-limits$/,
    type: 'config',
    describe: (method) => `tenant rate-limit override ${verb(method)}`,
  },
  {
    pattern: new RegExp(`^${I}/webhooks/subscription$`),
    type: 'config',
    describe: (method) => `webhook subscription ${verb(method)}`,
  },
  // The connection test only reads the provider.
  { pattern: new RegExp(`^${I}/test$`), type: 'config', skip: true, describe: () => '' },
  { pattern: new RegExp(`^${I}/runs/([^/]+)/cancel$`), type: 'run', describe: (_, m) => `run ${m[2]} cancelled` },
  { pattern: new RegExp(`^${I}/checkpoints/reset$`), type: 'run', describe: () => 'checkpoint reset' },
  {
    pattern: /^tenants\/[^/]+\/shards(?:\/([^/]+))?$/,
    type: 'config',
    describe: (method, m) => (m[1] ? `record ${m[1]} edited` : 'record created'),
  },
  { pattern: new RegExp(`^${I}/sync$`), type: 'run', describe: () => 'run started' },
  { pattern: new RegExp(`^${I}/runs/([^/]+)/retry$`), type: 'run', describe: (_, m) => `run ${m[2]} retried` },
  { pattern: new RegExp(`^${I}/oauth/start$`), type: 'credential', describe: () => 'OAuth connection started' },
  {
    pattern: new RegExp(`^${I}/webhooks/(?:[^/]+/)?replay$`),
    type: 'webhook',
    describe: () => 'webhook deliveries replayed',
  },
  {
    pattern: /^tenants\/[^/]+\/conflicts\/(?:([^/]+)\/)?resolve$/,
    type: 'conflict',
    describe: (_, m) => (m[1] ? `conflict ${m[1]} resolved` : 'conflicts resolved in bulk'),
  },
  {
    pattern: /^tenants\/[^/]+\/notifications\/channels\/[^/]+\/test$/,
    type: 'notification',
    describe: () => 'test message sent',
  },
  {
    pattern: /^tenants\/[^/]+\/notifications\/(channels|rules)(?:\/([^/]+))?$/,
    type: 'config',
    describe: (method, m) => `notification ${m[1] === 'channels' ? 'channel' : 'rule'} ${verb(method)}`,
  },
  {
    pattern: /^tenants\/[^/]+\/notifications\/deliveries\/[^/]+\/resend$/,
    type: 'notification',
    describe: () => 'notification resent',
  },
  {
    pattern: new RegExp(`^${I}/dead-letters/[^/]+/redrive$`),
    type: 'run',
    describe: () => 'dead-lettered message redriven',
  },
];

/** Field names of a body, one level into objects ("providerOptions.repositories"): never a value. */
export function changedFields(body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const names: string[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0)
      for (const inner of Object.keys(value).slice(0, 20)) names.push(`${key}.${inner}`);
    else names.push(key);
  }
  return names.slice(0, 40);
}

/** The integration a path is about, or undefined for a tenant-wide change. */
export function integrationIdOf(path: string): string | undefined {
  return /^tenants\/[^/]+\/integrations\/([^/]+)/.exec(path)?.[1];
}

/** A request whose body the router and the audit both read: parsed once. */
export function withMemoizedBody(request: AdminRequest): AdminRequest {
  let body: Promise<unknown> | undefined;
  return { ...request, body: () => (body ??= request.body()) };
}

/** True for the requests the audit trail looks at (a change within a tenant). */
export function isAuditable(request: AdminRequest): boolean {
  return CHANGES.has(request.method.toUpperCase()) && /^tenants\/[^/]+\//.test(request.path);
}

/**
 * The entry for a change that succeeded, or undefined for one that is not a change. `nameBefore` is the
 * integration's name read before the change (a deleted one has none after it).
 */
export async function auditEntry(
  ctx: Pick<AdminContext, 'request' | 'principal'>,
  tenantId: string,
  response: HttpResponseInit,
  nameBefore: string | undefined,
): Promise<ActivityEntry | undefined> {
  const { request } = ctx;
  const method = request.method.toUpperCase();
  const path = request.path.replace(/\/+$/, '');
  const rule = RULES.find((candidate) => candidate.pattern.test(path));
  if (rule?.skip) return undefined;
  const answer = (response.jsonBody ?? {}) as Record<string, unknown>;
  const created = rule?.createsIntegration === true;
  const integrationId = integrationIdOf(path) ?? (created && typeof answer.id === 'string' ? answer.id : '');
  // An answer that is the integration itself (created, renamed) names it as it is now.
  const answersIntegration = typeof answer.name === 'string' && answer.id === integrationId && integrationId !== '';
  const integrationName = answersIntegration ? (answer.name as string) : nameBefore;
  const described = rule
    ? rule.describe(method, path.match(rule.pattern)!)
    : `${method} ${path.replace(/^tenants\/[^/]+\//, '')}`;
  const fields = method === 'DELETE' ? [] : changedFields(await request.body().catch(() => undefined));
  const runId = typeof answer.runId === 'string' ? answer.runId : undefined;
  return {
    tenantId,
    type: rule?.type ?? 'config',
    integrationId,
    ...(integrationName !== undefined ? { integrationName } : {}),
    status: 'changed',
    summary: fields.length > 0 ? `${described}: ${fields.join(', ')}` : described,
    actor: ctx.principal.id,
    ...(runId ? { runId } : {}),
  };
}
