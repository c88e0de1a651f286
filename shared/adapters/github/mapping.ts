/** GitHub wire objects → ProviderRecords, adapter data → request bodies, and the static catalog. */
import type { Catalog, EntityDescriptor, ProviderRecord } from '../contract';
import { commentRecordId, issueId } from './ids';

type Json = Record<string, unknown>;

export const ISSUES = 'issues';
export const COMMENTS = 'issue_comments';

const ISSUE_ENTITY: EntityDescriptor = {
  name: ISSUES,
  supportsIncremental: true,
  supportsWebhooks: true,
  supportsPush: true,
  // The issues list never shows deletions (and the API cannot delete issues); a sweep or fetchByIds finds them.
  reportsDeletions: false,
  fields: [
    { name: 'repository', type: 'string', required: true },
    { name: 'number', type: 'number' },
    { name: 'title', type: 'string', required: true, writable: true },
    { name: 'body', type: 'string', writable: true },
    { name: 'state', type: 'string', writable: true },
    { name: 'stateReason', type: 'string', writable: true },
    { name: 'labels', type: 'array', writable: true },
    { name: 'assignees', type: 'array', writable: true },
    { name: 'author', type: 'string' },
    { name: 'commentCount', type: 'number' },
    { name: 'createdAt', type: 'datetime' },
    { name: 'updatedAt', type: 'datetime' },
    { name: 'closedAt', type: 'datetime' },
    { name: 'url', type: 'string' },
  ],
};

const COMMENT_ENTITY: EntityDescriptor = {
  name: COMMENTS,
  supportsIncremental: true,
  supportsWebhooks: true,
  supportsPush: true,
  reportsDeletions: false,
  fields: [
    { name: 'repository', type: 'string', required: true },
    { name: 'issueNumber', type: 'number', required: true },
    { name: 'issueId', type: 'reference', references: ISSUES },
    { name: 'body', type: 'string', required: true, writable: true },
    { name: 'author', type: 'string' },
    { name: 'createdAt', type: 'datetime' },
    { name: 'updatedAt', type: 'datetime' },
    { name: 'url', type: 'string' },
  ],
};

export const GITHUB_CATALOG: Catalog = { provider: 'github', entities: [ISSUE_ENTITY, COMMENT_ENTITY] };

const login = (user: unknown) => (user && typeof user === 'object' ? (user as Json).login : undefined);
const iso = (value: unknown) => (typeof value === 'string' ? new Date(value).toISOString() : undefined);

export function issueRecord(repository: string, issue: Json): ProviderRecord {
  return {
    id: issueId(repository, Number(issue.number)),
    entity: ISSUES,
    version: String(issue.updated_at),
    modifiedAt: iso(issue.updated_at),
    data: {
      repository,
      number: issue.number,
      title: issue.title,
      body: issue.body ?? null,
      state: issue.state,
      stateReason: issue.state_reason ?? null,
      labels: Array.isArray(issue.labels)
        ? issue.labels.map((label) => (typeof label === 'string' ? label : (label as Json).name))
        : [],
      assignees: Array.isArray(issue.assignees) ? issue.assignees.map(login) : [],
      author: login(issue.user),
      commentCount: issue.comments,
      createdAt: iso(issue.created_at),
      updatedAt: iso(issue.updated_at),
      closedAt: iso(issue.closed_at) ?? null,
      url: issue.html_url,
    },
  };
}

export function commentRecord(repository: string, comment: Json): ProviderRecord {
  const issueNumber = Number(
    String(comment.issue_url ?? '')
      .split('/')
      .pop(),
  );
  return {
    id: commentRecordId(repository, Number(comment.id)),
    entity: COMMENTS,
    version: String(comment.updated_at),
    modifiedAt: iso(comment.updated_at),
    data: {
      repository,
      issueNumber,
      issueId: issueId(repository, issueNumber),
      body: comment.body,
      author: login(comment.user),
      createdAt: iso(comment.created_at),
      updatedAt: iso(comment.updated_at),
      url: comment.html_url,
    },
  };
}

/** Only fields GitHub accepts on POST/PATCH /issues, with our names mapped to GitHub's. */
export function issueBody(data: Json): Json {
  const body: Json = {};
  for (const key of ['title', 'body', 'state', 'labels', 'assignees'] as const) if (key in data) body[key] = data[key];
  if ('stateReason' in data) body.state_reason = data.stateReason;
  return body;
}
