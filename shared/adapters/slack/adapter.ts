/**
 * The Slack adapter: messages of the configured channels, thread replies included (read, post, edit, delete;
 * ts is the id) and the workspace's users (read only). Options (options.ts): channels (required for messages),
 * editLookbackMs, appDistribution (decides messages per call and the pace of history/replies reads).
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
  PushOperation,
  PushOutcome,
  PushRequest,
} from '../contract';
import { SlackApi, type SlackBody } from './api';
import { SLACK_CATALOG } from './catalog';
import { decodeCursor } from './cursor';
import { SLACK_FACTS, type SlackEntity } from './facts';
import { fetchMessages, type ChannelReadPlan } from './message-reads';
import { createMessage, deleteMessage, fetchMessage, updateMessage } from './messages';
import { readPace, slackOptions } from './options';
import { fetchUser, fetchUsers } from './users';
import { fetchEach, pushEach } from '../batch';

export class SlackAdapter implements ProviderAdapter {
  readonly provider = 'slack' as const;
  private readonly api: SlackApi;
  private readonly channels: string[];
  private readonly reads: Omit<ChannelReadPlan, 'channels'>;

  constructor(context: AdapterContext) {
    this.api = new SlackApi(context);
    const options = slackOptions(context.options);
    this.channels = options.channels;
    this.reads = { lookbackMs: options.editLookbackMs, ...readPace(options.appDistribution) };
  }

  async connect(signal?: AbortSignal): Promise<AccountIdentity> {
    const body = await this.api.call<SlackBody & { team_id?: string; team?: string; user_id?: string; url?: string }>(
      'auth.test',
      {},
      { signal },
    );
    if (!body.team_id) throw new AppError('validation', 'auth.test did not name a workspace', { target: 'team_id' });
    return { accountId: body.team_id, displayName: body.team, details: { userId: body.user_id, url: body.url } };
  }

  /** Tokens are revoked by the credential service (auth.revoke needs the token itself). */
  async disconnect(): Promise<void> {}

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const started = Date.now();
    try {
      await this.api.call('auth.test', {}, { signal });
      return { ok: true, latencyMs: Date.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: Date.now() - started, message: toAppError(error).message };
    }
  }

  async discover(): Promise<Catalog> {
    return SLACK_CATALOG;
  }

  async fetchChanges(request: FetchChangesRequest): Promise<FetchPage> {
    if (this.entity(request.entity) === 'users')
      return fetchUsers(this.api, decodeCursor(request.cursor, 'users'), request.pageSize, request.signal);
    return fetchMessages(
      this.api,
      { ...this.reads, channels: this.requireChannels() },
      decodeCursor(request.cursor, 'messages'),
      request.pageSize,
      request.signal,
    );
  }

  async fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult> {
    const entity = this.entity(request.entity);
    return fetchEach(request.ids, (id) =>
      entity === 'users' ? fetchUser(this.api, id, request.signal) : fetchMessage(this.api, id, request.signal),
    );
  }

  async push(request: PushRequest): Promise<PushOutcome[]> {
    const entity = this.entity(request.entity);
    return pushEach(request.operations, (operation) => this.pushOne(entity, operation, request.signal));
  }

  private async pushOne(entity: SlackEntity, operation: PushOperation, signal?: AbortSignal): Promise<PushOutcome> {
    try {
      if (entity === 'users')
        throw new AppError('validation', 'Slack users cannot be written through the Web API', { target: 'entity' });
      if (operation.kind === 'create') {
        const created = await createMessage(this.api, this.channels[0], operation.data, signal);
        return { idempotencyKey: operation.idempotencyKey, ok: true, ...created };
      }
      // Slack has no conditional writes: compare the current version right before writing (a narrow race remains).
      if (operation.expectedVersion !== undefined) {
        const current = await fetchMessage(this.api, operation.id, signal);
        if (current && current.version !== operation.expectedVersion) {
          throw new AppError('conflict', `message ${operation.id} changed since version ${operation.expectedVersion}`, {
            target: operation.id,
            details: { currentVersion: current.version },
          });
        }
      }
      if (operation.kind === 'update') {
        const { version } = await updateMessage(this.api, operation.id, operation.data, signal);
        return { idempotencyKey: operation.idempotencyKey, ok: true, id: operation.id, version };
      }
      await deleteMessage(this.api, operation.id, signal);
      return { idempotencyKey: operation.idempotencyKey, ok: true, id: operation.id };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'auth_expired' || appError.code === 'auth_revoked' || signal?.aborted) throw appError;
      return {
        idempotencyKey: operation.idempotencyKey,
        ok: false,
        error: {
          code: appError.code,
          message: appError.message,
          retryable: appError.retryable,
          retryAfterMs: appError.retryAfterMs,
        },
      };
    }
  }

  private entity(name: string): SlackEntity {
    if (!(SLACK_FACTS.entities as readonly string[]).includes(name))
      throw new AppError('validation', `Slack adapter does not sync entity '${name}'`, { target: 'entity' });
    return name as SlackEntity;
  }

  private requireChannels(): string[] {
    if (this.channels.length === 0)
      throw new AppError('configuration', 'Slack messages need options.channels (channel ids)', {
        target: 'options.channels',
      });
    return this.channels;
  }
}
