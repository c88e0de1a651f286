/**
 * A local HTTPS stand-in for the Key Vault secrets REST calls that `SecretClient` makes: the bearer challenge
 * (401 + WWW-Authenticate), PUT/GET/DELETE secrets, versions, paged listing, soft-deleted secrets (get,
 * recover, purge) and 404 SecretNotFound / 409 for a deleted-but-recoverable name. It uses a self-signed
 * certificate made with openssl at start; only the tests that talk to it trust it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STANDIN_TOKEN = 'standin-access-token';

interface Version {
  version: string;
  value: string;
  contentType?: string;
  tags: Record<string, string>;
  created: number;
  updated: number;
}

interface Secret {
  versions: Version[];
  deletedDate?: number;
}

export interface KeyVaultStandIn {
  url: string;
  caPem: string;
  /** Requests by "METHOD /collection" (e.g. "PUT /secrets"), for assertions. */
  counts: Map<string, number>;
  /** Puts a secret straight into the stand-in's memory (benchmark seeding; skips HTTP). */
  seed(name: string, value: string, contentType: string | undefined, tags: Record<string, string>): void;
  stop(): Promise<void>;
}

export function makeSelfSignedCert(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kv-standin-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nowS = (): number => Math.floor(Date.now() / 1000);

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function notFound(res: ServerResponse, name: string): void {
  send(res, 404, {
    error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` },
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startKeyVaultStandIn(
  options: { port?: number; pageSize?: number } = {},
): Promise<KeyVaultStandIn> {
  const { certPem, keyPem } = makeSelfSignedCert();
  const secrets = new Map<string, Secret>();
  const counts = new Map<string, number>();
  const pageSize = options.pageSize ?? 25;
  let base = '';
  // Sorted live names, rebuilt only after a name appears or disappears (listing 10,000 secrets pages a lot).
  let liveNames: string[] | undefined;
  const names = (): string[] =>
    (liveNames ??= [...secrets.entries()]
      .filter(([, s]) => !s.deletedDate)
      .map(([n]) => n)
      .sort());

  const bundle = (name: string, v: Version): Record<string, unknown> => ({
    value: v.value,
    id: `${base}/secrets/${name}/${v.version}`,
    contentType: v.contentType,
    tags: v.tags,
    attributes: {
      enabled: true,
      created: v.created,
      updated: v.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
  });
  const item = (name: string, v: Version, deleted?: number): Record<string, unknown> => ({
    id: `${base}/secrets/${name}`,
    contentType: v.contentType,
    tags: v.tags,
    attributes: { enabled: true, created: v.created, updated: v.updated, recoveryLevel: 'Recoverable+Purgeable' },
    ...(deleted
      ? { recoveryId: `${base}/deletedsecrets/${name}`, deletedDate: deleted, scheduledPurgeDate: deleted + 90 * 86400 }
      : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    if (req.headers.authorization !== `Bearer ${STANDIN_TOKEN}`) {
      await readBody(req);
      send(
        res,
        401,
        { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
        {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"',
        },
      );
      return;
    }
    const key = `${method} /${parts[0] ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const [collection, name, third] = parts;
    const secret = name ? secrets.get(name) : undefined;
    const live = secret && !secret.deletedDate ? secret : undefined;

    if (collection === 'secrets' && !name && method === 'GET') {
      const all = names();
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + pageSize);
      const nextLink =
        skip + pageSize < all.length
          ? `${base}/secrets?api-version=${url.searchParams.get('api-version')}&$skiptoken=${skip + pageSize}`
          : null;
      send(res, 200, { value: page.map((n) => item(n, secrets.get(n)!.versions.at(-1)!)), nextLink });
      return;
    }
    if (collection === 'secrets' && name && method === 'PUT') {
      const body = JSON.parse(await readBody(req)) as {
        value: string;
        contentType?: string;
        tags?: Record<string, string>;
      };
      if (secret?.deletedDate) {
        send(res, 409, {
          error: {
            code: 'Conflict',
            message: `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
          },
        });
        return;
      }
      const v: Version = {
        version: randomBytes(16).toString('hex'),
        value: body.value,
        contentType: body.contentType,
        tags: body.tags ?? {},
        created: nowS(),
        updated: nowS(),
      };
      const target = secret ?? { versions: [] };
      target.versions.push(v);
      if (!secret) liveNames = undefined;
      secrets.set(name, target);
      send(res, 200, bundle(name, v));
      return;
    }
    if (collection === 'secrets' && name && method === 'GET' && third !== 'versions') {
      const v = third ? live?.versions.find((x) => x.version === third) : live?.versions.at(-1);
      if (!v) return notFound(res, name);
      send(res, 200, bundle(name, v));
      return;
    }
    if (collection === 'secrets' && name && method === 'GET' && third === 'versions') {
      if (!live) return notFound(res, name);
      send(res, 200, {
        value: live.versions.map((v) => ({ ...item(name, v), id: `${base}/secrets/${name}/${v.version}` })),
        nextLink: null,
      });
      return;
    }
    if (collection === 'secrets' && name && method === 'DELETE') {
      if (!live) return notFound(res, name);
      live.deletedDate = nowS();
      liveNames = undefined;
      send(res, 200, {
        ...bundle(name, live.versions.at(-1)!),
        value: undefined,
        ...item(name, live.versions.at(-1)!, live.deletedDate),
      });
      return;
    }
    if (collection === 'deletedsecrets' && name) {
      if (!secret?.deletedDate) return notFound(res, name);
      if (method === 'GET') return send(res, 200, { ...item(name, secret.versions.at(-1)!, secret.deletedDate) });
      if (method === 'DELETE') {
        secrets.delete(name);
        liveNames = undefined;
        return send(res, 204);
      }
      if (method === 'POST' && third === 'recover') {
        delete secret.deletedDate;
        liveNames = undefined;
        return send(res, 200, bundle(name, secret.versions.at(-1)!));
      }
    }
    send(res, 400, { error: { code: 'BadParameter', message: `stand-in does not handle ${method} ${url.pathname}` } });
  };

  const server: Server = createServer({ cert: certPem, key: keyPem, keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, { error: { code: 'InternalError', message: String(error) } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  base = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: base,
    caPem: certPem,
    counts,
    seed(name, value, contentType, tags) {
      const target = secrets.get(name) ?? { versions: [] };
      target.versions.push({
        version: randomBytes(16).toString('hex'),
        value,
        contentType,
        tags,
        created: nowS(),
        updated: nowS(),
      });
      secrets.set(name, target);
      liveNames = undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
