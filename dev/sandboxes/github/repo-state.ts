/**
 * One sandbox repository: seeded issues and comments in lazy stores, the changes the API and the admin
 * endpoint make, and the webhook each change triggers. Deleted issues are remembered to answer 410 Gone.
 */
import { LazyRecordStore } from '../common/lazy-store';
import {
  commentId,
  commentModifiedMs,
  generateComment,
  generateIssue,
  HISTORY_START_MS,
  HISTORY_STEP_MS,
  isoSeconds,
  issueUrls,
  user,
  type GithubComment,
  type GithubIssue,
  type RepoShape,
} from './data';

export type RepoChange =
  | { event: 'issues'; action: string; issue: GithubIssue }
  | { event: 'issue_comment'; action: string; issue: GithubIssue | undefined; comment: GithubComment };

export class GithubRepoState {
  readonly issues: LazyRecordStore<GithubIssue>;
  readonly comments: LazyRecordStore<GithubComment>;
  readonly deletedIssues = new Set<number>();
  /** Issues moved to another repository: old number → where GitHub's 301 points (repository id, new number). */
  readonly transferredIssues = new Map<number, { repoId: number; number: number }>();
  private nextNumber: number;
  private nextCommentIndex: number;

  constructor(
    readonly shape: RepoShape,
    issueCount: number,
    commentCount: number,
    private readonly onChange: (change: RepoChange) => void,
  ) {
    const perIssue = issueCount === 0 ? 0 : Math.floor(commentCount / issueCount);
    this.issues = new LazyRecordStore<GithubIssue>({
      baseCount: issueCount,
      generate: (index) => generateIssue(shape, index, perIssue),
      indexOf: (id) => Number(id) - 1,
      idOf: (issue) => String(issue.number),
      modifiedMsOf: (issue) => Date.parse(issue.updated_at),
      baseModifiedMs: (index) => HISTORY_START_MS + index * HISTORY_STEP_MS,
    });
    this.comments = new LazyRecordStore<GithubComment>({
      baseCount: commentCount,
      generate: (index) => generateComment(shape, index, issueCount),
      indexOf: (id) => Number(id) - commentId(shape, 0),
      idOf: (comment) => String(comment.id),
      modifiedMsOf: (comment) => Date.parse(comment.updated_at),
      baseModifiedMs: commentModifiedMs,
    });
    this.nextNumber = issueCount + 1;
    this.nextCommentIndex = commentCount;
  }

  get fullName(): string {
    return `${this.shape.owner}/${this.shape.name}`;
  }

  private nowIso(store: LazyRecordStore<unknown>): string {
    return isoSeconds(Math.max(Date.now(), store.minimumChangeMs + 1000));
  }

  getIssue(number: number): GithubIssue | undefined {
    return this.issues.get(String(number));
  }

  createIssue(
    fields: { title: string; body?: string | null; labels?: string[]; assignees?: string[] },
    login: string,
  ): GithubIssue {
    const number = this.nextNumber++;
    const now = this.nowIso(this.issues);
    const issue: GithubIssue = {
      id: this.shape.repoId * 10_000_000 + number,
      node_id: `I_kwDO${this.shape.repoId.toString(36)}${number.toString(36)}`,
      number,
      ...issueUrls(this.shape, number),
      title: fields.title,
      body: fields.body ?? null,
      user: user(login),
      labels: (fields.labels ?? []).map((name, i) => ({ id: 900 + i, name, color: 'ededed', default: false })),
      state: 'open',
      state_reason: null,
      locked: false,
      assignee: fields.assignees?.[0] ? user(fields.assignees[0]) : null,
      assignees: (fields.assignees ?? []).map(user),
      milestone: null,
      comments: 0,
      created_at: now,
      updated_at: now,
      closed_at: null,
      author_association: 'OWNER',
    };
    this.issues.put(issue);
    this.onChange({ event: 'issues', action: 'opened', issue });
    return issue;
  }

  /** Applies a validated PATCH; returns undefined for a missing issue. */
  updateIssue(number: number, patch: Record<string, unknown>): GithubIssue | undefined {
    const current = this.getIssue(number);
    if (!current) return undefined;
    const next: GithubIssue = { ...current, updated_at: this.nowIso(this.issues) };
    if (typeof patch.title === 'string') next.title = patch.title;
    if ('body' in patch) next.body = patch.body;
    if (Array.isArray(patch.labels))
      next.labels = (patch.labels as string[]).map((name, i) => ({
        id: 900 + i,
        name,
        color: 'ededed',
        default: false,
      }));
    if (Array.isArray(patch.assignees)) next.assignees = (patch.assignees as string[]).map(user);
    let action = 'edited';
    if (patch.state === 'closed' && current.state !== 'closed') {
      next.state = 'closed';
      next.closed_at = next.updated_at;
      next.state_reason = (patch.state_reason as string | undefined) ?? 'completed';
      action = 'closed';
    } else if (patch.state === 'open' && current.state !== 'open') {
      next.state = 'open';
      next.closed_at = null;
      next.state_reason = 'reopened';
      action = 'reopened';
    } else if ('state_reason' in patch && next.state === 'closed') {
      next.state_reason = patch.state_reason;
    }
    this.issues.put(next);
    this.onChange({ event: 'issues', action, issue: next });
    return next;
  }

  deleteIssue(number: number): boolean {
    const issue = this.getIssue(number);
    if (!issue || !this.issues.remove(String(number))) return false;
    this.deletedIssues.add(number);
    this.onChange({ event: 'issues', action: 'deleted', issue });
    return true;
  }

  /** Moves an issue the way GitHub's transfer does: a new number in the target, a 301 from the old address. */
  transferIssue(number: number, target: GithubRepoState, login: string): GithubIssue | undefined {
    const issue = this.getIssue(number);
    if (!issue) return undefined;
    const moved = target.createIssue(
      { title: String(issue.title), body: (issue.body as string | null | undefined) ?? null },
      login,
    );
    this.deleteIssue(number);
    this.deletedIssues.delete(number);
    this.transferredIssues.set(number, { repoId: target.shape.repoId, number: moved.number });
    return moved;
  }

  getComment(id: number): GithubComment | undefined {
    return this.comments.get(String(id));
  }

  createComment(issueNumber: number, body: string, login: string): GithubComment | undefined {
    const issue = this.getIssue(issueNumber);
    if (!issue) return undefined;
    const index = this.nextCommentIndex++;
    const id = commentId(this.shape, index);
    const now = this.nowIso(this.comments);
    const api = `${this.shape.baseUrl()}/repos/${this.fullName}`;
    const comment: GithubComment = {
      id,
      node_id: `IC_kwDO${id.toString(36)}`,
      url: `${api}/issues/comments/${id}`,
      html_url: `https://github.com/${this.fullName}/issues/${issueNumber}#issuecomment-${id}`,
      issue_url: `${api}/issues/${issueNumber}`,
      body,
      user: user(login),
      created_at: now,
      updated_at: now,
      author_association: 'OWNER',
    };
    this.comments.put(comment);
    this.onChange({ event: 'issue_comment', action: 'created', issue, comment });
    return comment;
  }

  updateComment(id: number, body: string): GithubComment | undefined {
    const current = this.getComment(id);
    if (!current) return undefined;
    const next: GithubComment = { ...current, body, updated_at: this.nowIso(this.comments) };
    this.comments.put(next);
    this.onChange({ event: 'issue_comment', action: 'edited', issue: this.issueOfComment(next), comment: next });
    return next;
  }

  deleteComment(id: number): boolean {
    const comment = this.getComment(id);
    if (!comment || !this.comments.remove(String(id))) return false;
    this.onChange({ event: 'issue_comment', action: 'deleted', issue: this.issueOfComment(comment), comment });
    return true;
  }

  issueOfComment(comment: GithubComment): GithubIssue | undefined {
    return this.getIssue(Number(comment.issue_url.split('/').pop()));
  }
}
