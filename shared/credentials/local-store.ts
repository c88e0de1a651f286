/**
 * Local secret store: the whole store is one file encrypted with AES-256-GCM (random 12-byte IV per write,
 * authenticated, so tampering or a wrong key is detected). The key comes from settings or, when absent, is
 * generated on first start into a key file with 0600 permissions. Writes are atomic (temp file, fsync,
 * rename) and serialised within the process. One writing process per file: several processes that share
 * secrets use Key Vault (or the stand-in) instead.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/app-error';
import {
  assertSecretName,
  assertTags,
  type SecretListItem,
  type SecretMetadata,
  type SecretStore,
  type SetSecretOptions,
  type StoredSecret,
} from './secret-store';

export interface LocalSecretStoreOptions {
  /** Path of the encrypted store file. */
  filePath: string;
  /** 32-byte key, base64. When absent, keyFilePath is read or created. */
  keyBase64?: string;
  keyFilePath?: string;
  /** Versions kept per secret (older ones are dropped). */
  maxVersions?: number;
}

interface VersionEntry {
  version: string;
  value: string;
  contentType?: string;
  tags: Record<string, string>;
  createdAt: string;
}

interface SecretEntry {
  createdAt: string;
  deletedAt?: string;
  versions: VersionEntry[];
}

type Contents = Record<string, SecretEntry>;

const FILE_FORMAT = 'ise-local-secrets-v1';
const AAD = Buffer.from(FILE_FORMAT);

export function parseKey(keyBase64: string, target: string): Buffer {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32)
    throw new AppError('configuration', 'the local secrets key must be 32 bytes, base64-encoded', { target });
  return key;
}

async function loadOrCreateKey(options: LocalSecretStoreOptions): Promise<Buffer> {
  if (options.keyBase64) return parseKey(options.keyBase64, 'keyBase64');
  const keyFile = options.keyFilePath;
  if (!keyFile)
    throw new AppError('configuration', 'the local secret store needs a key or a key file path', {
      target: 'keyFilePath',
    });
  try {
    return parseKey((await fs.readFile(keyFile, 'utf8')).trim(), keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // 'wx' fails if another process created the file meanwhile; then that key wins.
    await fs.writeFile(keyFile, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKey((await fs.readFile(keyFile, 'utf8')).trim(), keyFile);
  }
}

function encrypt(key: Buffer, contents: Contents): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final()]);
  return JSON.stringify({
    format: FILE_FORMAT,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  });
}

function decrypt(key: Buffer, text: string, filePath: string): Contents {
  try {
    const envelope = JSON.parse(text) as { format: string; iv: string; tag: string; data: string };
    if (envelope.format !== FILE_FORMAT) throw new Error('unknown format');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Contents;
  } catch (error) {
    throw new AppError('configuration', 'cannot decrypt the local secrets file: wrong key or the file was changed', {
      target: filePath,
      cause: error,
    });
  }
}

function metadataOf(name: string, entry: SecretEntry, version: VersionEntry): SecretMetadata {
  return {
    name,
    version: version.version,
    contentType: version.contentType,
    tags: { ...version.tags },
    createdAt: entry.createdAt,
    updatedAt: version.createdAt,
  };
}

export class LocalSecretStore implements SecretStore {
  readonly kind = 'local_file' as const;
  private contents?: Contents;
  private key?: Buffer;
  private loading?: Promise<void>;
  private writeChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LocalSecretStoreOptions) {}

  private async load(): Promise<Contents> {
    if (this.contents) return this.contents;
    this.loading ??= (async () => {
      const key = await loadOrCreateKey(this.options);
      let contents: Contents = {};
      try {
        contents = decrypt(key, await fs.readFile(this.options.filePath, 'utf8'), this.options.filePath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.key = key;
      this.contents = contents;
    })();
    await this.loading;
    return this.contents!;
  }

  private async persist(): Promise<void> {
    const { filePath } = this.options;
    await fs.mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
    const temp = `${filePath}.${process.pid}.${randomUUID()}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(encrypt(this.key!, this.contents!), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, filePath);
  }

  /** Runs a mutation after the previous one finished, then writes the file; memory rolls back on failure. */
  private mutate<T>(change: (contents: Contents) => T): Promise<T> {
    const run = this.writeChain.then(async () => {
      const contents = await this.load();
      const before = JSON.stringify(contents);
      const result = change(contents);
      try {
        await this.persist();
      } catch (error) {
        this.contents = JSON.parse(before) as Contents;
        throw new AppError('dependency_unavailable', 'cannot write the local secrets file', {
          target: this.options.filePath,
          cause: error,
        });
      }
      return result;
    });
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  async get(name: string, options: { version?: string } = {}): Promise<StoredSecret | undefined> {
    assertSecretName(name);
    const entry = (await this.load())[name];
    if (!entry || entry.deletedAt) return undefined;
    const version = options.version ? entry.versions.find((v) => v.version === options.version) : entry.versions.at(-1);
    return version ? { ...metadataOf(name, entry, version), value: version.value } : undefined;
  }

  async set(name: string, value: string, options: SetSecretOptions = {}): Promise<SecretMetadata> {
    assertSecretName(name);
    const tags = options.tags ?? {};
    assertTags(tags);
    const maxVersions = this.options.maxVersions ?? 10;
    return this.mutate((contents) => {
      const now = new Date().toISOString();
      const entry = contents[name] ?? { createdAt: now, versions: [] };
      // Like Key Vault with recover-on-set: a soft-deleted name comes back with its history.
      delete entry.deletedAt;
      const version: VersionEntry = {
        version: randomUUID().replace(/-/g, ''),
        value,
        contentType: options.contentType,
        tags: { ...tags },
        createdAt: now,
      };
      entry.versions.push(version);
      if (entry.versions.length > maxVersions) entry.versions.splice(0, entry.versions.length - maxVersions);
      contents[name] = entry;
      return metadataOf(name, entry, version);
    });
  }

  async delete(name: string): Promise<boolean> {
    assertSecretName(name);
    return this.mutate((contents) => {
      const entry = contents[name];
      if (!entry || entry.deletedAt) return false;
      entry.deletedAt = new Date().toISOString();
      return true;
    });
  }

  async list(options: { prefix?: string } = {}): Promise<SecretListItem[]> {
    const contents = await this.load();
    const result: SecretListItem[] = [];
    for (const [name, entry] of Object.entries(contents)) {
      const latest = entry.versions.at(-1);
      if (entry.deletedAt || !latest || (options.prefix && !name.startsWith(options.prefix))) continue;
      result.push(metadataOf(name, entry, latest));
    }
    return result;
  }
}
