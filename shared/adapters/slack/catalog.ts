/** What the Slack adapter offers, as data: the Web API has no schema endpoint, so the catalog is fixed. */
import type { Catalog } from '../contract';

export const SLACK_CATALOG: Catalog = {
  provider: 'slack',
  entities: [
    {
      name: 'messages',
      fields: [
        { name: 'channel', type: 'reference', required: true, references: 'channels' },
        { name: 'ts', type: 'string' },
        { name: 'text', type: 'string', required: true, writable: true },
        { name: 'user', type: 'reference', references: 'users' },
        // Replies: thread_ts is the parent's ts, threadParentId its record id (a parent's thread_ts is its own ts).
        { name: 'thread_ts', type: 'string', writable: true },
        { name: 'threadParentId', type: 'reference', references: 'messages', writable: true },
        { name: 'parent_user_id', type: 'reference', references: 'users' },
        { name: 'reply_count', type: 'number' },
        { name: 'latest_reply', type: 'string' },
        { name: 'reply_users', type: 'array' },
        { name: 'edited', type: 'object' },
        { name: 'blocks', type: 'array' },
      ],
      supportsIncremental: true,
      supportsWebhooks: true,
      supportsPush: true,
      reportsDeletions: false,
    },
    {
      name: 'users',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'real_name', type: 'string' },
        { name: 'deleted', type: 'boolean' },
        { name: 'is_bot', type: 'boolean' },
        { name: 'profile', type: 'object' },
        { name: 'updated', type: 'number' },
      ],
      supportsIncremental: true,
      supportsWebhooks: true,
      supportsPush: false,
      reportsDeletions: true,
    },
  ],
};
