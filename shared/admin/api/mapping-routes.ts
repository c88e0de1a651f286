/**
 * Conversion schemas per integration and entity:
 *   GET    …/integrations/{integrationId}/mappings                       every schema of the integration
 *   PUT    …/integrations/{integrationId}/mappings/{entity}              validate (against the provider's catalog when it
 *                                                                        can be read) and store; 400 names the field
 *   DELETE …/integrations/{integrationId}/mappings/{entity}              back to the record's fields as they are
 *   POST   …/integrations/{integrationId}/mappings/{entity}/preview      {"schema"?, "record": {id, data}} → the mapped record or its error
 */
import { z } from 'zod';
import { AppError } from '../../core/app-error';
import { json, parseBody } from '../../platform/http/responses';
import { parseConversionSchema, transformRecord } from '../../mapping';
import { createAdapterFor } from '../../sync/adapter-factory';
import type { Catalog } from '../../adapters/contract';
import type { Integration } from '../../core/integration';
import type { AdminContext, AdminRouter } from './context';
import { loadIntegration } from './integration-routes';
import type { MappingList, MappingPreviewResponse, PutMappingResponse } from '../contracts/integrations';

const BASE = 'tenants/:tenantId/integrations/:integrationId/mappings';
const CATALOG_TIMEOUT_MS = 10_000;
const previewSchema = z
  .object({
    schema: z.unknown().optional(),
    record: z.object({ id: z.string().min(1), data: z.record(z.string(), z.unknown()) }).strict(),
  })
  .strict();

/** The provider's catalog, when it can be read now; schemas are then checked field by field against it. */
async function catalogOf(ctx: AdminContext, integration: Integration): Promise<{ catalog?: Catalog; reason?: string }> {
  try {
    const adapter = createAdapterFor(ctx.services)(integration);
    return { catalog: await adapter.discover(AbortSignal.timeout(CATALOG_TIMEOUT_MS)) };
  } catch (error) {
    return {
      reason: `the provider's catalog could not be read (${(error as AppError).code ?? 'error'}); fields were not checked against it`,
    };
  }
}

function entityParam(integration: Integration, entity: string | undefined): string {
  if (!entity || !integration.entities.includes(entity))
    throw new AppError(
      'bad_request',
      `entity: "${entity}" is not one of this integration's entities (${integration.entities.join(', ')})`,
      { target: 'entity' },
    );
  return entity;
}

export function registerMappingRoutes(router: AdminRouter): void {
  router.add('GET', BASE, async (ctx, params) =>
    json(200, { items: (await loadIntegration(ctx, params)).mappings ?? {} } satisfies MappingList),
  );

  router.add('PUT', `${BASE}/:entity`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const entity = entityParam(integration, params.entity);
    const body = await ctx.request.body();
    const { catalog, reason } = await catalogOf(ctx, integration);
    let schema;
    try {
      schema = parseConversionSchema(body, catalog);
    } catch (error) {
      throw new AppError('bad_request', (error as Error).message, {
        target: (error as AppError).target,
        details: (error as AppError).details,
      });
    }
    if (schema.provider !== integration.provider || schema.entity !== entity)
      throw new AppError('bad_request', `provider/entity: the schema must be for ${integration.provider} ${entity}`, {
        target: 'entity',
      });
    const stored = await ctx.services.integrations.replace({
      ...integration,
      mappings: { ...integration.mappings, [entity]: schema },
      updatedAt: ctx.services.now().toISOString(),
    });
    ctx.logger.info('conversion schema stored', { integrationId: integration.id, entity, by: ctx.principal.id });
    return json(200, {
      entity,
      schema: stored.mappings![entity]!,
      checkedAgainstCatalog: catalog !== undefined,
      ...(reason ? { warning: reason } : {}),
    } satisfies PutMappingResponse);
  });

  router.add('DELETE', `${BASE}/:entity`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const entity = entityParam(integration, params.entity);
    const mappings = { ...integration.mappings };
    delete mappings[entity];
    await ctx.services.integrations.replace({ ...integration, mappings, updatedAt: ctx.services.now().toISOString() });
    return { status: 204 };
  });

  router.add('POST', `${BASE}/:entity/preview`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const entity = entityParam(integration, params.entity);
    const body = parseBody(previewSchema, await ctx.request.body());
    const schemaInput = body.schema ?? integration.mappings?.[entity];
    if (!schemaInput)
      return json(200, {
        ok: true,
        data: body.record.data,
        note: 'no conversion schema: the record is kept as it is',
      } satisfies MappingPreviewResponse);
    let schema;
    try {
      schema = parseConversionSchema(schemaInput);
    } catch (error) {
      throw new AppError('bad_request', (error as Error).message, { target: (error as AppError).target });
    }
    const outcome = await transformRecord(schema, { id: body.record.id, entity, data: body.record.data });
    const preview: MappingPreviewResponse = outcome.ok
      ? {
          ok: true,
          shardType: outcome.record.shardType,
          data: outcome.record.data,
          references: outcome.record.references,
          derived: outcome.record.derived,
        }
      : { ok: false, error: outcome.error };
    return json(200, preview);
  });
}
