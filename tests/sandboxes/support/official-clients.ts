/**
 * Support for the official-client suites: loading ESM-only client packages, and a local receiver that keeps
 * webhook deliveries byte for byte (signatures are checked on the raw body).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';

/**
 * Node's own require, not jest's: jest's CommonJS runtime cannot load ES modules (@octokit/rest,
 * @octokit/webhooks-methods), Node 20.19+ can (require(esm)). process.getBuiltinModule is not intercepted by jest.
 */
const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
const nativeRequire = createRequire(__filename);

export function requireEsm<T>(specifier: string): T {
  return nativeRequire(specifier) as T;
}

/**
 * @octokit/webhooks-methods exports only an `import` condition, which require() does not match: its Node build is
 * loaded by path, the very file `import '@octokit/webhooks-methods'` resolves to on Node.
 */
export function octokitWebhooksMethods(): {
  sign(secret: string, payload: string): Promise<string>;
  verify(secret: string, payload: string, signature: string): Promise<boolean>;
} {
  return requireEsm(join(__dirname, '../../../node_modules/@octokit/webhooks-methods/dist-node/index.js'));
}

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** An HTTP endpoint on 127.0.0.1 that answers 200 and keeps every POST it gets. */
export class WebhookInbox {
  readonly received: ReceivedDelivery[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    return this;
  }

  /** The deliveries so far that match, once there are at least `count` (within `timeoutMs`). */
  async waitFor(
    match: (delivery: ReceivedDelivery) => boolean,
    count = 1,
    timeoutMs = 5000,
  ): Promise<ReceivedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.filter(match);
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(
          `expected ${count} matching webhook deliveries, got ${found.length} of ${this.received.length}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
