/**
 * Persistence for the local Cosmos stand-in (cosmosdb-server keeps everything in memory): every database,
 * container and document write is appended to a write-ahead log in the same synchronous step that stores it,
 * so before the server answers; a snapshot (the log compacted) is written at start and at a clean stop, and
 * whenever the log has grown past a size. Start-up loads the snapshot and replays the logs after it.
 *
 * What a crash loses: a kill -9 of the process loses nothing the server had answered (the log line is handed to
 * the kernel before the answer); a power loss or kernel crash can lose what the kernel had not yet flushed to
 * disk (the log is not fsynced per write; snapshots are). Documents keep their _rid, _etag and _ts, so ETag
 * claims and the changed-shard scan (which compares _ts) behave after a restart as before it.
 *
 * Files in `dir`: `cosmos.snapshot` (JSON lines, header `{"v":1,"gen":g}`: everything logged before log g),
 * `cosmos.wal.<gen>` (JSON lines: sets and deletes). Log rotation happens before the snapshot is written, so a
 * crash while writing it leaves the previous snapshot and every log it needs.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync } from 'node:fs';
import { rmSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** The server's in-memory collections (`lib/account/items.js`): only what persistence touches. */
interface Resource {
  read(): Record<string, unknown>;
}
interface ItemsLike<T extends Resource = Resource> {
  constructor: { name: string };
  _parent: { read(): { _rid?: string } | undefined };
  _data: Map<string, T>;
  _ridCount: number;
  _set(data: Record<string, unknown>): unknown;
  _toRid(keyPath: string, idOrRid: string, partition: unknown): string;
  delete(idOrRid: string, partition?: unknown): void;
}
interface DatabaseLike extends Resource {
  collections: ItemsLike<Resource & { documents: ItemsLike }>;
}
interface AccountLike {
  databases: ItemsLike<DatabaseLike>;
}

/** One log line: a stored resource (`d`) or a deleted one (`x`, its _rid), under its parent's _rid. */
interface LogRecord {
  k: 'Databases' | 'Collections' | 'Documents';
  p: string;
  n?: number;
  d?: Record<string, unknown>;
  x?: string;
}

const PERSISTED = new Set(['Databases', 'Collections', 'Documents']);
const ACCOUNT_PARENT = 'account';
/** Past this size the log is folded into a new snapshot. */
const DEFAULT_MAX_LOG_BYTES = 64 * 1024 * 1024;

let sink: ((record: LogRecord) => void) | undefined;
let replaying = false;
let lastAccount: AccountLike | undefined;

function serverModule<T>(relative: string): T {
  const serverDir = dirname(require.resolve('@vercel/cosmosdb-server'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server's own module instances, found from its folder at run time
  return require(join(serverDir, relative)) as T;
}

function parentKey(items: ItemsLike): string {
  return items.constructor.name === 'Databases' ? ACCOUNT_PARENT : String(items._parent.read()?._rid ?? '');
}

/**
 * Hooks the server's store once per process (before its server starts listening): writes go to the current
 * sink, and the account the server creates is remembered. False when the server's internals changed.
 */
function hookServer(): boolean {
  const items = serverModule<{ default: { prototype: ItemsLike & { persisted?: boolean } } }>('account/items').default
    .prototype;
  const account = serverModule<{ default: new (...args: unknown[]) => AccountLike }>('account');
  if (typeof items._set !== 'function' || typeof items.delete !== 'function' || typeof account.default !== 'function')
    return false;
  if (items.persisted) return true;
  const set = items._set;
  const remove = items.delete;
  items._set = function (this: ItemsLike, data: Record<string, unknown>) {
    const stored = set.call(this, data);
    const kind = this.constructor.name;
    if (sink && !replaying && PERSISTED.has(kind))
      sink({ k: kind as LogRecord['k'], p: parentKey(this), n: this._ridCount, d: data });
    return stored;
  };
  items.delete = function (this: ItemsLike, idOrRid: string, partition?: unknown) {
    const kind = this.constructor.name;
    // The stored resource's _rid, read before it goes: replay deletes by _rid, whatever its partition.
    const rid =
      sink && !replaying && PERSISTED.has(kind)
        ? (this._data.get(this._toRid('/id', idOrRid, partition))?.read()._rid as string | undefined)
        : undefined;
    remove.call(this, idOrRid, partition);
    if (rid) sink!({ k: kind as LogRecord['k'], p: parentKey(this), x: rid });
  };
  items.persisted = true;
  const Account = account.default;
  account.default = class extends (Account as new (...args: unknown[]) => object) {
    constructor(...args: unknown[]) {
      super(...args);
      lastAccount = this as unknown as AccountLike;
    }
  } as unknown as typeof Account;
  return true;
}

/** The Items of a record's parent in the account, or undefined when the parent is gone. */
function itemsFor(account: AccountLike, record: LogRecord): ItemsLike | undefined {
  if (record.k === 'Databases') return account.databases;
  if (record.k === 'Collections') return account.databases._data.get(record.p)?.collections;
  for (const database of account.databases._data.values()) {
    const collection = database.collections._data.get(record.p);
    if (collection) return collection.documents;
  }
  return undefined;
}

function apply(account: AccountLike, record: LogRecord): void {
  const items = itemsFor(account, record);
  if (!items) return;
  if (record.x) {
    if (items._data.has(record.x)) items.delete(record.x, undefined);
    return;
  }
  items._set(record.d!);
  items._ridCount = Math.max(items._ridCount, record.n ?? 0);
}

/** Every stored resource as set records, parents first: captured at once, written later (stored objects are never changed in place). */
function capture(account: AccountLike): LogRecord[] {
  const records: LogRecord[] = [];
  const take = (items: ItemsLike<Resource>, kind: LogRecord['k']) => {
    for (const item of items._data.values())
      records.push({ k: kind, p: parentKey(items), n: items._ridCount, d: item.read() });
  };
  take(account.databases, 'Databases');
  for (const database of account.databases._data.values()) {
    take(database.collections, 'Collections');
    for (const collection of database.collections._data.values()) take(collection.documents, 'Documents');
  }
  return records;
}

async function readLines(file: string, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) onLine(line);
}

export interface CosmosPersistence {
  /** Folds the log into a new snapshot (a clean stop calls it last). */
  snapshot(): void;
  /** Writes the last snapshot and closes the log; later writes are not kept. */
  close(): void;
  /** Documents restored at start. */
  restored: number;
}

export interface CosmosPersistenceOptions {
  dir: string;
  maxLogBytes?: number;
}

/**
 * Hooks the server module before its server is created; then `attach` (after it listens) restores the files into
 * its account and starts logging. Throws when the server's internals are not what this expects.
 */
export function preparePersistence(): void {
  if (!hookServer()) throw new Error('cosmosdb-server: its store changed; local persistence cannot hook it');
}

export async function attachPersistence(options: CosmosPersistenceOptions): Promise<CosmosPersistence> {
  const account = lastAccount;
  if (!account) throw new Error('cosmosdb-server: no account to persist (call preparePersistence first, then listen)');
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const snapshotFile = join(dir, 'cosmos.snapshot');
  const logFile = (gen: number) => join(dir, `cosmos.wal.${gen}`);
  const logs = () =>
    readdirSync(dir)
      .map((name) => /^cosmos\.wal\.(\d+)$/.exec(name))
      .filter((match): match is RegExpExecArray => !!match)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);

  let gen = 0;
  let restored = 0;
  replaying = true;
  try {
    if (existsSync(snapshotFile))
      await readLines(snapshotFile, (line) => {
        const record = JSON.parse(line) as LogRecord & { v?: number; gen?: number };
        if (record.v) gen = record.gen ?? 0;
        else apply(account, record);
      });
    for (const logGen of logs().filter((g) => g >= gen))
      // A crash can cut the last line of a log short: that write was never answered.
      await readLines(logFile(logGen), (line) => {
        try {
          apply(account, JSON.parse(line) as LogRecord);
        } catch {
          /* a torn last line */
        }
      });
  } finally {
    replaying = false;
  }
  for (const database of account.databases._data.values())
    for (const collection of database.collections._data.values()) restored += collection.documents._data.size;

  let fd = -1;
  let logBytes = 0;
  const maxLogBytes = options.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES;
  const openLog = (next: number) => {
    if (fd >= 0) closeSync(fd);
    gen = next;
    fd = openSync(logFile(gen), 'a');
    logBytes = existsSync(logFile(gen)) ? statSync(logFile(gen)).size : 0;
  };
  const snapshot = () => {
    // Rotate first: writes from now on go to the new log, which the new snapshot does not include.
    const records = capture(account);
    openLog(Math.max(gen, ...logs()) + 1);
    const temp = `${snapshotFile}.tmp`;
    const out = openSync(temp, 'w');
    try {
      writeSync(out, JSON.stringify({ v: 1, gen }) + '\n');
      let chunk = '';
      for (const record of records) {
        chunk += JSON.stringify(record) + '\n';
        if (chunk.length > 1 << 20) {
          writeSync(out, chunk);
          chunk = '';
        }
      }
      writeSync(out, chunk);
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(temp, snapshotFile);
    for (const old of logs()) if (old < gen) rmSync(logFile(old), { force: true });
  };
  snapshot();
  sink = (record) => {
    const line = JSON.stringify(record) + '\n';
    writeSync(fd, line);
    logBytes += Buffer.byteLength(line);
    if (logBytes > maxLogBytes) snapshot();
  };
  return {
    restored,
    snapshot,
    close: () => {
      if (fd < 0) return;
      snapshot();
      sink = undefined;
      fsyncSync(fd);
      closeSync(fd);
      fd = -1;
    },
  };
}
