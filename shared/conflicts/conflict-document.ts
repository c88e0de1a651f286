/**
 * The conflict document (the `conflicts` container, partition /tenantId): the fields of one record held for a
 * person to decide, and how a person's decision becomes writes.
 *
 * The id is derived from the record (tenant, integration, entity, external id), so a redelivered page upserts
 * the same document instead of opening a second one, and a record has at most one conflict document: a newer
 * conflict on the same record replaces the older one, which is what the person must decide on now. The
 * fingerprint changes only when the held values change, so a caller can skip a write that would change nothing
 * (and keep the original createdAt).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../core/app-error';
import { canonicalCopy, canonicalJson, emptyPatch, valuesEqual, type FieldPatch } from './field-paths';
import type { HeldField } from './resolve';

export interface ConflictRecordRef {
  tenantId: string;
  integrationId: string;
  shardId: string;
  entity: string;
  externalId: string;
}

/** One held field; a missing base/local/remote key means the field was absent on that side. */
export interface ConflictField {
  field: string;
  base?: unknown;
  local?: unknown;
  remote?: unknown;
}

export const manualChoiceSchema = z.union([
  z.object({ take: z.enum(['local', 'remote']) }).strict(),
  z.object({ value: z.unknown() }).strict(),
]);
export const manualChoicesSchema = z.record(z.string().min(1), manualChoiceSchema);
export type ManualChoice = z.infer<typeof manualChoiceSchema>;

export interface ConflictDocument extends ConflictRecordRef {
  id: string;
  fields: ConflictField[];
  fingerprint: string;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt?: string;
  resolution?: { choices: Record<string, ManualChoice>; resolvedBy?: string };
}

export interface ManualResolution {
  /** The chosen value per field (undefined = the field is removed). */
  values: Record<string, unknown>;
  /** What to write to the shard. */
  localPatch: FieldPatch;
  /** What to push to the provider (bidirectional sync). */
  remotePatch: FieldPatch;
  /** Base values to store if the push is not made now: the provider's values, so the choice reads as a local edit. */
  basePatch: FieldPatch;
  /** Base values to store once the push has succeeded. */
  basePatchAfterPush: FieldPatch;
  resolved: ConflictDocument;
}

export function conflictId(
  ref: Pick<ConflictRecordRef, 'tenantId' | 'integrationId' | 'entity' | 'externalId'>,
): string {
  return `cf-${sha256(canonicalJson([ref.tenantId, ref.integrationId, ref.entity, ref.externalId])).slice(0, 40)}`;
}

/** The document for a resolution's held fields, or undefined when nothing is held. */
export function buildConflictDocument(
  ref: ConflictRecordRef,
  held: readonly HeldField[],
  now: Date,
): ConflictDocument | undefined {
  if (held.length === 0) return undefined;
  const fields = [...held].sort((a, b) => (a.field < b.field ? -1 : 1)).map(toConflictField);
  return {
    id: conflictId(ref),
    ...ref,
    fields,
    fingerprint: sha256(canonicalJson(fields)).slice(0, 32),
    status: 'open',
    createdAt: now.toISOString(),
  };
}

/**
 * Applies a person's decision: every held field must be given exactly one choice. The caller writes the shard
 * with localPatch, pushes remotePatch (bidirectional) and stores the matching base patch, all ETag-guarded.
 */
export function applyManualResolution(
  conflict: ConflictDocument,
  choices: unknown,
  options: { now: Date; resolvedBy?: string },
): ManualResolution {
  if (conflict.status !== 'open')
    throw new AppError('conflict', `conflict ${conflict.id} is already ${conflict.status}`, { target: conflict.id });
  const parsed = manualChoicesSchema.safeParse(choices);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const target = ['choices', ...(issue?.path ?? []).map(String)].join('.');
    throw new AppError('validation', `${target}: ${issue?.message ?? 'invalid choice'}`, { target });
  }
  const known = new Set(conflict.fields.map((f) => f.field));
  for (const field of Object.keys(parsed.data)) {
    if (!known.has(field))
      throw new AppError('validation', `choices.${field}: not a held field of this conflict`, {
        target: `choices.${field}`,
      });
  }
  const result = {
    values: {} as Record<string, unknown>,
    localPatch: emptyPatch(),
    remotePatch: emptyPatch(),
    basePatch: emptyPatch(),
    basePatchAfterPush: emptyPatch(),
  };
  for (const held of conflict.fields) {
    const choice = parsed.data[held.field];
    if (!choice)
      throw new AppError('validation', `choices.${held.field}: a choice is required for every held field`, {
        target: `choices.${held.field}`,
      });
    const value = 'take' in choice ? held[choice.take] : canonicalCopy(choice.value);
    result.values[held.field] = value;
    if (!valuesEqual(held.local, value)) addTo(result.localPatch, held.field, value);
    if (!valuesEqual(held.remote, value)) addTo(result.remotePatch, held.field, value);
    addTo(result.basePatch, held.field, held.remote);
    addTo(result.basePatchAfterPush, held.field, value);
  }
  const resolved: ConflictDocument = {
    ...conflict,
    status: 'resolved',
    resolvedAt: options.now.toISOString(),
    resolution: { choices: parsed.data, ...(options.resolvedBy ? { resolvedBy: options.resolvedBy } : {}) },
  };
  return { ...result, resolved };
}

function toConflictField(held: HeldField): ConflictField {
  const out: ConflictField = { field: held.field };
  if (held.base !== undefined) out.base = canonicalCopy(held.base);
  if (held.local !== undefined) out.local = canonicalCopy(held.local);
  if (held.remote !== undefined) out.remote = canonicalCopy(held.remote);
  return out;
}

function addTo(patch: FieldPatch, field: string, value: unknown): void {
  if (value === undefined) patch.unset.push(field);
  else patch.set[field] = canonicalCopy(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
