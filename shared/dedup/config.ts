/**
 * The saved form of an entity's dedup strategies, validated with zod when an operator saves them. The list
 * is ordered: external_id and content_hash first is the usual choice, then natural_key / fuzzy.
 */
import { z } from 'zod';
import type { DedupStrategy } from './types';

const field = z.string().min(1).max(200);
const comparison = z.enum(['name', 'company', 'text', 'exact']);

const keyNormaliser = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), stripPlusTags: z.boolean().optional() }).strict(),
  z
    .object({
      kind: z.literal('phone'),
      defaultCountryCode: z
        .string()
        .regex(/^\+?\d{1,3}$/)
        .optional(),
    })
    .strict(),
  z.object({ kind: z.literal('text') }).strict(),
  z.object({ kind: z.literal('exact') }).strict(),
]);

const blockingKey = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('prefix'),
      field,
      length: z.number().int().min(1).max(20),
      compare: comparison.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('phonetic'), field, compare: comparison.optional() }).strict(),
  z.object({ kind: z.literal('email_domain'), field }).strict(),
]);

const name = z.string().regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1-50 letters, digits, "-" or "_"');

export const dedupStrategySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('external_id') }).strict(),
  z.object({ kind: z.literal('content_hash') }).strict(),
  z
    .object({
      kind: z.literal('natural_key'),
      name,
      parts: z
        .array(z.object({ field, normalise: keyNormaliser }).strict())
        .min(1)
        .max(10),
    })
    .strict(),
  z
    .object({
      kind: z.literal('fuzzy'),
      name,
      fields: z
        .array(
          z
            .object({
              field,
              compare: comparison,
              weight: z.number().positive().max(100).optional(),
              algorithm: z.enum(['jaro_winkler', 'trigram']).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(10),
      threshold: z.number().min(0).max(1),
      blocking: z.array(blockingKey).min(1).max(10),
      maxCandidatesPerKey: z.number().int().min(1).max(1_000).optional(),
    })
    .strict(),
]);

export const dedupStrategiesSchema = z
  .array(dedupStrategySchema)
  .max(10)
  .superRefine((strategies, ctx) => {
    const names = new Set<string>();
    strategies.forEach((strategy, index) => {
      if (!('name' in strategy)) return;
      if (names.has(strategy.name))
        ctx.addIssue({ code: 'custom', message: `duplicate strategy name "${strategy.name}"`, path: [index, 'name'] });
      names.add(strategy.name);
    });
  });

// Keeps the zod schema and the hand-written union in step: this line fails to compile if they drift.
const _schemaMatchesType: (value: z.infer<typeof dedupStrategySchema>) => DedupStrategy = (value) => value;
