/**
 * Seeded GitHub data: issues (every sixth one a pull request, as the issues endpoint mixes them in) and issue
 * comments, computed from their index. Timestamps are whole seconds, as GitHub's are.
 */
import { hash32, intBetween, pick, seededRandom, sentence } from '../common/seeded';

export type GithubIssue = Record<string, unknown> & { number: number; updated_at: string; id: number };
export type GithubComment = Record<string, unknown> & { id: number; updated_at: string; issue_url: string };

/** Seeded history starts here; record i was last changed one minute after record i - 1. */
export const HISTORY_START_MS = Date.UTC(2021, 0, 1);
export const HISTORY_STEP_MS = 60_000;
const COMMENT_OFFSET_MS = 30_000;

export const LOGINS = ['octocat', 'hubot', 'monalisa', 'mona-lisa', 'defunkt', 'sandbox-user'] as const;
const LABELS = ['bug', 'enhancement', 'documentation', 'question', 'good first issue'] as const;

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function isPullRequestIndex(index: number): boolean {
  return index % 6 === 5;
}

/** Pull requests among the first n seeded issues (what a full issues read must skip). */
export function seededPullRequestCount(n: number): number {
  return Math.floor(n / 6);
}

export function user(login: string): Record<string, unknown> {
  const id = (hash32(1, login.length, login.charCodeAt(0)) % 900_000) + 1000;
  return { login, id, node_id: `U_${id}`, type: 'User', site_admin: false };
}

export interface RepoShape {
  owner: string;
  name: string;
  /** Distinguishes repositories in global ids. */
  repoId: number;
  seed: number;
  baseUrl(): string;
}

export function issueUrls(repo: RepoShape, number: number): Record<string, string> {
  const api = `${repo.baseUrl()}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${api}/issues/${number}`,
    repository_url: api,
    comments_url: `${api}/issues/${number}/comments`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${number}`,
  };
}

export function generateIssue(repo: RepoShape, index: number, commentsPerIssue: number): GithubIssue {
  const random = seededRandom(repo.seed, index, repo.repoId);
  const number = index + 1;
  const updatedMs = HISTORY_START_MS + index * HISTORY_STEP_MS;
  const createdMs = updatedMs - intBetween(random, 0, 30) * 86_400_000;
  const closed = index % 4 === 0;
  const labels =
    random() < 0.6 ? [{ id: 100 + (index % 5), name: pick(random, LABELS), color: 'd73a4a', default: false }] : [];
  const author = pick(random, LOGINS);
  const issue: GithubIssue = {
    id: repo.repoId * 10_000_000 + number,
    node_id: `I_kwDO${repo.repoId.toString(36)}${number.toString(36)}`,
    number,
    ...issueUrls(repo, number),
    title: sentence(random, 3, 8),
    body: sentence(random, 8, 30),
    user: user(author),
    labels,
    state: closed ? 'closed' : 'open',
    state_reason: closed ? 'completed' : null,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: commentsPerIssue,
    created_at: isoSeconds(createdMs),
    updated_at: isoSeconds(updatedMs),
    closed_at: closed ? isoSeconds(updatedMs) : null,
    author_association: 'MEMBER',
  };
  if (isPullRequestIndex(index)) {
    const html = `https://github.com/${repo.owner}/${repo.name}/pull/${number}`;
    issue.pull_request = {
      url: `${repo.baseUrl()}/repos/${repo.owner}/${repo.name}/pulls/${number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
  }
  return issue;
}

export function commentId(repo: RepoShape, index: number): number {
  return repo.repoId * 10_000_000 + 5_000_000 + index + 1;
}

export function generateComment(repo: RepoShape, index: number, issueCount: number): GithubComment {
  const random = seededRandom(repo.seed, index, repo.repoId + 7777);
  const id = commentId(repo, index);
  const issueNumber = issueCount === 0 ? 1 : (index % issueCount) + 1;
  const updatedMs = HISTORY_START_MS + index * HISTORY_STEP_MS + COMMENT_OFFSET_MS;
  const api = `${repo.baseUrl()}/repos/${repo.owner}/${repo.name}`;
  return {
    id,
    node_id: `IC_kwDO${id.toString(36)}`,
    url: `${api}/issues/comments/${id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${issueNumber}#issuecomment-${id}`,
    issue_url: `${api}/issues/${issueNumber}`,
    body: sentence(random, 4, 20),
    user: user(pick(random, LOGINS)),
    created_at: isoSeconds(updatedMs - intBetween(random, 0, 48) * 3_600_000),
    updated_at: isoSeconds(updatedMs),
    author_association: 'CONTRIBUTOR',
  };
}

export function commentModifiedMs(index: number): number {
  return HISTORY_START_MS + index * HISTORY_STEP_MS + COMMENT_OFFSET_MS;
}
