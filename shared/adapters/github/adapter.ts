/**
 * The GitHub adapter: issues and issue comments of the configured repositories over the REST API.
 * Reads use since + sort=updated asc with keyset paging (see cursor.ts) and skip pull requests (the issues endpoint returns
 * them too). GitHub cannot delete issues through the API, so a pushed delete closes the issue as not_planned.
 */
import { AppError, toAppError } from '../../core/app-error';
import type {
  AccountIdentity,
  AdapterContext,
  Catalog,
  FetchByIdsRequest,
  FetchByIdsResult,
  FetchChangesRequest,
  FetchPage,
  HealthReport,
  ProviderAdapter,
  ProviderRecord,
  PushOperation,
  PushOutcome,
  PushRequest,
} from '../contract';
import { createProviderHttpClient, type ProviderHttpClient } from '../http/provider-request';
import { decodeCursor, encodeCursor, hasNextLink, pageQuery, takePage, type PagePosition } from './cursor';
import { commentRecordId, isRepositoryName, parseRecordId } from './ids';
import { COMMENTS, commentRecord, GITHUB_CATALOG, ISSUES, issueBody, issueRecord } from './mapping';
import { GITHUB, githubProfile } from './profile';
import { pushUntilStopped } from '../batch';
import { readFollowingMoves } from './redirects';
import type { ProviderRequest } from '../http/types';

type Json = Record<string, unknown>;

/** Errors after which the rest of a push batch would fail the same way: stop sending. */
const FETCH_CONCURRENCY = 4;

export class GithubAdapter implements ProviderAdapter {
  readonly provider = 'github' as const;
  private readonly http: ProviderHttpClient;
  private readonly repositories: string[];
  private readonly baseUrl: string;

  constructor(context: AdapterContext) {
    this.http = createProviderHttpClient(context, githubProfile);
    this.baseUrl = context.baseUrl;
    const configured = context.options.repositories;
    if (
      !Array.isArray(configured) ||
      configured.length === 0 ||
      !configured.every((repo) => typeof repo === 'string' && isRepositoryName(repo))
    ) {
      throw new AppError('configuration', 'GitHub options.repositories must be a non-empty list of "owner/repo"', {
        target: 'options.repositories',
      });
    }
    this.repositories = configured as string[];
  }

  async connect(signal?: AbortSignal): Promise<AccountIdentity> {
    const { body } = await this.http.request<Json>({ operation: 'users.getAuthenticated', path: '/user', signal });
    return {
      accountId: String(body.id),
      displayName: String(body.login),
      details: { login: body.login, type: body.type },
    };
  }

  async disconnect(): Promise<void> {
    // Revoking a user token needs the app's client secret (DELETE /applications/{id}/token): credentials do that.
  }

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const started = Date.now();
    try {
      const { body, rateLimit } = await this.http.request<Json>({
        operation: 'rate_limit.get',
        path: '/rate_limit',
        signal,
      });
      const core = ((body.resources as Json | undefined)?.core ?? {}) as Json;
      const fromBody = {
        provider: 'github',
        resource: 'core',
        limit: Number(core.limit),
        remaining: Number(core.remaining),
        resetAt: Number(core.reset) * 1000,
        observedAt: Date.now(),
      };
      return { ok: true, latencyMs: Date.now() - started, rateLimit: rateLimit ?? fromBody };
    } catch (error) {
      return { ok: false, latencyMs: Date.now() - started, message: toAppError(error).message };
    }
  }

  async discover(signal?: AbortSignal): Promise<Catalog> {
    // Fails with not_found naming the repository when one is missing or not visible to the token.
    for (const repository of this.repositories)
      await this.read({ operation: 'repos.get', path: `/repos/${repository}`, signal });
    return GITHUB_CATALOG;
  }

  async fetchChanges(request: FetchChangesRequest): Promise<FetchPage> {
    const entity = this.entityOf(request.entity);
    const state = decodeCursor(request.cursor);
    // A backfill: every repository's read starts at the date (GitHub's `since` is inclusive).
    if (!request.cursor && request.since)
      for (const repository of this.repositories) state.since[repository] = githubTime(request.since);
    if (state.repo >= this.repositories.length) state.repo = 0;
    const repository = this.repositories[state.repo]!;
    const runStart = state.at === undefined;
    const position: PagePosition = state.at ?? {
      since: state.since[repository],
      atInstant: 0,
      skip: [],
      ...state.boundary?.[repository],
    };
    const etag = runStart ? state.etags[repository] : undefined;
    const query = pageQuery(position, request.pageSize, GITHUB.maxPerPage);
    // A renamed repository answers 301: the page is read at the new address, ids keep the configured name.
    const response = await this.read<Json[]>({
      operation: entity === ISSUES ? 'issues.list' : 'issue_comments.list',
      path: entity === ISSUES ? `/repos/${repository}/issues` : `/repos/${repository}/issues/comments`,
      query: {
        state: entity === ISSUES ? 'all' : undefined,
        sort: 'updated',
        direction: 'asc',
        since: query.since,
        per_page: query.perPage,
        page: query.page,
      },
      headers: etag ? { 'if-none-match': etag } : undefined,
      acceptStatuses: [304],
      signal: request.signal,
    });
    const records: ProviderRecord[] = [];
    let next = position;
    let more = false;
    if (response.status !== 304) {
      if (!Array.isArray(response.body))
        throw new AppError('transient', 'GitHub list answer is not an array', { target: 'issues.list' });
      const keyed = response.body.map((item) => ({ item, id: String(item.id), updatedAt: String(item.updated_at) }));
      const page = takePage(position, keyed, request.pageSize, hasNextLink(response.headers.get('link')), query.offset);
      for (const { item } of page.deliver) {
        if (entity === ISSUES && item.pull_request) continue; // pull requests are not issues here
        records.push(entity === ISSUES ? issueRecord(repository, item) : commentRecord(repository, item));
      }
      next = page.next;
      more = page.more;
      // Only a one-page answer may be revalidated: with more pages, page 1 can stay the same while later ones change.
      const newEtag = response.headers.get('etag');
      if (runStart && !more && newEtag) state.etags[repository] = newEtag;
      else if (runStart) delete state.etags[repository];
    }
    if (more) return { records, nextCursor: encodeCursor({ ...state, at: next }), done: false };
    if (next.since) {
      state.since[repository] = next.since;
      // The next run reads the boundary second again instead of skipping what it saw there: GitHub's
      // updated_at has one-second precision, so a record changed again within that second would otherwise be
      // missed. The records read twice are unchanged, and the engine skips them by content hash.
      if (state.boundary) delete state.boundary[repository];
    }
    if (state.repo + 1 < this.repositories.length)
      return { records, nextCursor: encodeCursor({ ...state, repo: state.repo + 1, at: undefined }), done: false };
    return {
      records,
      nextCursor: encodeCursor({ v: 2, since: state.since, boundary: state.boundary, repo: 0, etags: state.etags }),
      done: true,
    };
  }

  async fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult> {
    const entity = this.entityOf(request.entity);
    const found = new Map<string, ProviderRecord>();
    const missing = new Set<string>();
    const queue = [...new Set(request.ids)];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const record = await this.fetchOne(entity, id, request.signal);
        if (record) found.set(id, record);
        // A transferred issue is gone from its old id (like 404/410); under its new id when that repository is synced here.
        if (!record || record.id !== id) missing.add(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, worker));
    const records = new Map(request.ids.filter((id) => found.has(id)).map((id) => [found.get(id)!.id, found.get(id)!]));
    return { records: [...records.values()], missingIds: request.ids.filter((id) => missing.has(id)) };
  }

  async push(request: PushRequest): Promise<PushOutcome[]> {
    const entity = this.entityOf(request.entity);
    return pushUntilStopped(request.operations, (operation) =>
      entity === ISSUES ? this.pushIssue(operation, request.signal) : this.pushComment(operation, request.signal),
    );
  }

  private async fetchOne(entity: string, id: string, signal?: AbortSignal): Promise<ProviderRecord | undefined> {
    const ref = parseRecordId(id);
    if (!ref || !this.repositories.includes(ref.repository)) return undefined;
    try {
      if (entity === ISSUES && ref.kind === 'issue') {
        const { body, moved } = await this.read<Json>({
          operation: 'issues.get',
          path: `/repos/${ref.repository}/issues/${ref.number}`,
          signal,
        });
        if (body.pull_request) return undefined;
        const repository = moved ? await this.movedIssueRepository(ref.repository, body, signal) : ref.repository;
        return repository === undefined ? undefined : issueRecord(repository, body);
      }
      if (entity === COMMENTS && ref.kind === 'comment') {
        const { body } = await this.read<Json>({
          operation: 'issue_comments.get',
          path: `/repos/${ref.repository}/issues/comments/${ref.commentId}`,
          signal,
        });
        return commentRecord(ref.repository, body);
      }
      return undefined;
    } catch (error) {
      if (toAppError(error).code === 'not_found') return undefined; // 404, or 410 Gone for a deleted issue
      throw error;
    }
  }

  private async pushIssue(operation: PushOperation, signal?: AbortSignal): Promise<ProviderRecord> {
    if (operation.kind === 'create') {
      const repository = this.repositoryFor(operation.data.repository);
      const { body } = await this.http.request<Json>({
        operation: 'issues.create',
        method: 'POST',
        path: `/repos/${repository}/issues`,
        json: issueBody(operation.data),
        signal,
      });
      return issueRecord(repository, body);
    }
    const ref = parseRecordId(operation.id);
    if (!ref || ref.kind !== 'issue')
      throw new AppError('not_found', `not a GitHub issue id: ${operation.id}`, { target: 'id' });
    if (operation.expectedVersion !== undefined)
      await this.checkVersion(`/repos/${ref.repository}/issues/${ref.number}`, operation.expectedVersion, signal);
    // GitHub has no issue deletion in its API: "delete" closes the issue as not planned.
    const json =
      operation.kind === 'delete' ? { state: 'closed', state_reason: 'not_planned' } : issueBody(operation.data);
    const { body } = await this.http.request<Json>({
      operation: 'issues.update',
      method: 'PATCH',
      path: `/repos/${ref.repository}/issues/${ref.number}`,
      json,
      signal,
    });
    return issueRecord(ref.repository, body);
  }

  private async pushComment(operation: PushOperation, signal?: AbortSignal): Promise<ProviderRecord> {
    if (operation.kind === 'create') {
      const repository = this.repositoryFor(operation.data.repository);
      const issueNumber = Number(operation.data.issueNumber);
      if (!Number.isSafeInteger(issueNumber) || issueNumber <= 0)
        throw new AppError('validation', 'issue comment needs data.issueNumber', { target: 'issueNumber' });
      const path = `/repos/${repository}/issues/${issueNumber}/comments`;
      const { body } = await this.http.request<Json>({
        operation: 'issue_comments.create',
        method: 'POST',
        path,
        json: { body: operation.data.body },
        signal,
      });
      return commentRecord(repository, body);
    }
    const ref = parseRecordId(operation.id);
    if (!ref || ref.kind !== 'comment')
      throw new AppError('not_found', `not a GitHub comment id: ${operation.id}`, { target: 'id' });
    const path = `/repos/${ref.repository}/issues/comments/${ref.commentId}`;
    if (operation.expectedVersion !== undefined) await this.checkVersion(path, operation.expectedVersion, signal);
    if (operation.kind === 'delete') {
      await this.http.request({ operation: 'issue_comments.delete', method: 'DELETE', path, signal });
      return { id: commentRecordId(ref.repository, ref.commentId), entity: COMMENTS, deleted: true, data: {} };
    }
    const { body } = await this.http.request<Json>({
      operation: 'issue_comments.update',
      method: 'PATCH',
      path,
      json: { body: operation.data.body },
      signal,
    });
    return commentRecord(ref.repository, body);
  }

  /** Sends a read, following GitHub's 301 for renamed repositories and transferred issues (see redirects.ts). */
  private read<T>(request: ProviderRequest) {
    return readFollowingMoves<T>(this.http, this.baseUrl, request);
  }

  /**
   * Where a redirected issue lives now: the configured name when only the repository was renamed (same repository
   * id), the configured repository it was transferred to, or undefined when it left the repositories synced here.
   */
  private async movedIssueRepository(
    configured: string,
    issue: Json,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const [{ body: now }, { body: was }] = await Promise.all([
      this.read<Json>({ operation: 'repos.get', path: String(issue.repository_url), signal }),
      this.read<Json>({ operation: 'repos.get', path: `/repos/${configured}`, signal }),
    ]);
    if (now.id === was.id) return configured;
    const fullName = String(now.full_name).toLowerCase();
    return this.repositories.find((repository) => repository.toLowerCase() === fullName);
  }

  /** GitHub has no If-Match on issue writes: compare updated_at first (narrows, cannot close, the race). */
  private async checkVersion(path: string, expected: string, signal?: AbortSignal): Promise<void> {
    const { body } = await this.read<Json>({ operation: 'version.check', path, signal });
    if (String(body.updated_at) !== expected) {
      throw new AppError('conflict', `record changed on GitHub since version ${expected}`, {
        target: path,
        details: { currentVersion: body.updated_at },
      });
    }
  }

  private repositoryFor(value: unknown): string {
    if (value === undefined) return this.repositories[0]!;
    if (typeof value === 'string' && this.repositories.includes(value)) return value;
    throw new AppError('validation', `repository ${String(value)} is not configured for this integration`, {
      target: 'repository',
    });
  }

  private entityOf(entity: string): typeof ISSUES | typeof COMMENTS {
    if (entity === ISSUES || entity === COMMENTS) return entity;
    throw new AppError('validation', `GitHub has no entity "${entity}" (have: ${ISSUES}, ${COMMENTS})`, {
      target: 'entity',
    });
  }
}

/** GitHub's `since` form: ISO-8601 in UTC without milliseconds. */
function githubTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
