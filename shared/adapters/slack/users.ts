/**
 * Slack users of the workspace through users.list. Slack has no "changed since" for users, so every run pages the
 * whole directory and the adapter keeps only users whose `updated` (epoch seconds) is newer than the watermark.
 * Deactivated users stay in the list with deleted = true, which the record carries as `deleted`.
 */
import { isAppError } from '../../core/app-error';
import type { FetchPage, ProviderRecord } from '../contract';
import type { SlackApi, SlackBody } from './api';
import { encodeCursor, type UsersCursor } from './cursor';
import { SLACK_FACTS } from './facts';

type User = Record<string, unknown> & { id: string; updated?: number; deleted?: boolean };

export function toUserRecord(user: User): ProviderRecord {
  const updated = typeof user.updated === 'number' ? user.updated : undefined;
  return {
    id: user.id,
    entity: 'users',
    version: updated === undefined ? undefined : String(updated),
    modifiedAt: updated === undefined ? undefined : new Date(updated * 1000).toISOString(),
    deleted: user.deleted === true,
    data: user,
  };
}

export async function fetchUsers(
  api: SlackApi,
  cursor: UsersCursor | undefined,
  pageSize: number,
  signal?: AbortSignal,
): Promise<FetchPage> {
  const state: UsersCursor = cursor ?? { v: 1, kind: 'users' };
  const body = await api.call<SlackBody & { members?: User[]; response_metadata?: { next_cursor?: string } }>(
    'users.list',
    { limit: Math.max(1, Math.min(pageSize, SLACK_FACTS.maxUsersLimit)), cursor: state.page },
    { signal },
  );
  const members = (body.members ?? []).filter((user) => state.since === undefined || (user.updated ?? 0) > state.since);
  const seen = members.reduce((max, user) => Math.max(max, user.updated ?? 0), state.seen ?? state.since ?? 0);
  const page = body.response_metadata?.next_cursor || undefined;
  const records = members.map(toUserRecord);
  if (page) return { records, nextCursor: encodeCursor({ ...state, page, seen }), done: false };
  return {
    records,
    nextCursor: encodeCursor({ v: 1, kind: 'users', since: Math.max(seen, state.since ?? 0) }),
    done: true,
  };
}

export async function fetchUser(api: SlackApi, id: string, signal?: AbortSignal): Promise<ProviderRecord | undefined> {
  try {
    const body = await api.call<SlackBody & { user?: User }>('users.info', { user: id }, { signal });
    return body.user ? toUserRecord(body.user) : undefined;
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}
