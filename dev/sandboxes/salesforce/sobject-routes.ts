/**
 * sObject routes of the Salesforce sandbox: describe, get / create / PATCH / DELETE by id, the /deleted/ window,
 * limits and userinfo. Validation answers the way the REST API does (INVALID_FIELD, REQUIRED_FIELD_MISSING,
 * ENTITY_IS_DELETED …) so adapters meet the real failure shapes.
 */
import type { RequestContext, Router } from '../common/router';
import type { SalesforceOrg } from './org';
import { SOBJECTS, type SObjectName } from './schema';
import { sfFail, wireRecord, type ApiUsage } from './wire';

const DELETED_WINDOW_MS = 15 * 86_400_000;

function objectOf(ctx: RequestContext): SObjectName {
  const name = Object.keys(SOBJECTS).find((object) => object.toLowerCase() === (ctx.params.object ?? '').toLowerCase());
  if (!name) sfFail(404, 'NOT_FOUND', `The requested resource does not exist`);
  return name as SObjectName;
}

/** Checks a create / update body against the describe: unknown, read-only and (on create) missing fields. */
function writableFields(object: SObjectName, body: unknown, creating: boolean): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    sfFail(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const fields = SOBJECTS[object].fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const field = fields.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    if (!field) sfFail(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object}`, [key]);
    if (!(creating ? field.createable : field.updateable))
      sfFail(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}.`, [field.name]);
    out[field.name] = value;
  }
  const missing = fields.filter(
    (f) =>
      f.createable &&
      !f.nillable &&
      f.type !== 'boolean' &&
      (creating ? out[f.name] == null : f.name in out && out[f.name] == null),
  );
  if (missing.length > 0)
    sfFail(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`,
      missing.map((f) => f.name),
    );
  return out;
}

export function addSObjectRoutes(router: Router, org: SalesforceOrg, usage: ApiUsage): void {
  router.add('GET', '/services/data/:version/limits', () => ({
    status: 200,
    json: { DailyApiRequests: { Max: usage.max, Remaining: Math.max(0, usage.max - usage.used) } },
  }));

  router.add('GET', '/services/oauth2/userinfo', (ctx) => ({
    status: 200,
    json: {
      sub: `${ctx.baseUrl}/id/${org.organizationId}/0055g00000SandUAAQ`,
      user_id: '0055g00000SandUAAQ',
      organization_id: org.organizationId,
      name: 'Sandbox User',
      preferred_username: 'sandbox@example.com',
      email: 'sandbox@example.com',
    },
  }));

  router.add('GET', '/services/data/:version/sobjects/:object/describe', (ctx) => {
    const object = objectOf(ctx);
    return {
      status: 200,
      json: {
        name: object,
        createable: true,
        updateable: true,
        deletable: true,
        keyPrefix: SOBJECTS[object].keyPrefix,
        fields: SOBJECTS[object].fields,
      },
    };
  });

  router.add('GET', '/services/data/:version/sobjects/:object/deleted', (ctx) => {
    const object = objectOf(ctx);
    const startMs = Date.parse(ctx.query.get('start') ?? '');
    const endMs = Date.parse(ctx.query.get('end') ?? '');
    if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs < startMs)
      sfFail(400, 'MALFORMED_QUERY', 'start and end must be ISO-8601 dateTimes with start before end');
    const earliest = Date.now() - DELETED_WINDOW_MS;
    if (startMs < earliest) sfFail(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 15 days ago');
    const rows = org.deletedBetween(object, startMs, endMs);
    return {
      status: 200,
      json: {
        deletedRecords: rows.map((row) => ({ id: row.Id, deletedDate: row.SystemModstamp })),
        earliestDateAvailable: new Date(earliest).toISOString().replace('Z', '+0000'),
        latestDateCovered: new Date(Math.min(endMs, Date.now())).toISOString().replace('Z', '+0000'),
      },
    };
  });

  router.add('POST', '/services/data/:version/sobjects/:object', (ctx) => {
    const object = objectOf(ctx);
    const row = org.create(object, writableFields(object, ctx.json(), true));
    return { status: 201, json: { id: row.Id, success: true, errors: [] } };
  });

  router.add('GET', '/services/data/:version/sobjects/:object/:id', (ctx) => {
    const object = objectOf(ctx);
    // A record in the recycle bin answers ENTITY_IS_DELETED, as the REST API does; only an unknown id is NOT_FOUND.
    const row = org.get(object, ctx.params.id!, true);
    if (!row) sfFail(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (row.IsDeleted) sfFail(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    const names = SOBJECTS[object].fields.map((field) => field.name);
    const requested = ctx.query
      .get('fields')
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const fields = requested?.map(
      (name) =>
        names.find((known) => known.toLowerCase() === name.toLowerCase()) ??
        sfFail(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object}'`, [name]),
    );
    return { status: 200, json: wireRecord(object, ctx.params.version!, row, fields ?? names) };
  });

  router.add('PATCH', '/services/data/:version/sobjects/:object/:id', (ctx) => {
    const object = objectOf(ctx);
    const fields = writableFields(object, ctx.json(), false);
    if (org.get(object, ctx.params.id!, true)?.IsDeleted) sfFail(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    if (!org.update(object, ctx.params.id!, fields)) sfFail(404, 'NOT_FOUND', 'The requested resource does not exist');
    return { status: 204 };
  });

  router.add('DELETE', '/services/data/:version/sobjects/:object/:id', (ctx) => {
    const object = objectOf(ctx);
    if (org.get(object, ctx.params.id!, true)?.IsDeleted) sfFail(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    if (!org.softDelete(object, ctx.params.id!)) sfFail(404, 'NOT_FOUND', 'The requested resource does not exist');
    return { status: 204 };
  });
}
