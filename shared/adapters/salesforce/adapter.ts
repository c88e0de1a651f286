/**
 * The Salesforce adapter: Account, Contact and Opportunity over the REST API. Reads are SOQL ordered by
 * (SystemModstamp, Id) with a keyset cursor, so a page is exactly `pageSize` records and a cursor never expires;
 * incremental reads use /queryAll so deletions arrive as rows with IsDeleted = true. Writes are sObject
 * create / PATCH / DELETE, one outcome per operation.
 */
import { AppError, isAppError, toAppError } from '../../core/app-error';
import type {
  AccountIdentity,
  AdapterContext,
  Catalog,
  EntityDescriptor,
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
import { createProviderHttpClient, type ProviderHttpClient } from '../http';
import { decodeCursor, encodeCursor, type SalesforceCursor } from './cursor';
import { describeToEntity, type DescribeResult } from './describe';
import { SALESFORCE_FACTS, SALESFORCE_ID, isSalesforceEntity, toIsoUtc, type SalesforceEntity } from './facts';
import { SALESFORCE_PROFILE } from './http-profile';
import { fetchEach, pushEach } from '../batch';

interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

const soqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class SalesforceAdapter implements ProviderAdapter {
  readonly provider = 'salesforce' as const;
  private readonly http: ProviderHttpClient;
  private readonly dataPath: string;
  private readonly describes = new Map<SalesforceEntity, Promise<DescribeResult>>();

  constructor(private readonly context: AdapterContext) {
    this.http = createProviderHttpClient(context, SALESFORCE_PROFILE);
    const version =
      typeof context.options.apiVersion === 'string' ? context.options.apiVersion : SALESFORCE_FACTS.defaultApiVersion;
    this.dataPath = SALESFORCE_FACTS.paths.data(version);
  }

  async connect(signal?: AbortSignal): Promise<AccountIdentity> {
    const { body } = await this.http.request<Record<string, unknown>>({
      operation: 'userinfo',
      path: SALESFORCE_FACTS.paths.userinfo,
      signal,
    });
    const orgId = typeof body?.organization_id === 'string' ? body.organization_id : undefined;
    if (!orgId)
      throw new AppError('validation', 'Salesforce userinfo did not name an organization', {
        target: 'organization_id',
      });
    return {
      accountId: orgId,
      displayName: typeof body.name === 'string' ? body.name : undefined,
      details: { userId: body.user_id, username: body.preferred_username },
    };
  }

  /** Tokens are revoked by the credential service, which holds them; the adapter keeps no connection state. */
  async disconnect(): Promise<void> {
    this.describes.clear();
  }

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const started = Date.now();
    try {
      const { rateLimit } = await this.http.request({ operation: 'limits', path: `${this.dataPath}/limits`, signal });
      return { ok: true, latencyMs: Date.now() - started, rateLimit };
    } catch (error) {
      return { ok: false, latencyMs: Date.now() - started, message: toAppError(error).message };
    }
  }

  async discover(signal?: AbortSignal): Promise<Catalog> {
    const entities: EntityDescriptor[] = [];
    for (const entity of SALESFORCE_FACTS.entities)
      entities.push(describeToEntity(await this.describe(entity, signal)));
    return { provider: 'salesforce', entities };
  }

  async fetchChanges(request: FetchChangesRequest): Promise<FetchPage> {
    const entity = this.entity(request.entity);
    // A backfill: the keyset starts at the date (an empty id: every record at that very instant is included).
    const cursor: SalesforceCursor =
      !request.cursor && request.since
        ? { v: 1, mode: 'incremental', after: { stamp: new Date(request.since).toISOString(), id: '' } }
        : decodeCursor(request.cursor);
    const limit = Math.max(1, Math.min(request.pageSize, SALESFORCE_FACTS.maxBatchSize));
    let result: QueryResult | undefined;
    if (cursor.next) {
      try {
        result = (
          await this.http.request<QueryResult>({ operation: 'query.more', path: cursor.next, signal: request.signal })
        ).body;
      } catch (error) {
        // An expired query locator (INVALID_QUERY_LOCATOR) is not fatal: the keyset knows where we were.
        if (!isAppError(error) || error.details?.providerCode !== 'INVALID_QUERY_LOCATOR') throw error;
      }
    }
    if (!result) {
      const soql = await this.keysetQuery(entity, cursor, limit, request.signal);
      const resource = cursor.mode === 'incremental' ? 'queryAll' : 'query';
      result = (
        await this.http.request<QueryResult>({
          operation: resource,
          path: `${this.dataPath}/${resource}`,
          query: { q: soql },
          signal: request.signal,
        })
      ).body;
    }
    const records = (result.records ?? []).map((row) => this.toRecord(entity, row));
    const last = records[records.length - 1];
    const after = last ? { stamp: toIsoUtc(last.data.SystemModstamp) ?? '', id: last.id } : cursor.after;
    // A full LIMIT means more may follow; a short batch with done = true is the end of the read.
    const finished = result.done && !cursor.next && records.length < limit;
    const next: SalesforceCursor = finished
      ? { v: 1, mode: 'incremental', after }
      : { v: 1, mode: cursor.mode, after, next: result.done ? undefined : result.nextRecordsUrl };
    return { records, nextCursor: encodeCursor(next), done: finished };
  }

  async fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult> {
    const entity = this.entity(request.entity);
    const valid = [...new Set(request.ids.filter((id) => SALESFORCE_ID.test(id)))];
    const found = new Map<string, ProviderRecord>();
    const fields = (await this.fields(entity, request.signal)).join(', ');
    for (let i = 0; i < valid.length; i += SALESFORCE_FACTS.idsPerQuery) {
      const chunk = valid.slice(i, i + SALESFORCE_FACTS.idsPerQuery);
      const q = `SELECT ${fields} FROM ${entity} WHERE Id IN (${chunk.map(soqlString).join(', ')})`;
      let result = (
        await this.http.request<QueryResult>({
          operation: 'query',
          path: `${this.dataPath}/query`,
          query: { q },
          signal: request.signal,
        })
      ).body;
      for (;;) {
        for (const row of result.records ?? []) found.set(String(row.Id), this.toRecord(entity, row));
        if (result.done || !result.nextRecordsUrl) break;
        result = (
          await this.http.request<QueryResult>({
            operation: 'query.more',
            path: result.nextRecordsUrl,
            signal: request.signal,
          })
        ).body;
      }
    }
    // Salesforce may answer with the 18-character form of a 15-character id.
    const byShort = new Map([...found.values()].map((record) => [record.id.slice(0, 15), record]));
    return fetchEach(request.ids, async (id) => found.get(id) ?? (id.length === 15 ? byShort.get(id) : undefined));
  }

  async push(request: PushRequest): Promise<PushOutcome[]> {
    const entity = this.entity(request.entity);
    return pushEach(request.operations, (operation) => this.pushOne(entity, operation, request.signal));
  }

  private async pushOne(
    entity: SalesforceEntity,
    operation: PushOperation,
    signal?: AbortSignal,
  ): Promise<PushOutcome> {
    const base = `${this.dataPath}/sobjects/${entity}`;
    try {
      if (operation.kind === 'create') {
        const { body } = await this.http.request<{ id?: string; success?: boolean }>({
          operation: 'sobject.create',
          method: 'POST',
          path: `${base}/`,
          json: operation.data,
          signal,
        });
        if (!body?.id || body.success === false)
          throw new AppError('transient', 'Salesforce create answered without an id', { target: entity });
        return {
          idempotencyKey: operation.idempotencyKey,
          ok: true,
          id: body.id,
          version: await this.currentStamp(base, body.id, signal),
        };
      }
      if (!SALESFORCE_ID.test(operation.id))
        throw new AppError('not_found', `no ${entity} with id ${operation.id}`, { target: 'id' });
      // The REST API has no compare-and-set on SystemModstamp: check it right before writing (a narrow race remains).
      if (operation.expectedVersion !== undefined) {
        const current = await this.currentStamp(base, operation.id, signal).catch((error: unknown) => {
          if (operation.kind === 'delete' && isAppError(error) && error.code === 'not_found') return undefined;
          throw error;
        });
        if (current !== undefined && toIsoUtc(current) !== toIsoUtc(operation.expectedVersion)) {
          throw new AppError(
            'conflict',
            `${entity} ${operation.id} changed since version ${operation.expectedVersion}`,
            { target: operation.id, details: { currentVersion: current } },
          );
        }
      }
      if (operation.kind === 'update') {
        await this.http.request({
          operation: 'sobject.update',
          method: 'PATCH',
          path: `${base}/${operation.id}`,
          json: operation.data,
          signal,
        });
        return {
          idempotencyKey: operation.idempotencyKey,
          ok: true,
          id: operation.id,
          version: await this.currentStamp(base, operation.id, signal),
        };
      }
      try {
        await this.http.request({
          operation: 'sobject.delete',
          method: 'DELETE',
          path: `${base}/${operation.id}`,
          signal,
        });
      } catch (error) {
        // Deleting twice is the same end state: a redelivered delete must not fail.
        if (!isAppError(error) || error.code !== 'not_found') throw error;
      }
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

  private async currentStamp(base: string, id: string, signal?: AbortSignal): Promise<string | undefined> {
    const { body } = await this.http.request<Record<string, unknown>>({
      operation: 'sobject.get',
      path: `${base}/${id}`,
      query: { fields: 'SystemModstamp' },
      signal,
    });
    return typeof body?.SystemModstamp === 'string' ? body.SystemModstamp : undefined;
  }

  private async keysetQuery(
    entity: SalesforceEntity,
    cursor: SalesforceCursor,
    limit: number,
    signal?: AbortSignal,
  ): Promise<string> {
    const fields = (await this.fields(entity, signal)).join(', ');
    const where = cursor.after
      ? ` WHERE SystemModstamp > ${cursor.after.stamp} OR (SystemModstamp = ${cursor.after.stamp} AND Id > ${soqlString(cursor.after.id)})`
      : '';
    return `SELECT ${fields} FROM ${entity}${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${limit}`;
  }

  private toRecord(entity: SalesforceEntity, row: Record<string, unknown>): ProviderRecord {
    const { attributes: _attributes, ...data } = row;
    const stamp = typeof data.SystemModstamp === 'string' ? data.SystemModstamp : undefined;
    return {
      id: String(data.Id),
      entity,
      version: stamp,
      modifiedAt: toIsoUtc(stamp),
      deleted: data.IsDeleted === true,
      data,
    };
  }

  private entity(name: string): SalesforceEntity {
    if (!isSalesforceEntity(name))
      throw new AppError('validation', `Salesforce adapter does not sync entity '${name}'`, { target: 'entity' });
    return name;
  }

  private describe(entity: SalesforceEntity, signal?: AbortSignal): Promise<DescribeResult> {
    let pending = this.describes.get(entity);
    if (!pending) {
      pending = this.http
        .request<DescribeResult>({
          operation: 'sobject.describe',
          path: `${this.dataPath}/sobjects/${entity}/describe`,
          signal,
        })
        .then((r) => r.body);
      pending.catch(() => this.describes.delete(entity));
      this.describes.set(entity, pending);
    }
    return pending;
  }

  /** Describe's scalar fields; compound address/location fields cannot be selected together with their parts. */
  private async fields(entity: SalesforceEntity, signal?: AbortSignal): Promise<string[]> {
    const names = (await this.describe(entity, signal)).fields
      .filter((f) => f.type !== 'address' && f.type !== 'location')
      .map((f) => f.name);
    for (const required of SALESFORCE_FACTS.systemFields) if (!names.includes(required)) names.push(required);
    return names;
  }
}
