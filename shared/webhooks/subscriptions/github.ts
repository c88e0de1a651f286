/**
 * GitHub repository webhooks through the REST API: one hook per configured repository, delivering JSON to this
 * app's URL, signed with the integration's webhook secret, for the events its entities need. Brings the hooks in
 * line with the target (create the missing, update one whose URL, events or secret changed, delete those of
 * repositories no longer synced) and removes them. One repository's failure does not stop the others: it is
 * reported, and the hooks that exist are always returned so none is forgotten.
 */
import { AppError, isAppError, toAppError } from '../../core/app-error';
import type { ProviderHttpClient } from '../../adapters/http';
import type { GithubHookRef } from './types';

export interface GithubHookTarget {
  repositories: string[];
  events: string[];
  address: string;
  secret: string;
  /** The secret changed since the hooks were configured: every hook gets it again. */
  secretChanged: boolean;
}

export interface GithubHookOutcome {
  hooks: GithubHookRef[];
  errors: string[];
}

interface HookJson {
  id: number;
  active?: boolean;
  events?: string[];
  config?: { url?: string; content_type?: string };
}

const repoPath = (repository: string) => {
  const [owner, name] = repository.split('/') as [string, string];
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/hooks`;
};

/** The body GitHub takes on create and update; `name` only on create (it accepts nothing but "web"). */
function hookBody(target: GithubHookTarget, create: boolean): Record<string, unknown> {
  return {
    ...(create ? { name: 'web' } : {}),
    active: true,
    events: target.events,
    config: { url: target.address, content_type: 'json', insecure_ssl: '0', secret: target.secret },
  };
}

function matches(hook: HookJson, target: GithubHookTarget): boolean {
  const events = [...(hook.events ?? [])].sort();
  return (
    hook.active !== false &&
    hook.config?.url === target.address &&
    hook.config?.content_type === 'json' &&
    events.length === target.events.length &&
    events.every((event, index) => event === target.events[index])
  );
}

function isNotFound(error: unknown): boolean {
  return isAppError(error) && error.code === 'not_found';
}

async function createHook(http: ProviderHttpClient, repository: string, target: GithubHookTarget): Promise<number> {
  const created = await http.request<HookJson & { errors?: Array<{ message?: string }> }>({
    operation: 'hooks.create',
    method: 'POST',
    path: repoPath(repository),
    json: hookBody(target, true),
    acceptStatuses: [422],
  });
  if (created.status !== 422) return created.body.id;
  // "Hook already exists on this repository": one with this URL is there (an earlier attempt, or set up by hand).
  const existing = (created.body.errors ?? []).some((error) => /already exists/i.test(error.message ?? ''));
  const adopted = existing ? await findByUrl(http, repository, target.address) : undefined;
  if (adopted === undefined) {
    const detail = (created.body.errors ?? []).map((error) => error.message).filter(Boolean);
    throw new AppError('validation', `github hooks.create: ${['Validation Failed', ...detail].join(': ')}`, {
      target: 'hooks.create',
      details: { provider: 'github', providerStatus: 422 },
    });
  }
  await updateHook(http, repository, adopted, target);
  return adopted;
}

async function findByUrl(http: ProviderHttpClient, repository: string, url: string): Promise<number | undefined> {
  const { body } = await http.request<HookJson[]>({
    operation: 'hooks.list',
    path: repoPath(repository),
    query: { per_page: 100 },
  });
  return (Array.isArray(body) ? body : []).find((hook) => hook.config?.url === url)?.id;
}

async function updateHook(
  http: ProviderHttpClient,
  repository: string,
  hookId: number,
  target: GithubHookTarget,
): Promise<void> {
  await http.request({
    operation: 'hooks.update',
    method: 'PATCH',
    path: `${repoPath(repository)}/${hookId}`,
    json: hookBody(target, false),
  });
}

/** One repository's hook: checked when known, created when missing, updated when it drifted or the secret changed. */
async function ensureHook(
  http: ProviderHttpClient,
  repository: string,
  known: GithubHookRef | undefined,
  target: GithubHookTarget,
): Promise<GithubHookRef> {
  if (known) {
    try {
      const { body } = await http.request<HookJson>({
        operation: 'hooks.get',
        path: `${repoPath(repository)}/${known.hookId}`,
      });
      if (!matches(body, target) || target.secretChanged) await updateHook(http, repository, known.hookId, target);
      return { repository, hookId: known.hookId, events: target.events };
    } catch (error) {
      // Deleted at GitHub (by a person, or with the repository): create it again below.
      if (!isNotFound(error)) throw error;
    }
  }
  return { repository, hookId: await createHook(http, repository, target), events: target.events };
}

export async function syncGithubHooks(
  http: ProviderHttpClient,
  current: readonly GithubHookRef[],
  target: GithubHookTarget,
): Promise<GithubHookOutcome> {
  const hooks: GithubHookRef[] = [];
  const errors: string[] = [];
  const wanted = new Set(target.repositories.map((repository) => repository.toLowerCase()));
  for (const repository of target.repositories) {
    const known = current.find((hook) => hook.repository.toLowerCase() === repository.toLowerCase());
    try {
      hooks.push(await ensureHook(http, repository, known, target));
    } catch (error) {
      if (known) hooks.push(known);
      errors.push(`${repository}: ${toAppError(error).message}`);
    }
  }
  const stale = current.filter((hook) => !wanted.has(hook.repository.toLowerCase()));
  const removal = await removeGithubHooks(http, stale);
  return { hooks: [...hooks, ...removal.hooks], errors: [...errors, ...removal.errors] };
}

/** Deletes the hooks; one already gone counts as deleted. Returns the hooks that could not be deleted. */
export async function removeGithubHooks(
  http: ProviderHttpClient,
  hooks: readonly GithubHookRef[],
): Promise<GithubHookOutcome> {
  const remaining: GithubHookRef[] = [];
  const errors: string[] = [];
  for (const hook of hooks) {
    try {
      await http.request({
        operation: 'hooks.delete',
        method: 'DELETE',
        path: `${repoPath(hook.repository)}/${hook.hookId}`,
      });
    } catch (error) {
      if (isNotFound(error)) continue;
      remaining.push(hook);
      errors.push(`${hook.repository}: ${toAppError(error).message}`);
    }
  }
  return { hooks: remaining, errors };
}
