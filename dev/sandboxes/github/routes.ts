/**
 * The GitHub REST routes the adapter uses: issues and issue comments of a repository, user and rate-limit
 * lookups. Paths, parameters, status codes and bodies follow docs.github.com/rest.
 */
import { Router, fail } from '../common/router';
import type { RequestContext } from '../common/router';
import type { SandboxResponse } from '../common/types';
import type { GithubIssue } from './data';
import type { GithubRepoState } from './repo-state';
import { ghError, listPage, sinceMs, sinceNotIso8601, sortedAs, validationFailed } from './wire';

export interface GithubRoutesDeps {
  repo(owner: string, name: string): GithubRepoState | undefined;
  /** GitHub's id-based address (`/repositories/{id}`), where its redirects point. */
  repoById(id: number): GithubRepoState | undefined;
  /** The repository an old (renamed) name now belongs to; its address answers 301. */
  renamedFrom(owner: string, name: string): GithubRepoState | undefined;
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
  if (creating && (typeof input.title !== 'string' || input.title.trim() === ''))
    return validationFailed('Issue', 'title', 'missing_field');
  if (!creating && 'title' in input && (typeof input.title !== 'string' || input.title.trim() === ''))
    return validationFailed('Issue', 'title', 'invalid');
  if ('body' in input && input.body !== null && typeof input.body !== 'string')
    return validationFailed('Issue', 'body', 'invalid');
  if ('labels' in input && !isStringList(input.labels)) return validationFailed('Issue', 'labels', 'invalid');
  if ('assignees' in input && !isStringList(input.assignees)) return validationFailed('Issue', 'assignees', 'invalid');
  if ('state' in input && input.state !== 'open' && input.state !== 'closed')
    return validationFailed('Issue', 'state', 'invalid');
  if (
    'state_reason' in input &&
    ![null, 'completed', 'not_planned', 'reopened'].includes(input.state_reason as string | null)
  )
    return validationFailed('Issue', 'state_reason', 'invalid');
  return undefined;
}

/** GitHub's answer for a renamed repository or a transferred issue: 301, Location and the same URL in the body. */
export function movedPermanently(ctx: RequestContext, repoId: number, rest: string): SandboxResponse {
  const url = new URL(`/repositories/${repoId}${rest}`, ctx.baseUrl);
  ctx.query.forEach((value, key) => url.searchParams.set(key, value));
  return {
    status: 301,
    json: {
      message: 'Moved Permanently',
      url: url.toString(),
      documentation_url: 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects',
    },
    headers: { location: url.toString() },
  };
}

export function githubRoutes(router: Router, deps: GithubRoutesDeps): void {
  router.add('GET', '/user', () => ({
    status: 200,
    json: {
      login: deps.login,
      id: 583231,
      node_id: 'MDQ6VXNlcjU4MzIzMQ==',
      type: 'User',
      name: 'Sandbox User',
      site_admin: false,
    },
  }));
  router.add('GET', '/rate_limit', (ctx) => ({ status: 200, json: deps.rateLimitBody(ctx.subject ?? '') }));
  // Every repository route answers under the name and under the id; a renamed name answers 301 to the id form.
  for (const prefix of ['/repos/:owner/:repo', '/repositories/:repoId']) repoRoutes(router, deps, prefix);
}

function repoRoutes(router: Router, deps: GithubRoutesDeps, prefix: string): void {
  const repoOf = (ctx: RequestContext): GithubRepoState => {
    if (ctx.params.repoId !== undefined) return deps.repoById(Number(ctx.params.repoId)) ?? fail(NOT_FOUND());
    const current = deps.repo(ctx.params.owner!, ctx.params.repo!);
    if (current) return current;
    const renamed = deps.renamedFrom(ctx.params.owner!, ctx.params.repo!);
    return fail(
      renamed
        ? movedPermanently(
            ctx,
            renamed.shape.repoId,
            ctx.path
              .split('/')
              .slice(4)
              .map((part) => (part ? `/${part}` : ''))
              .join(''),
          )
        : NOT_FOUND(),
    );
  };
  const numberOf = (value: string | undefined): number =>
    /^\d+$/.test(value ?? '') ? Number(value) : fail(NOT_FOUND());
  const add = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    handler: (ctx: RequestContext) => SandboxResponse,
  ) => router.add(method, prefix + path, handler);

  add('GET', '', (ctx) => {
    const repo = repoOf(ctx);
    return {
      status: 200,
      json: {
        id: repo.shape.repoId,
        name: repo.shape.name,
        full_name: repo.fullName,
        owner: { login: repo.shape.owner, type: 'Organization' },
        url: `${ctx.baseUrl}/repos/${repo.fullName}`,
        html_url: `https://github.com/${repo.fullName}`,
        private: false,
        has_issues: true,
        open_issues_count: repo.issues.count(),
      },
    };
  });

  // Comment routes first: "/issues/comments" must not be read as issue number "comments".
  add('GET', '/issues/comments', (ctx) => {
    const repo = repoOf(ctx);
    const since = sinceMs(ctx);
    if (since === null) return sinceNotIso8601();
    // Oldest first unless direction=desc, which GitHub ignores without a sort.
    const sort = ctx.query.get('sort');
    const descending = sort !== null && ctx.query.get('direction') === 'desc';
    return listPage(ctx, sortedAs(repo.comments.since(since ?? 0), sort), { descending });
  });
  add('GET', '/issues/comments/:id', (ctx) => ({
    status: 200,
    json: repoOf(ctx).getComment(numberOf(ctx.params.id)) ?? fail(NOT_FOUND()),
  }));
  add('PATCH', '/issues/comments/:id', (ctx) => {
    const repo = repoOf(ctx);
    const input = body(ctx);
    if (typeof input.body !== 'string' || input.body === '')
      return validationFailed('IssueComment', 'body', 'missing_field');
    return { status: 200, json: repo.updateComment(numberOf(ctx.params.id), input.body) ?? fail(NOT_FOUND()) };
  });
  add('DELETE', '/issues/comments/:id', (ctx) =>
    repoOf(ctx).deleteComment(numberOf(ctx.params.id)) ? { status: 204 } : NOT_FOUND(),
  );
  add('POST', '/issues/:number/comments', (ctx) => {
    const repo = repoOf(ctx);
    const input = body(ctx);
    if (typeof input.body !== 'string' || input.body === '')
      return validationFailed('IssueComment', 'body', 'missing_field');
    const comment = repo.createComment(numberOf(ctx.params.number), input.body, ctx.subject ? deps.login : 'ghost');
    return comment ? { status: 201, json: comment, headers: { location: String(comment.url) } } : NOT_FOUND();
  });

  add('GET', '/issues', (ctx) => {
    const repo = repoOf(ctx);
    const since = sinceMs(ctx);
    if (since === null) return sinceNotIso8601();
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return validationFailed('Issue', 'state', 'invalid');
    // Newest created first by default, as on GitHub; `since` filters on updated_at whatever the sort.
    const keep = state === 'all' ? undefined : (issue: GithubIssue) => issue.state === state;
    const view = sortedAs(repo.issues.since(since ?? 0), ctx.query.get('sort'));
    return listPage(ctx, view, { descending: ctx.query.get('direction') !== 'asc', keep });
  });
  add('GET', '/issues/:number', (ctx) => {
    const repo = repoOf(ctx);
    const number = numberOf(ctx.params.number);
    const issue = repo.getIssue(number);
    if (issue) return { status: 200, json: issue };
    const transferred = repo.transferredIssues.get(number);
    if (transferred) return movedPermanently(ctx, transferred.repoId, `/issues/${transferred.number}`);
    return repo.deletedIssues.has(number) ? ghError(410, 'This issue was deleted') : NOT_FOUND();
  });
  add('POST', '/issues', (ctx) => {
    const repo = repoOf(ctx);
    const input = body(ctx);
    const invalid = invalidIssueFields(input, true);
    if (invalid) return invalid;
    const issue = repo.createIssue(input as { title: string }, deps.login);
    return { status: 201, json: issue, headers: { location: String(issue.url) } };
  });
  add('PATCH', '/issues/:number', (ctx) => {
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
