/**
 * The Slack adapter's opaque cursor. Messages: which configured channel is being read, Slack's history page
 * cursor in it, the threads of the channel still to read (parent ts, at most one history page's worth) and the
 * one being read with its replies cursor, and per channel the newest change already delivered (`since`) and
 * seen in this run (`seen`); where reads are paced, when each read method was last called in this run. Users:
 * Slack's page cursor and the `updated` watermark (users.list has no "changed since", so the adapter filters).
 * Fields added since version 1 are optional, so checkpoints written before them still read.
 */
import { z } from 'zod';
import { AppError } from '../../core/app-error';

const messagesCursor = z.object({
  v: z.literal(1),
  kind: z.literal('messages'),
  mode: z.enum(['full', 'incremental']),
  channel: z.number().int().min(0),
  page: z.string().optional(),
  /** The channel's history has no more pages: once its threads are read, the next channel starts. */
  historyDone: z.boolean().optional(),
  /** Parents (ts) whose replies are still to read, in order. */
  threads: z.array(z.string()).optional(),
  /** The thread being read, when its replies span several pages. */
  thread: z.object({ ts: z.string(), page: z.string() }).optional(),
  since: z.record(z.string(), z.string()),
  seen: z.record(z.string(), z.string()),
  /** Epoch ms of this run's last call per read method, where reads are paced (non-Marketplace apps). */
  calls: z.object({ history: z.number().optional(), replies: z.number().optional() }).optional(),
});

const usersCursor = z.object({
  v: z.literal(1),
  kind: z.literal('users'),
  page: z.string().optional(),
  since: z.number().optional(),
  seen: z.number().optional(),
});

export type MessagesCursor = z.infer<typeof messagesCursor>;
export type UsersCursor = z.infer<typeof usersCursor>;

const cursorSchema = z.discriminatedUnion('kind', [messagesCursor, usersCursor]);

export function encodeCursor(cursor: MessagesCursor | UsersCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor<K extends 'messages' | 'users'>(
  value: string | undefined,
  kind: K,
): (K extends 'messages' ? MessagesCursor : UsersCursor) | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (parsed.kind !== kind) throw new Error(`cursor is for ${parsed.kind}`);
    return parsed as K extends 'messages' ? MessagesCursor : UsersCursor;
  } catch (error) {
    throw new AppError('validation', `cursor was not issued by the Slack adapter for ${kind}`, {
      target: 'cursor',
      cause: error,
    });
  }
}
