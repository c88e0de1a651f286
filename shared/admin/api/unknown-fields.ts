/**
 * Finds the first field of a request body that a zod schema does not know, at any depth (objects, optional and
 * defaulted fields, discriminated unions picked by their discriminator). For routes whose schema is shared
 * with stored documents and so cannot be `.strict()` itself (credentials): a typo such as `expiresIn` for
 * `expiresAt` must be a 400 naming the field, not a value silently dropped.
 */
import { z } from 'zod';

/** Long enough for any real field name; a longer key is cut in the message. */
const MAX_NAME_IN_MESSAGE = 64;

export function unknownField(schema: z.ZodType, value: unknown, path: string[] = []): string | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable)
    return value === undefined || value === null ? undefined : unknownField(schema.unwrap() as z.ZodType, value, path);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const discriminator = (schema as unknown as { _zod: { def: { discriminator: string } } })._zod.def.discriminator;
    const option = (schema.options as z.ZodType[]).find(
      (candidate) =>
        candidate instanceof z.ZodObject &&
        (candidate.shape[discriminator] as z.ZodType | undefined)?.safeParse(record[discriminator]).success,
    );
    return option ? unknownField(option, value, path) : undefined;
  }
  if (!(schema instanceof z.ZodObject)) return undefined;
  const shape = schema.shape as Record<string, z.ZodType>;
  for (const [name, field] of Object.entries(record)) {
    if (!Object.hasOwn(shape, name)) return [...path, name.slice(0, MAX_NAME_IN_MESSAGE)].join('.');
    const inner = unknownField(shape[name]!, field, [...path, name]);
    if (inner) return inner;
  }
  return undefined;
}
