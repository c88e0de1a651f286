/**
 * Threads in the Slack sandbox, the way Slack shows them: conversations.history lists only top-level messages,
 * and a parent carries its thread's summary (thread_ts = its own ts, reply_count, reply_users_count,
 * latest_reply, reply_users); the replies themselves (thread_ts = the parent's ts, parent_user_id) come only
 * from conversations.replies. Seeded threads are recomputed from the parent's index like every seeded message:
 * a share of the seeded messages start one, with a few replies a second apart (seeded messages are 30 s apart,
 * so a reply never lands on another message's ts).
 */
import { intBetween, seededRandom } from '../common/seeded';
import type { SlackMessage } from './types';

/** Share of seeded messages that start a thread, unless the sandbox is told otherwise (extra.threads). */
export const DEFAULT_THREAD_SHARE = 0.25;
export const MAX_SEEDED_REPLIES = 4;
export const REPLY_SPACING_MICROS = 1_000_000n;
/** Slack lists at most this many users in a parent's reply_users. */
const REPLY_USERS_SHOWN = 5;
const THREAD_SALT = 500;

/** Replies of the seeded message at `index` (0 for most). */
export function seededReplyCount(seed: number, salt: number, index: number, share: number): number {
  if (share <= 0) return 0;
  const random = seededRandom(seed, index, salt + THREAD_SALT);
  return random() < share ? intBetween(random, 1, MAX_SEEDED_REPLIES) : 0;
}

/** A message that sits in a thread without being its parent. */
export const isReply = (message: SlackMessage): boolean =>
  typeof message.thread_ts === 'string' && message.thread_ts !== message.ts;

const THREAD_FIELDS = ['thread_ts', 'reply_count', 'reply_users_count', 'latest_reply', 'reply_users'] as const;

/** A top-level message with its thread summary as of now (or without one when it has no replies). */
export function withThreadSummary(message: SlackMessage, replies: SlackMessage[]): SlackMessage {
  const plain: SlackMessage = { ...message };
  for (const field of THREAD_FIELDS) delete plain[field];
  if (replies.length === 0) return plain;
  const users = [...new Set(replies.map((reply) => reply.user).filter((user): user is string => !!user))];
  return {
    ...plain,
    thread_ts: message.ts,
    reply_count: replies.length,
    reply_users_count: users.length,
    latest_reply: replies[replies.length - 1]!.ts,
    reply_users: users.slice(0, REPLY_USERS_SHOWN),
  };
}
