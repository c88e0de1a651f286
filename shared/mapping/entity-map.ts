/**
 * Entity → shard type for one integration: which conversion schema (and so which shard type) a provider
 * entity's records go through. One schema per entity; a record of an unmapped entity is not synced.
 */
import { AppError } from '../core/app-error';
import type { ConversionSchema } from './schema';

export interface EntityMap {
  schemaFor(entity: string): ConversionSchema | undefined;
  shardTypeOf(entity: string): string | undefined;
  entities(): string[];
}

export function buildEntityMap(schemas: readonly ConversionSchema[]): EntityMap {
  const byEntity = new Map<string, ConversionSchema>();
  schemas.forEach((schema, index) => {
    if (byEntity.has(schema.entity)) {
      throw new AppError('validation', `schemas.${index}.entity: entity "${schema.entity}" is mapped twice`, {
        target: `schemas.${index}.entity`,
      });
    }
    byEntity.set(schema.entity, schema);
  });
  return {
    schemaFor: (entity) => byEntity.get(entity),
    shardTypeOf: (entity) => byEntity.get(entity)?.shardType,
    entities: () => [...byEntity.keys()],
  };
}
