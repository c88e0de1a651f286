/**
 * The Google sandbox's Drive: seeded files computed from their index, changes in a lazy overlay, and the change
 * log behind changes.list. Like Drive, the log reports only the latest change of each file, a trashed file as a
 * change with trashed = true, and a permanently deleted one as removed = true without a file resource.
 */
import { LazyRecordStore } from '../common/lazy-store';
import { intBetween, pick, seededRandom, sentence } from '../common/seeded';

export type DriveFile = Record<string, unknown> & {
  id: string;
  name: string;
  modifiedTime: string;
  version: string;
  trashed: boolean;
  removed?: boolean;
};
export interface DriveChange {
  changeId: number;
  fileId: string;
  time: string;
  removed: boolean;
}

const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);
const SEED_STEP_MS = 10_000;
const ID_PREFIX = '1sbx';
const ID_WIDTH = 10;
const MIME_TYPES = [
  'application/vnd.google-apps.document',
  'application/vnd.google-apps.spreadsheet',
  'application/pdf',
  'image/png',
  'text/plain',
];

export const fileId = (index: number): string => ID_PREFIX + index.toString(36).padStart(ID_WIDTH, '0');

function indexOfFile(id: string): number | undefined {
  if (
    !id.startsWith(ID_PREFIX) ||
    id.length !== ID_PREFIX.length + ID_WIDTH ||
    !/^[0-9a-z]+$/.test(id.slice(ID_PREFIX.length))
  )
    return undefined;
  return Number.parseInt(id.slice(ID_PREFIX.length), 36);
}

export class DriveStore {
  readonly store: LazyRecordStore<DriveFile>;
  private readonly log: DriveChange[] = [];
  private readonly latestChange = new Map<string, number>();
  private nextIndex: number;
  private lastStampMs = 0;

  constructor(
    baseCount: number,
    seed: number,
    private readonly onChange: (change: DriveChange) => void,
  ) {
    this.nextIndex = baseCount;
    this.store = new LazyRecordStore<DriveFile>({
      baseCount,
      generate: (index) => generateFile(index, seed),
      indexOf: indexOfFile,
      idOf: (file) => file.id,
      modifiedMsOf: (file) => Date.parse(file.modifiedTime),
      baseModifiedMs: (index) => SEED_EPOCH_MS + index * SEED_STEP_MS,
    });
  }

  /** The page token of the next change to happen. */
  get startPageToken(): string {
    return String(this.log.length + 1);
  }

  /** A file unless it was permanently deleted (trashed files are still files). */
  get(id: string): DriveFile | undefined {
    const file = this.store.get(id);
    return file && !file.removed ? file : undefined;
  }

  count(): number {
    let gone = 0;
    for (const change of this.log)
      if (change.removed && this.latestChange.get(change.fileId) === change.changeId) gone += 1;
    return this.store.count() - gone;
  }

  /** Changes from token on, latest per file only, at most `limit`; next token or the new start token. */
  changes(
    fromToken: number,
    limit: number,
  ): { changes: { change: DriveChange; file?: DriveFile }[]; nextPageToken?: string; newStartPageToken?: string } {
    const out: { change: DriveChange; file?: DriveFile }[] = [];
    let index = Math.max(0, fromToken - 1);
    for (; index < this.log.length && out.length < limit; index += 1) {
      const change = this.log[index]!;
      if (this.latestChange.get(change.fileId) !== change.changeId) continue;
      out.push({ change, file: change.removed ? undefined : this.get(change.fileId) });
    }
    return index < this.log.length
      ? { changes: out, nextPageToken: String(index + 1) }
      : { changes: out, newStartPageToken: this.startPageToken };
  }

  create(fields: Record<string, unknown>): DriveFile {
    const ms = this.stamp();
    const file: DriveFile = {
      kind: 'drive#file',
      mimeType: 'application/octet-stream',
      ...fields,
      name: typeof fields.name === 'string' ? fields.name : 'Untitled',
      id: fileId(this.nextIndex++),
      createdTime: new Date(ms).toISOString(),
      modifiedTime: new Date(ms).toISOString(),
      version: '1',
      trashed: fields.trashed === true,
      parents: ['root'],
    };
    return this.save(file, false);
  }

  update(id: string, fields: Record<string, unknown>): DriveFile | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const ms = this.stamp();
    return this.save(
      {
        ...current,
        ...fields,
        id,
        modifiedTime: new Date(ms).toISOString(),
        version: String(Number(current.version) + 1),
      },
      false,
    );
  }

  remove(id: string): boolean {
    const current = this.get(id);
    if (!current) return false;
    const ms = this.stamp();
    this.save({ ...current, modifiedTime: new Date(ms).toISOString(), removed: true }, true);
    return true;
  }

  private save(file: DriveFile, removed: boolean): DriveFile {
    this.store.put(file);
    const change: DriveChange = { changeId: this.log.length + 1, fileId: file.id, time: file.modifiedTime, removed };
    this.log.push(change);
    this.latestChange.set(file.id, change.changeId);
    this.onChange(change);
    return file;
  }

  private stamp(): number {
    this.lastStampMs = Math.max(Date.now(), this.store.minimumChangeMs, this.lastStampMs + 1);
    return this.lastStampMs;
  }
}

function generateFile(index: number, seed: number): DriveFile {
  const random = seededRandom(seed, index, 71);
  const modifiedMs = SEED_EPOCH_MS + index * SEED_STEP_MS;
  const mimeType = pick(random, MIME_TYPES);
  return {
    kind: 'drive#file',
    id: fileId(index),
    name: `${sentence(random, 1, 4)}${mimeType === 'application/pdf' ? '.pdf' : mimeType === 'image/png' ? '.png' : ''}`,
    mimeType,
    trashed: false,
    createdTime: new Date(modifiedMs - intBetween(random, 0, 200) * 86_400_000).toISOString(),
    modifiedTime: new Date(modifiedMs).toISOString(),
    version: String(intBetween(random, 1, 40)),
    parents: ['root'],
  };
}
