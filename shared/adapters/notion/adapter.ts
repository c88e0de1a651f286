/**
 * The Notion adapter: pages of one data source (API 2025-09-03). Incremental reads filter on
 * last_edited_time on_or_after the newest edit seen (Notion rounds edit times to the minute, so the boundary
 * minute is read again: harmless, the pipeline is idempotent). Delete = move to trash (in_trash: true).
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
import { NOTION, notionProfile } from './profile';
import { fieldType, flattenProperty, toPropertyInputs, WRITABLE_TYPES, type NotionSchema } from './properties';
import { pushUntilStopped } from '../batch';

type Json = Record<string, unknown>;

export const PAGES = 'pages';
/** Notion averages ~3 requests/s per integration: keep by-id reads gentle. */
const FETCH_CONCURRENCY = 2;

interface NotionCursor {
  v: 1;
  since?: string;
  seen?: string;
  next?: string;
}

function encode(cursor: NotionCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(value: string | undefined): NotionCursor {
  if (!value) return { v: 1 };
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as NotionCursor;
    if (parsed.v !== 1) throw new Error('version');
    return parsed;
  } catch (error) {
    throw new AppError('validation', 'Notion cursor is not one this adapter wrote', { target: 'cursor', cause: error });
  }
}

const compact = (id: string) => id.replace(/-/g, '').toLowerCase();

export function pageRecord(page: Json): ProviderRecord {
  const data: Json = {};
  for (const [name, property] of Object.entries((page.properties ?? {}) as Record<string, Json>))
    data[name] = flattenProperty(property);
  data.url = page.url;
  data.createdTime = page.created_time;
  data.lastEditedTime = page.last_edited_time;
  return {
    id: String(page.id),
    entity: PAGES,
    version: String(page.last_edited_time),
    modifiedAt: new Date(String(page.last_edited_time)).toISOString(),
    deleted: page.in_trash === true || page.archived === true,
    data,
  };
}

export class NotionAdapter implements ProviderAdapter {
  readonly provider = 'notion' as const;
  private readonly http: ProviderHttpClient;
  private readonly dataSourceId: string;
  private schema?: NotionSchema;

  constructor(context: AdapterContext) {
    this.http = createProviderHttpClient(context, notionProfile);
    const id = context.options.dataSourceId;
    if (typeof id !== 'string' || !/^[0-9a-fA-F-]{32,36}$/.test(id)) {
      throw new AppError('configuration', 'Notion options.dataSourceId must be a data source id (UUID)', {
        target: 'options.dataSourceId',
      });
    }
    this.dataSourceId = id;
  }

  async connect(signal?: AbortSignal): Promise<AccountIdentity> {
    const { body } = await this.http.request<Json>({ operation: 'users.me', path: '/v1/users/me', signal });
    const bot = (body.bot ?? {}) as Json;
    return {
      accountId: String(body.id),
      displayName: typeof body.name === 'string' ? body.name : undefined,
      details: { workspaceName: bot.workspace_name, workspaceId: bot.workspace_id, type: body.type },
    };
  }

  async disconnect(): Promise<void> {
    // Notion has no token revocation call for public integrations: the workspace owner removes the connection.
  }

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const started = Date.now();
    try {
      await this.http.request({ operation: 'users.me', path: '/v1/users/me', signal });
      return { ok: true, latencyMs: Date.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: Date.now() - started, message: toAppError(error).message };
    }
  }

  async discover(signal?: AbortSignal): Promise<Catalog> {
    const schema = await this.loadSchema(signal, true);
    const fields = Object.entries(schema).map(([name, { type }]) => ({
      name,
      type: fieldType(type),
      providerType: type,
      writable: WRITABLE_TYPES.has(type),
      required: type === 'title',
    }));
    fields.push({ name: 'url', type: 'string', providerType: 'url', writable: false, required: false });
    fields.push({
      name: 'createdTime',
      type: 'datetime',
      providerType: 'created_time',
      writable: false,
      required: false,
    });
    fields.push({
      name: 'lastEditedTime',
      type: 'datetime',
      providerType: 'last_edited_time',
      writable: false,
      required: false,
    });
    // Queries leave trashed pages out: deletions show through fetchByIds (in_trash) and webhooks.
    return {
      provider: 'notion',
      entities: [
        {
          name: PAGES,
          fields,
          supportsIncremental: true,
          supportsWebhooks: true,
          supportsPush: true,
          reportsDeletions: false,
        },
      ],
    };
  }

  async fetchChanges(request: FetchChangesRequest): Promise<FetchPage> {
    this.checkEntity(request.entity);
    // A backfill starts at the date, inclusive: the same filter an incremental read uses from its checkpoint.
    const cursor: NotionCursor =
      !request.cursor && request.since
        ? { v: 1, since: new Date(request.since).toISOString() }
        : decode(request.cursor);
    const { body } = await this.http.request<Json>({
      operation: 'data_sources.query',
      method: 'POST',
      path: `/v1/data_sources/${this.dataSourceId}/query`,
      json: {
        filter: cursor.since
          ? { timestamp: 'last_edited_time', last_edited_time: { on_or_after: cursor.since } }
          : undefined,
        sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
        page_size: Math.min(NOTION.maxPageSize, Math.max(1, request.pageSize)),
        start_cursor: cursor.next,
      },
      signal: request.signal,
    });
    if (!Array.isArray(body.results))
      throw new AppError('transient', 'Notion query answer has no results list', { target: 'data_sources.query' });
    const records = (body.results as Json[]).filter((item) => item.object === 'page').map(pageRecord);
    let seen = cursor.seen;
    for (const record of records) if (!seen || Date.parse(record.version!) > Date.parse(seen)) seen = record.version;
    if (body.has_more === true && typeof body.next_cursor === 'string') {
      return { records, nextCursor: encode({ v: 1, since: cursor.since, seen, next: body.next_cursor }), done: false };
    }
    return { records, nextCursor: encode({ v: 1, since: seen ?? cursor.since }), done: true };
  }

  async fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult> {
    this.checkEntity(request.entity);
    const found = new Map<string, ProviderRecord>();
    const queue = [...new Set(request.ids)];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const record = await this.fetchOne(id, request.signal);
        if (record) found.set(id, record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, worker));
    return {
      records: request.ids.filter((id) => found.has(id)).map((id) => found.get(id)!),
      missingIds: request.ids.filter((id) => !found.has(id)),
    };
  }

  async push(request: PushRequest): Promise<PushOutcome[]> {
    this.checkEntity(request.entity);
    return pushUntilStopped(request.operations, (operation) => this.pushOne(operation, request.signal));
  }

  private async pushOne(operation: PushOperation, signal?: AbortSignal): Promise<ProviderRecord> {
    if (operation.kind === 'create') {
      const properties = toPropertyInputs(operation.data, await this.loadSchema(signal));
      const { body } = await this.http.request<Json>({
        operation: 'pages.create',
        method: 'POST',
        path: '/v1/pages',
        json: { parent: { type: 'data_source_id', data_source_id: this.dataSourceId }, properties },
        signal,
      });
      return pageRecord(body);
    }
    if (operation.expectedVersion !== undefined) {
      // No If-Match in Notion: compare last_edited_time (minute precision) just before writing.
      const current = await this.fetchOne(operation.id, signal);
      if (!current)
        throw new AppError('not_found', `Notion page ${operation.id} does not exist`, { target: operation.id });
      if (current.version !== operation.expectedVersion)
        throw new AppError('conflict', `Notion page changed since version ${operation.expectedVersion}`, {
          target: operation.id,
          details: { currentVersion: current.version },
        });
    }
    const json =
      operation.kind === 'delete'
        ? { in_trash: true }
        : { properties: toPropertyInputs(operation.data, await this.loadSchema(signal)) };
    const { body } = await this.http.request<Json>({
      operation: operation.kind === 'delete' ? 'pages.trash' : 'pages.update',
      method: 'PATCH',
      path: `/v1/pages/${encodeURIComponent(operation.id)}`,
      json,
      signal,
    });
    return pageRecord(body);
  }

  private async fetchOne(id: string, signal?: AbortSignal): Promise<ProviderRecord | undefined> {
    try {
      const { body } = await this.http.request<Json>({
        operation: 'pages.get',
        path: `/v1/pages/${encodeURIComponent(id)}`,
        signal,
      });
      const parent = (body.parent ?? {}) as Json;
      // A page id from another data source is not one of ours.
      if (typeof parent.data_source_id === 'string' && compact(parent.data_source_id) !== compact(this.dataSourceId))
        return undefined;
      return pageRecord(body);
    } catch (error) {
      if (toAppError(error).code === 'not_found') return undefined;
      throw error;
    }
  }

  private async loadSchema(signal?: AbortSignal, fresh = false): Promise<NotionSchema> {
    if (this.schema && !fresh) return this.schema;
    const { body } = await this.http.request<Json>({
      operation: 'data_sources.retrieve',
      path: `/v1/data_sources/${this.dataSourceId}`,
      signal,
    });
    const schema: NotionSchema = {};
    for (const [name, property] of Object.entries((body.properties ?? {}) as Record<string, Json>))
      schema[name] = { id: String(property.id), type: String(property.type) };
    this.schema = schema;
    return schema;
  }

  private checkEntity(entity: string): void {
    if (entity !== PAGES)
      throw new AppError('validation', `Notion has no entity "${entity}" (have: ${PAGES})`, { target: 'entity' });
  }
}
