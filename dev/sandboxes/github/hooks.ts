/**
 * Repository webhooks in the GitHub sandbox, as the REST API manages them: POST/GET/PATCH/DELETE
 * /repos/{owner}/{repo}/hooks[/{hook_id}]. A hook is named "web", delivers to config.url as JSON (content_type
 * "json") or as a `payload=` form (the default, "form"), signed with config.secret when it has one; the secret is
 * never shown again (GitHub answers "********"). A second hook with the same URL on a repository is refused 422
 * "Hook already exists on this repository". A new hook gets a `ping` event; afterwards every change of its
 * repository whose event the hook subscribes to (or "*") is delivered to it, with X-GitHub-Hook-ID naming it.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext, Router } from '../common/router';
import type { SandboxResponse, WebhookDelivery } from '../common/types';
import { WebhookEmitter } from '../common/webhooks';
import { githubWebhookSigner } from './webhook';
import { ghError } from './wire';

interface HookConfig {
  url: string;
  content_type: 'json' | 'form';
  insecure_ssl: string;
  secret?: string;
}

interface Hook {
  id: number;
  repository: string;
  active: boolean;
  events: string[];
  config: HookConfig;
  createdAt: string;
  updatedAt: string;
  emitter: WebhookEmitter;
}

export interface HookRepo {
  fullName: string;
  json(): Record<string, unknown>;
}

const NOT_FOUND = () => ghError(404, 'Not Found');

function hookError(message: string): SandboxResponse {
  return ghError(422, 'Validation Failed', { errors: [{ resource: 'Hook', code: 'custom', message }] });
}

/** Every hook's deliveries behind one WebhookEmitter face (flush and the delivery list of /__sandbox/). */
export class RepoHooks extends WebhookEmitter {
  private readonly hooks = new Map<number, Hook>();
  /** Emitters of deleted hooks: their deliveries stay listed, as GitHub keeps a delivery log. */
  private readonly retired: WebhookEmitter[] = [];
  private nextId = 500_001;

  /** `legacy`: the sandbox's start-up webhook target (options.webhookUrl), delivered to as before. */
  constructor(
    private readonly legacy: WebhookEmitter | undefined,
    private readonly sender: Record<string, unknown>,
  ) {
    super({ url: 'http://127.0.0.1:9/', sign: () => ({}) });
  }

  /** A change of `repository`: to the start-up target and every active hook subscribed to the event. */
  deliverChange(repository: string, event: string, payload: Record<string, unknown>): void {
    this.legacy?.emit(event, payload, randomUUID());
    for (const hook of this.hooks.values()) {
      if (hook.repository !== repository.toLowerCase() || !hook.active) continue;
      if (hook.events.includes(event) || hook.events.includes('*')) this.send(hook, event, payload);
    }
  }

  /** The hooks of a repository with their secrets, for tests that check what an app registered. */
  registered(repository: string): Array<{ id: number; url: string; events: string[]; secret?: string }> {
    return [...this.hooks.values()]
      .filter((hook) => hook.repository === repository.toLowerCase())
      .map((hook) => ({ id: hook.id, url: hook.config.url, events: [...hook.events], secret: hook.config.secret }));
  }

  override async flush(): Promise<void> {
    await Promise.all(
      [this.legacy, ...this.retired, ...[...this.hooks.values()].map((hook) => hook.emitter)].map((e) => e?.flush()),
    );
  }

  override deliveries(): WebhookDelivery[] {
    const emitters = [this.legacy, ...this.retired, ...[...this.hooks.values()].map((hook) => hook.emitter)];
    return emitters.flatMap((emitter) => emitter?.deliveries() ?? []).sort((a, b) => a.at - b.at);
  }

  addRoutes(router: Router, repoOf: (owner: string, name: string) => HookRepo | undefined): void {
    const repo = (ctx: RequestContext) => repoOf(ctx.params.owner!, ctx.params.repo!);
    const hookOf = (ctx: RequestContext) => {
      const found = this.hooks.get(Number(ctx.params.hookId));
      const owner = repo(ctx);
      return found && owner && found.repository === owner.fullName.toLowerCase() ? { hook: found, owner } : undefined;
    };
    const base = '/repos/:owner/:repo/hooks';
    router.add('GET', base, (ctx) => {
      const owner = repo(ctx);
      if (!owner) return NOT_FOUND();
      const list = [...this.hooks.values()].filter((hook) => hook.repository === owner.fullName.toLowerCase());
      return { status: 200, json: list.map((hook) => this.json(hook, ctx)) };
    });
    router.add('POST', base, (ctx) => {
      const owner = repo(ctx);
      return owner ? this.create(ctx, owner) : NOT_FOUND();
    });
    router.add('GET', `${base}/:hookId`, (ctx) => {
      const found = hookOf(ctx);
      return found ? { status: 200, json: this.json(found.hook, ctx) } : NOT_FOUND();
    });
    router.add('PATCH', `${base}/:hookId`, (ctx) => {
      const found = hookOf(ctx);
      return found ? this.update(ctx, found.hook) : NOT_FOUND();
    });
    router.add('DELETE', `${base}/:hookId`, (ctx) => {
      const found = hookOf(ctx);
      if (!found) return NOT_FOUND();
      this.hooks.delete(found.hook.id);
      this.retired.push(found.hook.emitter);
      return { status: 204 };
    });
  }

  private create(ctx: RequestContext, owner: HookRepo): SandboxResponse {
    const input = (ctx.json() ?? {}) as Record<string, unknown>;
    if (input.name !== undefined && input.name !== 'web') return hookError('Name must be "web"');
    const config = parseConfig(input.config, undefined);
    if (typeof config === 'string') return hookError(config);
    const events = input.events === undefined ? ['push'] : input.events;
    if (!Array.isArray(events) || !events.every((event) => typeof event === 'string'))
      return hookError('Events must be a list of event names');
    const repository = owner.fullName.toLowerCase();
    if ([...this.hooks.values()].some((hook) => hook.repository === repository && hook.config.url === config.url))
      return hookError('Hook already exists on this repository');
    const now = new Date().toISOString();
    const hook: Hook = {
      id: this.nextId++,
      repository,
      active: input.active !== false,
      events: [...new Set(events as string[])],
      config,
      createdAt: now,
      updatedAt: now,
      emitter: new WebhookEmitter({ url: config.url, sign: () => ({}) }),
    };
    this.hooks.set(hook.id, hook);
    const json = this.json(hook, ctx);
    this.send(hook, 'ping', { zen: 'Design for failure.', hook_id: hook.id, hook: json, repository: owner.json() });
    return { status: 201, json, headers: { location: String(json.url) } };
  }

  private update(ctx: RequestContext, hook: Hook): SandboxResponse {
    const input = (ctx.json() ?? {}) as Record<string, unknown>;
    if (input.config !== undefined) {
      const config = parseConfig(input.config, hook.config);
      if (typeof config === 'string') return hookError(config);
      if (config.url !== hook.config.url) {
        // Deliveries already queued for the old URL still go there; the log keeps them.
        this.retired.push(hook.emitter);
        hook.emitter = new WebhookEmitter({ url: config.url, sign: () => ({}) });
      }
      hook.config = config;
    }
    const list = (value: unknown) =>
      Array.isArray(value) && value.every((event) => typeof event === 'string') ? (value as string[]) : undefined;
    if (input.events !== undefined) hook.events = [...new Set(list(input.events) ?? hook.events)];
    if (input.add_events !== undefined) hook.events = [...new Set([...hook.events, ...(list(input.add_events) ?? [])])];
    if (input.remove_events !== undefined)
      hook.events = hook.events.filter((event) => !(list(input.remove_events) ?? []).includes(event));
    if (typeof input.active === 'boolean') hook.active = input.active;
    hook.updatedAt = new Date().toISOString();
    return { status: 200, json: this.json(hook, ctx) };
  }

  private send(hook: Hook, event: string, payload: Record<string, unknown>): void {
    const json = JSON.stringify({ ...payload, sender: payload.sender ?? this.sender });
    const form = hook.config.content_type === 'form';
    const rawBody = form ? `payload=${encodeURIComponent(json)}` : json;
    const deliveryId = randomUUID();
    const repositoryId = (payload.repository as { id?: unknown } | undefined)?.id;
    const signer = githubWebhookSigner(
      hook.config.secret,
      hook.id,
      typeof repositoryId === 'number' ? repositoryId : undefined,
    );
    const headers = signer(rawBody, event, deliveryId);
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    hook.emitter.emitRaw(event, rawBody, headers, deliveryId);
  }

  private json(hook: Hook, ctx: RequestContext): Record<string, unknown> {
    const url = `${ctx.baseUrl}/repos/${hook.repository}/hooks/${hook.id}`;
    const { secret, ...shown } = hook.config;
    return {
      type: 'Repository',
      id: hook.id,
      name: 'web',
      active: hook.active,
      events: hook.events,
      config: { ...shown, ...(secret ? { secret: '********' } : {}) },
      updated_at: hook.updatedAt,
      created_at: hook.createdAt,
      url,
      test_url: `${url}/test`,
      ping_url: `${url}/pings`,
      deliveries_url: `${url}/deliveries`,
      last_response: { code: null, status: 'unused', message: null },
    };
  }
}

/** A create's or update's config: url required (kept from `current` on update), json or form, an optional secret. */
function parseConfig(value: unknown, current: HookConfig | undefined): HookConfig | string {
  if (value === undefined && current) return current;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'Config must be an object';
  const input = value as Record<string, unknown>;
  const url = input.url ?? current?.url;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return 'Config must contain URL for webhooks';
  const contentType = input.content_type ?? current?.content_type ?? 'form';
  if (contentType !== 'json' && contentType !== 'form') return 'Content type must be "json" or "form"';
  const secret = 'secret' in input ? input.secret : current?.secret;
  if (secret !== undefined && secret !== null && typeof secret !== 'string') return 'Secret must be a string';
  return {
    url,
    content_type: contentType,
    insecure_ssl: String(input.insecure_ssl ?? current?.insecure_ssl ?? '0'),
    ...(typeof secret === 'string' && secret !== '' ? { secret } : {}),
  };
}
