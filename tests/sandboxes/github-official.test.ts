/**
 * The official GitHub client judges the GitHub sandbox: @octokit/rest (octokit.paginate follows the Link header to
 * the end; RequestError carries status and headers as GitHub sends them). Covered here: the lists the adapter
 * reads with its incremental filters (state=all, sort=updated, direction=asc, since), reads by id, the writes it
 * makes, rate limits and conditional requests. github-official-moves.test.ts: 301 moves and the token refresh;
 * github-official-webhooks.test.ts: signed deliveries and the hooks API.
 */
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { failure, octokit, REPO, type Json, type OctokitClient } from './support/octokit';

const ISSUES = 250;
const COMMENTS = 130;

/** The seeded truth: every issue of acme/widgets as the sandbox holds it (pull requests included, as GitHub lists them). */
function seededIssues(sandbox: RunningSandbox, count = ISSUES): Json[] {
  return Array.from({ length: count }, (_, i) => sandbox.control.records.get('issues', `acme/widgets#${i + 1}`)!);
}

describe('GitHub sandbox judged by @octokit/rest', () => {
  let sandbox: RunningSandbox;
  let client: OctokitClient;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ records: ISSUES, extra: { comments: COMMENTS } });
    client = octokit(sandbox);
  });
  afterAll(() => sandbox.stop());

  describe('lists through octokit.paginate (Link rel="next")', () => {
    it('lists every seeded issue with state=all, page after page, each once', async () => {
      let pages = 0;
      const numbers: number[] = [];
      for await (const page of client.paginate.iterator(client.rest.issues.listForRepo, {
        ...REPO,
        state: 'all',
        per_page: 100,
      })) {
        pages += 1;
        numbers.push(...page.data.map((issue) => issue.number));
      }
      expect(pages).toBe(Math.ceil(ISSUES / 100));
      expect(numbers).toHaveLength(ISSUES);
      expect(new Set(numbers).size).toBe(ISSUES);
      // The issues endpoint mixes pull requests in, marked by a pull_request object.
      const pulls = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'all', per_page: 100 });
      expect(pulls.filter((issue) => issue.pull_request).length).toBe(
        seededIssues(sandbox).filter((issue) => issue.pull_request).length,
      );
    });

    it('answers state as GitHub does: open by default, closed, all', async () => {
      const truth = seededIssues(sandbox);
      const open = await client.paginate(client.rest.issues.listForRepo, { ...REPO, per_page: 100 });
      const closed = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'closed', per_page: 100 });
      expect(open.length).toBe(truth.filter((issue) => issue.state === 'open').length);
      expect(closed.length).toBe(truth.filter((issue) => issue.state === 'closed').length);
      expect(open.every((issue) => issue.state === 'open')).toBe(true);
      expect(closed.every((issue) => issue.state === 'closed')).toBe(true);
      expect(open.length + closed.length).toBe(ISSUES);
    });

    it('answers the incremental read the adapter sends (state=all, sort=updated, direction=asc, since)', async () => {
      const truth = seededIssues(sandbox);
      const since = String(truth[180]!.updated_at);
      const changed = await client.paginate(client.rest.issues.listForRepo, {
        ...REPO,
        state: 'all',
        sort: 'updated',
        direction: 'asc',
        since,
        per_page: 30,
      });
      // `since` keeps issues updated at or after the instant (the adapter's keyset paging relies on that).
      const expected = truth.filter((issue) => Date.parse(String(issue.updated_at)) >= Date.parse(since));
      expect(changed.map((issue) => issue.number).sort((a, b) => a - b)).toEqual(
        expected.map((issue) => Number(issue.number)).sort((a, b) => a - b),
      );
      const times = changed.map((issue) => Date.parse(issue.updated_at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // direction=desc (GitHub's default) reverses the order.
      const newestFirst = await client.rest.issues.listForRepo({ ...REPO, state: 'all', sort: 'updated', per_page: 5 });
      expect(newestFirst.data[0]!.number).toBe(ISSUES);
      // A malformed since is a 422 with GitHub's own message (no `errors` list).
      const malformed = await failure(client.rest.issues.listForRepo({ ...REPO, since: 'yesterday' }));
      expect(malformed.status).toBe(422);
      expect(malformed.response!.data).toEqual(
        expect.objectContaining({
          message: 'The since parameter needs to be in ISO 8601 format: YYYY-MM-DDTHH:MM:SSZ',
        }),
      );
      expect(malformed.response!.data).not.toHaveProperty('errors');
    });

    it('orders as GitHub does without sort=updated: issues newest created first, comments oldest created first', async () => {
      const created = (items: Array<{ created_at: string }>) => items.map((item) => Date.parse(item.created_at));
      const issues = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'all', per_page: 100 });
      expect(issues).toHaveLength(ISSUES);
      expect(created(issues)).toEqual([...created(issues)].sort((a, b) => b - a));
      const oldestFirst = await client.paginate(client.rest.issues.listForRepo, {
        ...REPO,
        state: 'all',
        sort: 'created',
        direction: 'asc',
        per_page: 100,
      });
      expect(oldestFirst.map((issue) => issue.number)).toEqual(issues.map((issue) => issue.number).reverse());
      const comments = await client.paginate(client.rest.issues.listCommentsForRepo, { ...REPO, per_page: 100 });
      expect(comments).toHaveLength(COMMENTS);
      expect(created(comments)).toEqual([...created(comments)].sort((a, b) => a - b));
      // Seeded creation times are not in update order, so these checks would catch a list sorted by updated_at.
      expect(created(comments)).not.toEqual(
        created([...comments].sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at))),
      );
    });

    it('lists every seeded issue comment of the repository, and the ones changed since an instant', async () => {
      const all = await client.paginate(client.rest.issues.listCommentsForRepo, {
        ...REPO,
        sort: 'updated',
        direction: 'asc',
        per_page: 50,
      });
      expect(all).toHaveLength(COMMENTS);
      expect(new Set(all.map((comment) => comment.id)).size).toBe(COMMENTS);
      const since = all[100]!.updated_at;
      const changed = await client.paginate(client.rest.issues.listCommentsForRepo, {
        ...REPO,
        sort: 'updated',
        direction: 'asc',
        since,
        per_page: 7,
      });
      expect(changed.map((comment) => comment.id)).toEqual(all.slice(100).map((comment) => comment.id));
    });
  });

  describe('reads by id', () => {
    it("gets an issue and a comment by id as listed; 404 with GitHub's body for an unknown one", async () => {
      const issue = await client.rest.issues.get({ ...REPO, issue_number: 7 });
      expect(issue.status).toBe(200);
      expect(issue.data).toEqual(sandbox.control.records.get('issues', 'acme/widgets#7'));
      const [comment] = (await client.rest.issues.listCommentsForRepo({ ...REPO, per_page: 1 })).data;
      const byId = await client.rest.issues.getComment({ ...REPO, comment_id: comment!.id });
      expect(byId.data.body).toBe(comment!.body);
      const missing = await failure(client.rest.issues.get({ ...REPO, issue_number: 99_999 }));
      expect(missing.status).toBe(404);
      expect(missing.response!.data).toMatchObject({ message: 'Not Found' });
      expect(missing.message).toContain('Not Found');
    });
  });

  describe('writes the adapter makes', () => {
    it('creates, edits and closes as not planned an issue; refuses one without a title with 422 missing_field', async () => {
      const created = await client.rest.issues.create({
        ...REPO,
        title: 'Made by Octokit',
        body: 'b',
        labels: ['bug'],
      });
      expect(created.status).toBe(201);
      expect(created.data).toMatchObject({ number: ISSUES + 1, state: 'open', title: 'Made by Octokit' });
      expect(created.data.labels.map((label) => (typeof label === 'string' ? label : label.name))).toEqual(['bug']);
      expect(created.headers.location).toBe(created.data.url);
      const listed = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'all', per_page: 100 });
      expect(listed).toHaveLength(ISSUES + 1);

      const edited = await client.rest.issues.update({ ...REPO, issue_number: created.data.number, title: 'Renamed' });
      expect(edited.data.title).toBe('Renamed');
      const closed = await client.rest.issues.update({
        ...REPO,
        issue_number: created.data.number,
        state: 'closed',
        state_reason: 'not_planned',
      });
      expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
      expect(closed.data.closed_at).toEqual(expect.any(String));

      // Octokit's types require a title; this request leaves it out on purpose.
      const invalid = await failure(
        client.request('POST /repos/{owner}/{repo}/issues', { ...REPO, body: 'no title' } as never),
      );
      expect(invalid.status).toBe(422);
      expect(invalid.response!.data).toMatchObject({
        message: 'Validation Failed',
        errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
      });
    });

    it('creates, edits and deletes an issue comment (204), after which it is 404', async () => {
      const created = await client.rest.issues.createComment({ ...REPO, issue_number: 3, body: 'first' });
      expect(created.status).toBe(201);
      expect(created.data.issue_url).toMatch(/\/repos\/acme\/widgets\/issues\/3$/);
      const edited = await client.rest.issues.updateComment({ ...REPO, comment_id: created.data.id, body: 'second' });
      expect(edited.data.body).toBe('second');
      const removed = await client.rest.issues.deleteComment({ ...REPO, comment_id: created.data.id });
      expect(removed.status).toBe(204);
      expect((await failure(client.rest.issues.getComment({ ...REPO, comment_id: created.data.id }))).status).toBe(404);
      const invalid = await failure(client.rest.issues.createComment({ ...REPO, issue_number: 3, body: '' }));
      expect(invalid.status).toBe(422);
    });
  });

  describe('rate limits and conditional requests as Octokit reads them', () => {
    it('a secondary limit: 429 (or 403) with retry-after and the x-ratelimit-* headers on error.response.headers', async () => {
      for (const [variant, status] of [
        ['secondary-429', 429],
        ['secondary-403', 403],
      ] as const) {
        sandbox.control.injectFault({ kind: 'rate_limit', variant, retryAfterSeconds: 7, path: '/issues/5' });
        const error = await failure(client.rest.issues.get({ ...REPO, issue_number: 5 }));
        expect(error.status).toBe(status);
        expect(error.message).toMatch(/secondary rate limit/);
        const headers = error.response!.headers;
        expect(headers['retry-after']).toBe('7');
        expect(Number(headers['x-ratelimit-limit'])).toBe(5000);
        expect(Number(headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
        const reset = Number(headers['x-ratelimit-reset']);
        expect(reset).toBeGreaterThan(Date.now() / 1000);
        expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
      }
    });

    it('answers If-None-Match with 304 (Octokit rejects with status 304) and counts it against nothing', async () => {
      const first = await client.rest.issues.get({ ...REPO, issue_number: 9 });
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^W\/".+"$/);
      const remaining = Number(first.headers['x-ratelimit-remaining']);
      const notModified = await failure(
        client.rest.issues.get({ ...REPO, issue_number: 9, headers: { 'if-none-match': etag } }),
      );
      expect(notModified.status).toBe(304);
      const after = await client.rest.rateLimit.get();
      expect(after.data.resources.core.remaining).toBe(remaining);
      expect(after.data.rate.remaining).toBe(remaining);
    });
  });
});

describe('the primary hourly budget as Octokit sees it', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ records: 3, extra: { rateLimitPerHour: 3, comments: 0 } });
  });
  afterAll(() => sandbox.stop());

  it('counts down x-ratelimit-remaining, then answers 403 with remaining 0 and the reset instant (no retry-after)', async () => {
    const client = octokit(sandbox);
    const seen: number[] = [];
    for (let n = 1; n <= 3; n += 1)
      seen.push(Number((await client.rest.issues.get({ ...REPO, issue_number: n })).headers['x-ratelimit-remaining']));
    expect(seen).toEqual([2, 1, 0]);
    const error = await failure(client.rest.issues.get({ ...REPO, issue_number: 1 }));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/API rate limit exceeded/);
    expect(error.response!.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.response!.headers['retry-after']).toBeUndefined();
    expect(Number(error.response!.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    // GET /rate_limit does not count against the budget, so it still answers.
    expect((await client.rest.rateLimit.get()).data.resources.core).toMatchObject({ limit: 3, remaining: 0, used: 3 });
  });
});
