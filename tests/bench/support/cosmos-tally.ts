/**
 * What the benchmarks' Cosmos stand-in was asked to do, per container: documents written (with their size, indexed
 * terms and, for a replace, the terms that changed), point reads and queries (with the documents they returned), and
 * the documents created with their own `ttl` (what they keep in store: size × ttl), and
 * the request units Azure Cosmos DB would charge for them (tools/capacity/cosmos-charge.ts; the stand-in itself
 * answers 1 RU for everything). Installed in the process that runs cosmosdb-server, before the server builds its
 * routes: it wraps the server's own handlers and its body reader, and changes no answer.
 */
import { dirname, join } from 'node:path';
import {
  createCharge,
  deleteCharge,
  patchCharge,
  pointReadCharge,
  queryCharge,
  replaceCharge,
} from '../../../tools/capacity/cosmos-charge';
import { changedTermCount, indexedTermCount } from '../../../tools/capacity/indexed-terms';

export interface ContainerTally {
  requests: number;
  writes: number;
  creates: number;
  writeBytes: number;
  indexedTerms: number;
  writeRu: number;
  failedWrites: number;
  /** Documents created with a per-item `ttl` (seconds), and the sum of their size × ttl. */
  ttlCreates: number;
  ttlByteSeconds: number;
  pointReads: number;
  readRu: number;
  queries: number;
  queryRu: number;
}

export type CosmosTally = Record<string, ContainerTally>;

type Doc = Record<string, unknown>;
type Request = { method?: string; url?: string; headers: Record<string, string | string[] | undefined> };
type Params = { dbId: string; collId: string; docId?: string };
interface Collection {
  document(id: string, partitionKey: unknown): { read(): Doc | undefined };
}
interface Account {
  database(id: string): { collection(id: string): Collection };
}
type Handler = (account: Account, req: Request, res: unknown, params: Params) => Promise<unknown>;
type Operation = {
  operationType?: string;
  id?: string;
  partitionKey?: string;
  resourceBody?: Doc & { operations?: unknown[] };
};

/** What the wrapped body reader found before the handler applied the request: the documents it will change. */
interface Pending {
  collection: Collection;
  body?: unknown;
  before: Array<Doc | undefined>;
}
const pendingOf = new WeakMap<Request, Pending>();

const tally: CosmosTally = {};
const emptyTally = (): ContainerTally => ({
  requests: 0,
  writes: 0,
  creates: 0,
  writeBytes: 0,
  indexedTerms: 0,
  writeRu: 0,
  failedWrites: 0,
  ttlCreates: 0,
  ttlByteSeconds: 0,
  pointReads: 0,
  readRu: 0,
  queries: 0,
  queryRu: 0,
});
const of = (container: string) => (tally[container] ??= emptyTally());

/** The stored size Cosmos would see: the document without the stand-in's system properties. */
function bytesOf(doc: unknown): number {
  if (!doc || typeof doc !== 'object') return 0;
  const { _rid, _self, _etag, _ts, _attachments, ...own } = doc as Doc;
  void [_rid, _self, _etag, _ts, _attachments];
  return Buffer.byteLength(JSON.stringify(own));
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function recordWrite(container: string, kind: string, before: Doc | undefined, after: Doc | undefined, ops = 0): void {
  const t = of(container);
  t.writes++;
  if (kind === 'delete') {
    t.writeRu += deleteCharge(bytesOf(before), indexedTermCount(before));
    return;
  }
  const bytes = bytesOf(after);
  const terms = indexedTermCount(after);
  t.writeBytes += bytes;
  t.indexedTerms += terms;
  if (!before) {
    t.creates++;
    t.writeRu += createCharge(bytes, terms);
    // A per-item ttl (-1: never) says how long the new document stays: the storage it holds at a steady rate.
    const ttl = after?.ttl;
    if (typeof ttl === 'number' && ttl > 0) {
      t.ttlCreates++;
      t.ttlByteSeconds += bytes * ttl;
    }
  } else if (kind === 'patch') t.writeRu += patchCharge(bytes, changedTermCount(before, after), ops);
  else t.writeRu += replaceCharge(bytes, changedTermCount(before, after));
}

export function cosmosTally(): CosmosTally {
  return structuredClone(tally);
}

/** Installs the tally; must run before @vercel/cosmosdb-server builds its route table. False if the server changed. */
export function installCosmosTally(): boolean {
  // The server's own module instances, found from its folder at run time (the handlers are looked up through them).
  const serverDir = dirname(require.resolve('@vercel/cosmosdb-server'));
  const load = (name: string) => require(join(serverDir, name)) as { default: Handler };
  const json = require(join(serverDir, 'json')) as { default: (req: Request) => Promise<unknown> };
  const partitions = require(join(serverDir, 'utils', 'get-partition-from-header')) as {
    parsePartitionKey(value: string, fallback: unknown): unknown;
  };
  const readJson = json.default;
  if (typeof readJson !== 'function' || typeof partitions.parsePartitionKey !== 'function') return false;
  const find = (pending: Pending, id: string | undefined, partitionKey: string | undefined) =>
    id === undefined
      ? undefined
      : pending.collection.document(id, partitions.parsePartitionKey(partitionKey ?? '[]', id)).read();

  // The body is read inside each handler, before the request is applied: the moment to look up what it replaces.
  json.default = async (req) => {
    const body = await readJson(req);
    const pending = pendingOf.get(req);
    if (pending) {
      pending.body = body;
      if (Array.isArray(body))
        pending.before = (body as Operation[]).map((op) =>
          op.operationType === 'Create' || op.operationType === 'Read'
            ? undefined
            : find(pending, op.id ?? (op.resourceBody?.id as string | undefined), op.partitionKey),
        );
      else if (body && typeof body === 'object' && 'id' in body)
        pending.before = [find(pending, (body as Doc).id as string, header(req, 'x-ms-documentdb-partitionkey'))];
    }
    return body;
  };

  const wrap = (name: string, after: (container: string, req: Request, pending: Pending, result: unknown) => void) => {
    const module = load(name);
    const original = module.default;
    if (typeof original !== 'function') return false;
    module.default = async (account, req, res, params) => {
      const collection = account.database(params.dbId).collection(params.collId);
      const pending: Pending = { collection, before: [] };
      if (params.docId !== undefined)
        pending.before = [find(pending, params.docId, header(req, 'x-ms-documentdb-partitionkey'))];
      pendingOf.set(req, pending);
      const result = await original(account, req, res, params);
      of(params.collId).requests++;
      const status = (res as { statusCode?: number }).statusCode ?? 200;
      if (status < 300) after(params.collId, req, pending, result);
      else if (req.method !== 'GET') of(params.collId).failedWrites++;
      return result;
    };
    return true;
  };

  const single = (kind: string) => (container: string, _req: Request, pending: Pending, result: unknown) =>
    recordWrite(container, kind, pending.before[0], result as Doc);
  return [
    wrap('handler/create-document', single('create')),
    wrap('handler/upsert-document', single('upsert')),
    wrap('handler/replace-document', single('replace')),
    wrap('handler/delete-document', (container, _req, pending) =>
      recordWrite(container, 'delete', pending.before[0], undefined),
    ),
    wrap('handler/patch-document', (container, req, pending) => {
      const after = find(
        pending,
        (pending.before[0]?.id as string) ?? undefined,
        header(req, 'x-ms-documentdb-partitionkey'),
      );
      const body = pending.body as unknown[] | { operations?: unknown[] } | undefined;
      const ops = Array.isArray(body) ? body.length : (body?.operations?.length ?? 0);
      recordWrite(container, 'patch', pending.before[0], after, ops);
    }),
    wrap('handler/read-document', (container, _req, _pending, result) => {
      const t = of(container);
      t.pointReads++;
      t.readRu += pointReadCharge(bytesOf(result));
    }),
    wrap('handler/query-documents', (container, _req, _pending, result) => {
      const t = of(container);
      t.queries++;
      const documents = (result as { Documents?: unknown[] } | undefined)?.Documents ?? [];
      t.queryRu += queryCharge(documents.map(bytesOf));
    }),
    wrap('handler/batch-documents', (container, _req, pending, result) => {
      const operations = (pending.body as Operation[] | undefined) ?? [];
      const results = (result as Array<{ statusCode?: number; resourceBody?: Doc }> | undefined) ?? [];
      operations.forEach((op, i) => {
        const status = results[i]?.statusCode ?? 500;
        if (status >= 300) {
          if (op.operationType !== 'Read') of(container).failedWrites++;
          return;
        }
        const before = pending.before[i];
        switch (op.operationType) {
          case 'Read': {
            const t = of(container);
            t.pointReads++;
            t.readRu += pointReadCharge(bytesOf(results[i]?.resourceBody ?? before));
            return;
          }
          case 'Delete':
            return recordWrite(container, 'delete', before, undefined);
          case 'Patch': {
            const after = find(pending, op.id, op.partitionKey);
            return recordWrite(container, 'patch', before, after, op.resourceBody?.operations?.length ?? 0);
          }
          default:
            return recordWrite(container, (op.operationType ?? 'upsert').toLowerCase(), before, op.resourceBody);
        }
      });
    }),
  ].every(Boolean);
}

/** Per-container difference of two readings. */
export function tallySince(before: CosmosTally, after: CosmosTally): CosmosTally {
  const delta: CosmosTally = {};
  for (const [container, now] of Object.entries(after)) {
    const then = before[container] ?? emptyTally();
    const d = emptyTally();
    for (const key of Object.keys(d) as Array<keyof ContainerTally>) d[key] = now[key] - then[key];
    if (d.requests > 0) delta[container] = d;
  }
  return delta;
}
