/**
 * The Google adapter's opaque cursor. Events: a page token inside one list, and the sync token that the last
 * page of a list hands out. Files: Drive's start page token taken before a full listing (so changes made during
 * the listing are not lost) and the files.list or changes.list page token.
 */
import { z } from 'zod';
import { AppError } from '../../core/app-error';

const eventsCursor = z.object({
  v: z.literal(1),
  kind: z.literal('events'),
  page: z.string().optional(),
  sync: z.string().optional(),
});

const filesCursor = z.object({
  v: z.literal(1),
  kind: z.literal('files'),
  mode: z.enum(['full', 'incremental']),
  start: z.string(),
  page: z.string().optional(),
});

export type EventsCursor = z.infer<typeof eventsCursor>;
export type FilesCursor = z.infer<typeof filesCursor>;
const schema = z.discriminatedUnion('kind', [eventsCursor, filesCursor]);

export function encodeCursor(cursor: EventsCursor | FilesCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor<K extends 'events' | 'files'>(
  value: string | undefined,
  kind: K,
): (K extends 'events' ? EventsCursor : FilesCursor) | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed = schema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (parsed.kind !== kind) throw new Error(`cursor is for ${parsed.kind}`);
    return parsed as K extends 'events' ? EventsCursor : FilesCursor;
  } catch (error) {
    throw new AppError('validation', `cursor was not issued by the Google adapter for ${kind}`, {
      target: 'cursor',
      cause: error,
    });
  }
}
