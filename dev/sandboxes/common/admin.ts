/**
 * The /__sandbox/ admin endpoints: inject faults, change records, read call counts and webhook deliveries,
 * mint and expire tokens. Unauthenticated on purpose: sandboxes listen on 127.0.0.1 only and hold no real data.
 */
import { parseFault, type FaultInjector } from './faults';
import { Router, jsonReply } from './router';
import type { SandboxControl } from './types';

function bodyOf(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = raw === '' ? {} : JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const bad = (message: string) => jsonReply(400, { message });

export function adminRouter(control: SandboxControl, faults: FaultInjector): Router {
  const router = new Router();
  router.add('GET', '/__sandbox/faults', () => jsonReply(200, { faults: faults.pending() }));
  router.add('POST', '/__sandbox/faults', (ctx) => {
    const fault = parseFault(bodyOf(ctx.rawBody));
    if (typeof fault === 'string') return bad(fault);
    faults.inject(fault);
    return jsonReply(201, { faults: faults.pending() });
  });
  router.add('DELETE', '/__sandbox/faults', () => {
    faults.clear();
    return { status: 204 };
  });
  router.add('GET', '/__sandbox/calls', () => jsonReply(200, control.calls()));
  router.add('DELETE', '/__sandbox/calls', () => {
    control.resetCalls();
    return { status: 204 };
  });
  router.add('GET', '/__sandbox/webhooks', () => jsonReply(200, { deliveries: control.webhookDeliveries() }));
  router.add('POST', '/__sandbox/tokens', (ctx) => {
    const body = bodyOf(ctx.rawBody);
    const expiresInMs = typeof body?.expiresInMs === 'number' ? body.expiresInMs : undefined;
    return jsonReply(201, control.issueToken({ expiresInMs }));
  });
  router.add('POST', '/__sandbox/tokens/expire', () => {
    control.expireAccessTokens();
    return { status: 204 };
  });
  router.add('POST', '/__sandbox/tokens/revoke-refresh', () => {
    control.revokeRefreshTokens();
    return { status: 204 };
  });
  // Ids contain '/' and '#' (e.g. "acme/widgets#12"), so they travel in the query or body, not the path.
  router.add('GET', '/__sandbox/records', (ctx) => {
    const entity = ctx.query.get('entity') ?? '';
    const id = ctx.query.get('id');
    if (!control.records.entities().includes(entity))
      return bad(`entity must be one of ${control.records.entities().join(', ')}`);
    if (id === null) return jsonReply(200, { entity, count: control.records.count(entity) });
    const record = control.records.get(entity, id);
    return record ? jsonReply(200, record) : jsonReply(404, { message: 'no such record' });
  });
  router.add('POST', '/__sandbox/records', (ctx) => {
    const body = bodyOf(ctx.rawBody);
    if (!body) return bad('body must be a JSON object');
    const { entity, op, id } = body;
    const fields =
      body.fields && typeof body.fields === 'object' ? (body.fields as Record<string, unknown>) : undefined;
    if (typeof entity !== 'string' || !control.records.entities().includes(entity))
      return bad(`entity must be one of ${control.records.entities().join(', ')}`);
    try {
      if (op === 'create') return jsonReply(201, control.records.create(entity, fields));
      if (typeof id !== 'string') return bad('id is required for update and delete');
      if (op === 'update') {
        const record = control.records.update(entity, id, fields);
        return record ? jsonReply(200, record) : jsonReply(404, { message: 'no such record' });
      }
      if (op === 'delete')
        return control.records.remove(entity, id) ? { status: 204 } : jsonReply(404, { message: 'no such record' });
    } catch (error) {
      // Sandboxes throw when fields break the provider's rules: that is the caller's mistake, not a crash.
      return bad(error instanceof Error ? error.message : 'invalid record change');
    }
    return bad('op must be create, update or delete');
  });
  return router;
}
