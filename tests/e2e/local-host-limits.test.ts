/**
 * The local HTTP host's own limits, against the real host (createHttpHost with the manifest's HTTP functions
 * and real services): bodies refused at the limit without being buffered whole, slow-loris headers and bodies
 * cut off at their timeouts, idle keep-alive connections closed, a cap on open connections, and the client's
 * socket address (not a forged X-Forwarded-For) driving the sign-in throttle. Short timeouts come in as options.
 */
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { FUNCTIONS } from '../../functions/manifest';
import type { HttpFunction } from '../../functions/definition';
import { createHttpHost } from '../../hosts/local/http-host';
import type { HttpHostLimits } from '../../hosts/local/http-limits';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

const HTTP_FUNCTIONS = FUNCTIONS.filter((f): f is HttpFunction => f.trigger === 'http');
const ADMIN_LIMIT = 64 * 1024;

let t: TestServices;
const servers: Server[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await createTestServices({
    ADMIN_MAX_BODY_BYTES: String(ADMIN_LIMIT),
    ADMIN_LOGIN_FAILURES_PER_ADDRESS: '3',
    REDIS_KEY_PREFIX: `lhl${Date.now()}:`,
  });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(
    servers.map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))),
  );
  await t.services.close();
});

async function host(limits: Partial<HttpHostLimits> = {}): Promise<number> {
  const server = createHttpHost(HTTP_FUNCTIONS, t.services, limits);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

interface Connection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with the time (ms since connect) at which the server closed the connection. */
  closed: Promise<number>;
}

async function open(port: number): Promise<Connection> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  const started = Date.now();
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, received: () => text, closed };
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  Promise.race([promise, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))]);
const write = (socket: Socket, data: string | Buffer) =>
  new Promise<void>((resolve) => (socket.write(data) ? resolve() : socket.once('drain', resolve)));

describe('local host limits', () => {
  it('refuses a declared body over the limit with 413 before a byte of it arrives', async () => {
    const port = await host();
    const connection = await open(port);
    connection.socket.write(
      `POST /api/admin/tenants/t1/integrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${30 * 1024 * 1024}\r\n\r\n`,
    );
    expect(await within(connection.closed, 5000)).not.toBe('timeout');
    expect(connection.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(connection.received()).toContain('payload_too_large');
  });

  it('refuses a chunked body at the limit while it streams, without reading the rest', async () => {
    const port = await host();
    const connection = await open(port);
    await write(
      connection.socket,
      'POST /api/admin/tenants/t1/integrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    // Up to 32 MB (past the old 26 MB buffer); the host must answer long before.
    while (!connection.received().includes('HTTP/1.1') && sent < 32 * 1024 * 1024 && !connection.socket.destroyed) {
      await write(
        connection.socket,
        Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
      );
      sent += chunk.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await within(connection.closed, 5000);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 413 /);
    // What the client could push before the answer: the limit plus socket buffers, nowhere near the old 26 MB.
    expect(sent).toBeLessThan(ADMIN_LIMIT + 4 * 1024 * 1024);
  });

  it('closes a slow-loris connection that never finishes its headers within the headers timeout', async () => {
    const port = await host({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const connection = await open(port);
    connection.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => connection.socket.writable && connection.socket.write('X-Slow: a\r\n'), 100);
    try {
      const closedAfter = await within(connection.closed, 5000);
      expect(closedAfter).not.toBe('timeout');
      expect(closedAfter).toBeLessThan(2000);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes a connection whose body trickles in past the request timeout', async () => {
    const port = await host({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const connection = await open(port);
    connection.socket.write(
      'POST /api/admin/tenants/t1/integrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => connection.socket.writable && connection.socket.write(' '), 100);
    try {
      const closedAfter = await within(connection.closed, 5000);
      expect(closedAfter).not.toBe('timeout');
      expect(closedAfter).toBeLessThan(2500);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const port = await host({ keepAliveTimeoutMs: 300 });
    const connection = await open(port);
    connection.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    const closedAfter = await within(connection.closed, 4000);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedAfter).not.toBe('timeout');
  });

  it('caps open connections: one past the cap is dropped at once, the ones within keep working', async () => {
    const port = await host({ maxConnections: 3 });
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await open(port);
    expect(await within(extra.closed, 2000)).not.toBe('timeout');
    held[0]!.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await within(held[0]!.closed, 5000);
    expect(held[0]!.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('throttles failed sign-ins by the socket address: a forged X-Forwarded-For buys no fresh budget', async () => {
    const port = await host();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/admin/tenants/t${i}/integrations`, {
        headers: { 'x-api-key': `wrong-key-${i}-0123456789`, 'x-forwarded-for': `203.0.113.${i}` },
      });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // The right key from the throttled address waits for the window too (login-throttle.ts says why).
    expect(
      (
        await fetch(`http://127.0.0.1:${port}/api/admin/tenants/t9/integrations`, {
          headers: { 'x-api-key': TEST_ADMIN_KEY },
        })
      ).status,
    ).toBe(429);
  });
});
