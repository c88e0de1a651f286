import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponseInit } from '@azure/functions';
import type { HttpFunction } from '../../functions/definition';
import type { AppServices } from '../../shared/app/services';
import { compileRoute, createHttpHost } from './http-host';

describe('Functions route templates', () => {
  it('matches parameters and catch-alls as the Functions host does', () => {
    expect(compileRoute('api/webhooks/{provider}/{integrationId}')('api/webhooks/github/abc-1')).toEqual({
      provider: 'github',
      integrationId: 'abc-1',
    });
    expect(compileRoute('api/webhooks/{provider}/{integrationId}')('api/webhooks/github')).toBeUndefined();
    expect(compileRoute('api/admin/{*path}')('api/admin/tenants/t1/integrations')).toEqual({
      path: 'tenants/t1/integrations',
    });
    expect(compileRoute('api/admin/{*path}')('api/admin/')).toEqual({ path: '' });
    expect(compileRoute('api/health')('api/health')).toEqual({});
    expect(compileRoute('api/health')('api/healthz')).toBeUndefined();
  });

  it('lets a trailing catch-all be empty and keeps routes apart by their first segment', () => {
    expect(compileRoute('admin/{*path}')('admin')).toEqual({ path: '' });
    expect(compileRoute('admin/{*path}')('admin/runs/r1')).toEqual({ path: 'runs/r1' });
    expect(compileRoute('admin/{*path}')('administrator')).toBeUndefined();
    expect(compileRoute('admin/{*path}')('api/admin/tenants')).toBeUndefined();
    expect(compileRoute('api/admin/{*path}')('admin/tenants')).toBeUndefined();
  });
});

describe('the HTTP host writes answers as the handlers give them', () => {
  const answers: Record<string, HttpResponseInit> = {
    plain: { status: 201, jsonBody: { ok: true }, headers: { 'x-trace': 'abc' } },
    typed: { status: 200, jsonBody: { ok: true }, headers: { 'content-type': 'application/vnd.test+json' } },
    mixed: { status: 200, body: 'hi', headers: { 'X-Mixed-Case': ' padded ', 'content-type': 'text/plain' } },
    headersObject: { status: 202, body: 'x', headers: new Headers({ 'X-From-Headers': 'yes' }) },
  };
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const definitions: HttpFunction[] = [
      {
        name: 'Answers',
        trigger: 'http',
        methods: ['GET'],
        route: 'api/answers/{kind}',
        handler: async (request) => answers[request.params.kind ?? '']!,
      },
    ];
    const services = {
      settings: { limits: { webhookMaxBodyBytes: 1024, adminMaxBodyBytes: 1024 } },
      logger: { error: () => undefined },
    } as unknown as AppServices;
    server = createHttpHost(definitions, services);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('adds the JSON content type to a JSON body unless the handler set one', async () => {
    const plain = await fetch(`${base}/api/answers/plain`);
    expect([plain.status, plain.headers.get('content-type'), plain.headers.get('x-trace')]).toEqual([
      201,
      'application/json; charset=utf-8',
      'abc',
    ]);
    await expect(plain.json()).resolves.toEqual({ ok: true });
    const typed = await fetch(`${base}/api/answers/typed`);
    expect(typed.headers.get('content-type')).toBe('application/vnd.test+json');
  });

  it('normalises other header names and values as WHATWG Headers does', async () => {
    const mixed = await fetch(`${base}/api/answers/mixed`);
    expect(mixed.headers.get('x-mixed-case')).toBe('padded');
    await expect(mixed.text()).resolves.toBe('hi');
    const fromHeaders = await fetch(`${base}/api/answers/headersObject`);
    expect([fromHeaders.status, fromHeaders.headers.get('x-from-headers')]).toEqual([202, 'yes']);
  });
});
