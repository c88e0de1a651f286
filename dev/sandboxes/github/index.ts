/**
 * The GitHub sandbox: REST issues and comments for seeded repositories, bearer tokens from the GitHub App user
 * token flow (8 h tokens, rotating refresh tokens, errors as HTTP 200 bodies), x-ratelimit-* headers with a
 * real hourly budget, ETag / If-None-Match → 304 (not counted), and signed webhooks for every change: to
 * options.webhookUrl when given, and to the repository webhooks created through the hooks API (hooks.ts).
 * Edge switches (`extra.renamedRepositories`, `extra.transferredIssues`) make old addresses answer 301.
 */
import { createHash } from 'node:crypto';
import { commentRecordId, issueId, parseRecordId } from '../../../shared/adapters/github/ids';
import { OAuthAuthority } from '../common/oauth';
import { Router } from '../common/router';
import { startSandboxServer, type SandboxBehaviour } from '../common/server';
import { TokenStore } from '../common/tokens';
import type { RunningSandbox, SandboxOptions, SandboxRecords, SandboxResponse } from '../common/types';
import { WebhookEmitter } from '../common/webhooks';
import { sentence, seededRandom } from '../common/seeded';
import { GithubRepoState, type RepoChange } from './repo-state';
import { githubGrantRoutes, githubOAuthRoutes } from './oauth-routes';
import { githubRoutes } from './routes';
import { githubWebhookSigner } from './webhook';
import { RepoHooks } from './hooks';
import { ghError } from './wire';

const LOGIN = 'sandbox-user';
const HOUR_MS = 3_600_000;

const HOOKS = new WeakMap<RunningSandbox, RepoHooks>();

/** The repository webhooks of a running GitHub sandbox, with their secrets (for tests of what an app registered). */
export function githubSandboxHooks(
  sandbox: RunningSandbox,
  repository: string,
): Array<{ id: number; url: string; events: string[]; secret?: string }> {
  return HOOKS.get(sandbox)?.registered(repository) ?? [];
}

export async function startGithubSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const extra = options.extra ?? {};
  const issueCount = options.records ?? 100_000;
  const commentCount = typeof extra.comments === 'number' ? extra.comments : issueCount;
  const seed = options.seed ?? 1;
  const hourlyLimit = typeof extra.rateLimitPerHour === 'number' ? extra.rateLimitPerHour : 5000;
  const repositories = Array.isArray(extra.repositories) ? (extra.repositories as string[]) : ['acme/widgets'];
  let baseUrl = '';

  const sender = { login: LOGIN, id: 583231, type: 'User' };
  const webhooks = new RepoHooks(
    options.webhookUrl
      ? new WebhookEmitter({ url: options.webhookUrl, sign: githubWebhookSigner(options.webhookSecret) })
      : undefined,
    sender,
  );
  const repos = new Map<string, GithubRepoState>();
  const repoJsons = new Map<string, () => Record<string, unknown>>();
  repositories.forEach((fullName, i) => {
    const [owner, name] = fullName.split('/') as [string, string];
    const shape = { owner, name, repoId: 1000 + i, seed, baseUrl: () => baseUrl };
    const repoJson = () => ({
      id: shape.repoId,
      name,
      full_name: fullName,
      owner: { login: owner },
      private: false,
      html_url: `https://github.com/${fullName}`,
    });
    repoJsons.set(fullName.toLowerCase(), repoJson);
    const onChange = (change: RepoChange) => {
      const { event, ...rest } = change;
      webhooks.deliverChange(fullName, event, { ...rest, repository: repoJson(), sender });
    };
    repos.set(fullName.toLowerCase(), new GithubRepoState(shape, issueCount, commentCount, onChange));
  });

  // Edge switches: old names of renamed repositories (old → current) and issues transferred at start
  // ({ from: "owner/repo#n", to: "owner/repo" }); both answer 301 the way GitHub does.
  const renamed = Object.fromEntries(
    Object.entries((extra.renamedRepositories ?? {}) as Record<string, string>).map(([old, current]) => [
      old.toLowerCase(),
      current,
    ]),
  );

  const tokens = new TokenStore({
    accessTokenTtlMs: options.accessTokenTtlMs ?? 8 * HOUR_MS,
    accessPrefix: 'ghu_',
    refreshPrefix: 'ghr_',
    rotateRefreshTokens: extra.rotateRefreshTokens !== false,
    revokeAccessOnRefresh: true,
  });
  const budgets = new Map<string, { resetAt: number; used: number }>();
  const budget = (subject: string) => {
    let entry = budgets.get(subject);
    if (!entry || entry.resetAt <= Date.now()) {
      entry = { resetAt: Date.now() + HOUR_MS, used: 0 };
      budgets.set(subject, entry);
    }
    return entry;
  };
  const rateHeaders = (subject: string): Record<string, string> => {
    const entry = budget(subject);
    return {
      'x-ratelimit-limit': String(hourlyLimit),
      'x-ratelimit-remaining': String(Math.max(0, hourlyLimit - entry.used)),
      'x-ratelimit-used': String(entry.used),
      'x-ratelimit-reset': String(Math.ceil(entry.resetAt / 1000)),
      'x-ratelimit-resource': 'core',
    };
  };

  const router = new Router();
  githubOAuthRoutes(router, new OAuthAuthority(tokens));
  githubGrantRoutes(router, tokens);
  webhooks.addRoutes(router, (owner, name) => {
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    const json = repoJsons.get(`${owner}/${name}`.toLowerCase());
    return repo && json ? { fullName: repo.fullName, json } : undefined;
  });
  githubRoutes(router, {
    login: LOGIN,
    repo: (owner, name) => repos.get(`${owner}/${name}`.toLowerCase()),
    repoById: (id) => [...repos.values()].find((repo) => repo.shape.repoId === id),
    renamedFrom: (owner, name) => {
      const current = renamed[`${owner}/${name}`.toLowerCase()];
      return current === undefined ? undefined : repos.get(current.toLowerCase());
    },
    rateLimitBody: (subject) => {
      const entry = budget(subject);
      const core = {
        limit: hourlyLimit,
        used: entry.used,
        remaining: Math.max(0, hourlyLimit - entry.used),
        reset: Math.ceil(entry.resetAt / 1000),
      };
      return { resources: { core }, rate: core };
    },
  });

  const behaviour: SandboxBehaviour = {
    provider: 'github',
    router,
    tokens,
    webhooks,
    records: githubRecords(repos, seed),
    unauthorized: () => ghError(401, 'Bad credentials'),
    notFound: () => ghError(404, 'Not Found'),
    invalidJson: () => ghError(400, 'Problems parsing JSON'),
    serverError: (status) => ({ status, json: { message: status === 503 ? 'Service Unavailable' : 'Server Error' } }),
    rateLimited: (fault) => {
      const seconds = fault.retryAfterSeconds ?? 60;
      if (fault.variant === 'primary') {
        // Primary budget spent: 403, remaining 0, wait until x-ratelimit-reset; no retry-after.
        return ghError(
          403,
          'API rate limit exceeded for user ID 583231.',
          {},
          {
            ...rateHeaders(LOGIN),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + seconds),
          },
        );
      }
      const status = fault.variant === 'secondary-403' ? 403 : 429;
      return ghError(
        status,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        {},
        { 'retry-after': String(seconds), ...rateHeaders(LOGIN) },
      );
    },
    beforeRoute: (ctx) => {
      if (ctx.route === 'GET /rate_limit') return undefined;
      const subject = ctx.subject ?? '';
      if (budget(subject).used < hourlyLimit) return undefined;
      return ghError(403, 'API rate limit exceeded for user ID 583231.', {}, rateHeaders(subject));
    },
    afterRoute: (ctx, response) =>
      withEtagAndBudget(
        ctx.method,
        ctx.route,
        ctx.headers['if-none-match'],
        response,
        () => budget(ctx.subject ?? '').used++,
        () => rateHeaders(ctx.subject ?? ''),
      ),
  };
  const running = await startSandboxServer(behaviour, options.port ?? 0);
  baseUrl = running.url;
  HOOKS.set(running, webhooks);
  // After start: the transferred copies carry URLs on the sandbox's address.
  for (const { from, to } of (Array.isArray(extra.transferredIssues) ? extra.transferredIssues : []) as {
    from: string;
    to: string;
  }[]) {
    const ref = parseRecordId(from);
    const source = ref?.kind === 'issue' ? repos.get(ref.repository.toLowerCase()) : undefined;
    const target = repos.get(to.toLowerCase());
    if (!ref || ref.kind !== 'issue' || !source || !target || !source.transferIssue(ref.number, target, LOGIN)) {
      await running.stop();
      throw new Error(`github sandbox: cannot transfer ${from} to ${to}`);
    }
  }
  return running;
}

/** Conditional GETs: a matching If-None-Match gets 304 and costs nothing; anything else costs one request. */
function withEtagAndBudget(
  method: string,
  route: string,
  ifNoneMatch: string | undefined,
  response: SandboxResponse,
  count: () => void,
  headers: () => Record<string, string>,
): SandboxResponse {
  const free = route === 'GET /rate_limit';
  if (method === 'GET' && response.status === 200 && response.json !== undefined) {
    const etag = `W/"${createHash('sha256').update(JSON.stringify(response.json)).digest('hex').slice(0, 32)}"`;
    if (
      ifNoneMatch &&
      ifNoneMatch
        .split(',')
        .map((value) => value.trim())
        .includes(etag)
    ) {
      return { status: 304, headers: { etag, ...headers() } };
    }
    if (!free) count();
    return { ...response, headers: { ...response.headers, etag, ...headers() } };
  }
  if (!free) count();
  return { ...response, headers: { ...response.headers, ...headers() } };
}

function githubRecords(repos: Map<string, GithubRepoState>, seed: number): SandboxRecords {
  const first = () => [...repos.values()][0]!;
  const repoOf = (repository: string) => repos.get(repository.toLowerCase());
  let made = 0;
  return {
    entities: () => ['issues', 'issue_comments'],
    count: (entity) =>
      [...repos.values()].reduce(
        (sum, repo) => sum + (entity === 'issues' ? repo.issues.count() : repo.comments.count()),
        0,
      ),
    get: (entity, id) => {
      const ref = parseRecordId(id);
      const repo = ref && repoOf(ref.repository);
      if (!ref || !repo) return undefined;
      if (entity === 'issues' && ref.kind === 'issue') return repo.getIssue(ref.number);
      if (entity === 'issue_comments' && ref.kind === 'comment') return repo.getComment(ref.commentId);
      return undefined;
    },
    create: (entity, fields) => {
      const random = seededRandom(seed, made++, 4242);
      const repo = fields?.repository ? (repoOf(String(fields.repository)) ?? first()) : first();
      if (entity === 'issue_comments') {
        const comment = repo.createComment(
          Number(fields?.issueNumber ?? 1),
          String(fields?.body ?? sentence(random, 4, 12)),
          LOGIN,
        );
        return { ...comment, recordId: comment ? commentRecordId(repo.fullName, comment.id) : undefined };
      }
      const issue = repo.createIssue(
        { title: String(fields?.title ?? sentence(random, 3, 7)), body: (fields?.body as string | undefined) ?? null },
        LOGIN,
      );
      return { ...issue, recordId: issueId(repo.fullName, issue.number) };
    },
    update: (entity, id, fields) => {
      const ref = parseRecordId(id);
      const repo = ref && repoOf(ref.repository);
      if (!ref || !repo) return undefined;
      const stamp = `edited ${new Date().toISOString()}`;
      if (entity === 'issues' && ref.kind === 'issue') return repo.updateIssue(ref.number, fields ?? { body: stamp });
      if (entity === 'issue_comments' && ref.kind === 'comment')
        return repo.updateComment(ref.commentId, String(fields?.body ?? stamp));
      return undefined;
    },
    remove: (entity, id) => {
      const ref = parseRecordId(id);
      const repo = ref && repoOf(ref.repository);
      if (!ref || !repo) return false;
      if (entity === 'issues' && ref.kind === 'issue') return repo.deleteIssue(ref.number);
      if (entity === 'issue_comments' && ref.kind === 'comment') return repo.deleteComment(ref.commentId);
      return false;
    },
  };
}
