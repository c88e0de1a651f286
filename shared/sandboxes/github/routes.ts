/**
 * The GitHub REST routes the adapter uses: issues and issue comments of a repository, user and rate-limit
 * lookups. Paths, parameters, status codes and bodies follow docs.github.com/rest.
 */
import { Router, fail } from '../common/router';
import type { RequestContext } from '../common/router';
import type { SandboxResponse } from '../common/types';
import type { GithubIssue } from './data';
import type { GithubRepoState } from './repo-state';
import { ghError, listPage, sinceMs, validationFailed } from './wire';

export interface GithubRoutesDeps {
  repo(owner: string, name: string): GithubRepoState | undefined;
  rateLimitBody(subject: string): Record<string, unknown>;
  login: string;
}

const NOT_FOUND = () => ghError(404, 'Not Found');

function body(ctx: RequestContext): Record<string, unknown> {
  const value = ctx.json();
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(ghError(400, 'Problems parsing JSON'));
  return value as Record<string, unknown>;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Checks an issue create/update body the way GitHub's validation does; returns a 422 or undefined. */
function invalidIssueFields(input: Record<string, unknown>, creating: boolean): SandboxResponse | undefined {
  if (creating && (typeof input.title !== 'string' || input.title.trim() === '')) return validationFailed('Issue', 'title', 'missing_field');
  if (!creating && 'title' in input && (typeof input.title !== 'string' || input.title.trim() === '')) return validationFailed('Issue', 'title', 'invalid');
  if ('body' in input && input.body !== null && typeof input.body !== 'string') return validationFailed('Issue', 'body', 'invalid');
  if ('labels' in input && !isStringList(input.labels)) return validationFailed('Issue', 'labels', 'invalid');
  if ('assignees' in input && !isStringList(input.assignees)) return validationFailed('Issue', 'assignees', 'invalid');
  if ('state' in input && input.state !== 'open' && input.state !== 'closed') return validationFailed('Issue', 'state', 'invalid');
  if ('state_reason' in input && ![null, 'completed', 'not_planned', 'reopened'].includes(input.state_reason as string | null)) return validationFailed('Issue', 'state_reason', 'invalid');
  return undefined;
}

export function githubRoutes(router: Router, deps: GithubRoutesDeps): void {
  const repoOf = (ctx: RequestContext): GithubRepoState => deps.repo(ctx.params.owner!, ctx.params.repo!) ?? fail(NOT_FOUND());
  const numberOf = (value: string | undefined): number => (/^\d+$/.test(value ?? '') ? Number(value) : fail(NOT_FOUND()));

  router.add('GET', '/user', () => ({ status: 200, json: { login: deps.login, id: 583231, node_id: 'MDQ6VXNlcjU4MzIzMQ==', type: 'User', name: 'Sandbox User', site_admin: false } }));
  router.add('GET', '/rate_limit', (ctx) => ({ status: 200, json: deps.rateLimitBody(ctx.subject ?? '') }));
  router.add('GET', '/repos/:owner/:repo', (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: { id: repo.shape.repoId, name: repo.shape.name, full_name: repo.fullName, private: false, has_issues: true, open_issues_count: repo.issues.count() } };
  });

  // Comment routes first: "/issues/comments" must not be read as issue number "comments".
  router.add('GET', '/repos/:owner/:repo/issues/comments', (ctx) => {
    const repo = repoOf(ctx);
    const since = sinceMs(ctx);
    if (since === null) return validationFailed('IssueComment', 'since', 'invalid');
    // Sandbox simplification: every sort orders by updated_at (what `since` readers ask for).
    return listPage(ctx, repo.comments.since(since ?? 0), { descending: ctx.query.get('direction') === 'desc' });
  });
  router.add('GET', '/repos/:owner/:repo/issues/comments/:id', (ctx) => ({ status: 200, json: repoOf(ctx).getComment(numberOf(ctx.params.id)) ?? fail(NOT_FOUND()) }));
  router.add('PATCH', '/repos/:owner/:repo/issues/comments/:id', (ctx) => {
    const repo = repoOf(ctx);
    const input = body(ctx);
    if (typeof input.body !== 'string' || input.body === '') return validationFailed('IssueComment', 'body', 'missing_field');
    return { status: 200, json: repo.updateComment(numberOf(ctx.params.id), input.body) ?? fail(NOT_FOUND()) };
  });
  router.add('DELETE', '/repos/:owner/:repo/issues/comments/:id', (ctx) => (repoOf(ctx).deleteComment(numberOf(ctx.params.id)) ? { status: 204 } : NOT_FOUND()));
  router.add('POST', '/repos/:owner/:repo/issues/:number/comments', (ctx) => {
    const repo = repoOf(ctx);
    const input = body(ctx);
    if (typeof input.body !== 'string' || input.body === '') return validationFailed('IssueComment', 'body', 'missing_field');
    const comment = repo.createComment(numberOf(ctx.params.number), input.body, ctx.subject ? deps.login : 'ghost');
    return comment ? { status: 201, json: comment, headers: { location: String(comment.url) } } : NOT_FOUND();
  });

  router.add('GET', '/repos/:owner/:repo/issues', (ctx) => {
    const repo = repoOf(ctx);
    const since = sinceMs(ctx);
    if (since === null) return validationFailed('Issue', 'since', 'invalid');
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return validationFailed('Issue', 'state', 'invalid');
    // Sandbox simplification: every sort orders by updated_at; direction defaults to desc as on GitHub.
    const keep = state === 'all' ? undefined : (issue: GithubIssue) => issue.state === state;
    return listPage(ctx, repo.issues.since(since ?? 0), { descending: ctx.query.get('direction') !== 'asc', keep });
  });
  router.add('GET', '/repos/:owner/:repo/issues/:number', (ctx) => {
    const repo = repoOf(ctx);
    const number = numberOf(ctx.params.number);
    const issue = repo.getIssue(number);
    if (issue) return { status: 200, json: issue };
    return repo.deletedIssues.has(number) ? ghError(410, 'This issue was deleted') : NOT_FOUND();
  });
  router.add('POST', '/repos/:owner/:repo/issues', (ctx) => {
    const repo = repoOf(ctx);
    const input = body(ctx);
    const invalid = invalidIssueFields(input, true);
    if (invalid) return invalid;
    const issue = repo.createIssue(input as { title: string }, deps.login);
    return { status: 201, json: issue, headers: { location: String(issue.url) } };
  });
  router.add('PATCH', '/repos/:owner/:repo/issues/:number', (ctx) => {
    const repo = repoOf(ctx);
    const number = numberOf(ctx.params.number);
    const input = body(ctx);
    const invalid = invalidIssueFields(input, false);
    if (invalid) return invalid;
    const issue = repo.updateIssue(number, input);
    if (issue) return { status: 200, json: issue };
    return repo.deletedIssues.has(number) ? ghError(410, 'This issue was deleted') : NOT_FOUND();
  });
}
