/**
 * The Google adapter: Calendar events of one calendar (options.calendarId, default "primary") with sync tokens
 * and etag preconditions, and Drive file metadata through changes.list. Pushes need a write scope in the grant
 * (refused before any request otherwise); a pushed Drive delete trashes the file unless options.permanentDeletes.
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
import { createProviderHttpClient, type ProviderHttpClient } from '../http';
import { GOOGLE_CATALOG } from './catalog';
import { decodeCursor } from './cursor';
import { deleteEvent, fetchEvent, fetchEvents, insertEvent, patchEvent } from './events';
import { GOOGLE_FACTS, type GoogleEntity } from './facts';
import { fetchFile, fetchFiles, writeFile } from './files';
import { GOOGLE_PROFILE } from './http-profile';
import { missingWriteScope } from './scopes';
import { fetchEach, pushEach } from '../batch';

export class GoogleAdapter implements ProviderAdapter {
  readonly provider = 'google' as const;
  private readonly http: ProviderHttpClient;
  private readonly calendarId: string;
  private readonly permanentDeletes: boolean;

  constructor(private readonly context: AdapterContext) {
    this.http = createProviderHttpClient(context, GOOGLE_PROFILE);
    this.permanentDeletes = context.options.permanentDeletes === true;
    this.calendarId =
      typeof context.options.calendarId === 'string' && context.options.calendarId
        ? context.options.calendarId
        : GOOGLE_FACTS.defaultCalendarId;
  }

  async connect(signal?: AbortSignal): Promise<AccountIdentity> {
    const { body } = await this.http.request<{ id?: string; summary?: string; timeZone?: string }>({
      operation: 'calendars.get',
      path: GOOGLE_FACTS.paths.calendar(this.calendarId),
      signal,
    });
    if (!body.id) throw new AppError('validation', 'Calendar did not name itself', { target: 'calendarId' });
    return {
      accountId: body.id,
      displayName: body.summary,
      details: { calendarId: this.calendarId, timeZone: body.timeZone },
    };
  }

  /** Tokens are revoked by the credential service; push channels are stopped by the webhook service. */
  async disconnect(): Promise<void> {}

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const started = Date.now();
    try {
      await this.http.request({
        operation: 'calendars.get',
        path: GOOGLE_FACTS.paths.calendar(this.calendarId),
        signal,
      });
      return { ok: true, latencyMs: Date.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: Date.now() - started, message: toAppError(error).message };
    }
  }

  async discover(): Promise<Catalog> {
    return GOOGLE_CATALOG;
  }

  async fetchChanges(request: FetchChangesRequest): Promise<FetchPage> {
    if (this.entity(request.entity) === 'files')
      return fetchFiles(this.http, decodeCursor(request.cursor, 'files'), request.pageSize, request.signal);
    return fetchEvents(
      this.http,
      this.calendarId,
      decodeCursor(request.cursor, 'events'),
      request.pageSize,
      request.signal,
    );
  }

  async fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult> {
    const entity = this.entity(request.entity);
    return fetchEach(request.ids, (id) =>
      entity === 'files'
        ? fetchFile(this.http, id, request.signal)
        : fetchEvent(this.http, this.calendarId, id, request.signal),
    );
  }

  async push(request: PushRequest): Promise<PushOutcome[]> {
    const entity = this.entity(request.entity);
    // A read-only grant cannot write: say which scope is missing instead of sending requests Google refuses.
    const refused = await missingWriteScope(this.context.auth, entity, request.signal);
    if (refused)
      return request.operations.map((operation) => ({
        idempotencyKey: operation.idempotencyKey,
        ok: false,
        error: { code: refused.code, message: refused.message, retryable: false },
      }));
    return pushEach(request.operations, (operation) => this.pushOne(entity, operation, request.signal));
  }

  private async pushOne(entity: GoogleEntity, operation: PushOperation, signal?: AbortSignal): Promise<PushOutcome> {
    try {
      if (entity === 'files') {
        const result = await writeFile(
          this.http,
          {
            kind: operation.kind,
            id: operation.kind === 'create' ? undefined : operation.id,
            data: operation.kind === 'delete' ? undefined : operation.data,
            expectedVersion: operation.kind === 'create' ? undefined : operation.expectedVersion,
            permanent: this.permanentDeletes,
          },
          signal,
        );
        return { idempotencyKey: operation.idempotencyKey, ok: true, ...result };
      }
      if (operation.kind === 'create')
        return {
          idempotencyKey: operation.idempotencyKey,
          ok: true,
          ...(await insertEvent(this.http, this.calendarId, operation.data, operation.idempotencyKey, signal)),
        };
      if (operation.kind === 'update') {
        const { version } = await patchEvent(
          this.http,
          this.calendarId,
          operation.id,
          operation.data,
          operation.expectedVersion,
          signal,
        );
        return { idempotencyKey: operation.idempotencyKey, ok: true, id: operation.id, version };
      }
      await deleteEvent(this.http, this.calendarId, operation.id, operation.expectedVersion, signal);
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

  private entity(name: string): GoogleEntity {
    if (!(GOOGLE_FACTS.entities as readonly string[]).includes(name))
      throw new AppError('validation', `Google adapter does not sync entity '${name}'`, { target: 'entity' });
    return name as GoogleEntity;
  }
}
