/**
 * Where `npm start` keeps its data between runs: under LOCAL_DATA_DIR (`.local/` by default) in `data/`, one
 * folder or file per embedded service. `--fresh` deletes them (and the local secret store, whose credentials
 * belong to the integrations that go with them) before anything starts; the admin API key and the local
 * secrets key stay, so a signed-in browser keeps working.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { QueueJournal } from '../../shared/stores/queue/queue-journal';

export interface LocalDataLayout {
  /** cosmosdb-server's write-ahead log and snapshots. */
  cosmos: string;
  /** Azurite's --location. */
  azurite: string;
  /** The embedded queue's journal. */
  queueJournal: string;
}

export function localDataLayout(localDataDir: string): LocalDataLayout {
  const data = join(localDataDir, 'data');
  return { cosmos: join(data, 'cosmos'), azurite: join(data, 'azurite'), queueJournal: join(data, 'queue.journal') };
}

/** Deletes what a previous run kept; the admin key and the secrets key stay. */
export function clearLocalData(localDataDir: string): void {
  rmSync(join(localDataDir, 'data'), { recursive: true, force: true });
  rmSync(join(localDataDir, 'secrets.enc'), { force: true });
}

export function openQueueJournal(layout: LocalDataLayout): QueueJournal {
  return new QueueJournal({ file: layout.queueJournal });
}

/** `npm start -- --fresh` (or `--fresh` to the built entry). */
export function wantsFresh(argv: readonly string[]): boolean {
  return argv.includes('--fresh');
}
