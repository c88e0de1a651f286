import { AppError } from '../../core/app-error';
import { isPathId, Router } from './router';

const router = new Router<void, string>()
  .add(
    'GET',
    'tenants/:tenantId/integrations/:integrationId',
    async (_ctx, params) => `${params.tenantId}/${params.integrationId}`,
  )
  .add('POST', 'tenants/:tenantId/conflicts/resolve', async () => 'bulk');

async function status(path: string, method = 'GET'): Promise<{ status: number; target?: string } | string> {
  try {
    return await router.dispatch(method, path, undefined);
  } catch (error) {
    const appError = error as AppError;
    return { status: appError.httpStatus, target: appError.target };
  }
}

describe('admin router: one rule for path ids, no second decoding', () => {
  it('passes ids the app makes', async () => {
    for (const id of [
      'acme',
      'demo-github',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      'run-1:3:a2',
      'cf-0123abcd',
      'shard.v2_x',
      'msg_2Lx@example=+~',
    ]) {
      expect({ id, ok: isPathId(id) }).toEqual({ id, ok: true });
      expect(await status(`tenants/t1/integrations/${id}`)).toBe(`t1/${id}`);
    }
  });

  it('answers 400 naming the parameter for a space, "\\", "#", a decoded "/" kept encoded, "%" and other bytes outside the rule', async () => {
    for (const bad of [
      'a b',
      'a\\b',
      'a#b',
      'a%2Fb',
      'a%252Fb',
      'a%ZZ',
      '%',
      '..',
      '.hidden',
      'é',
      'a?b',
      'a\u0000b',
      'x'.repeat(257),
    ]) {
      expect({ bad, answer: await status(`tenants/t1/integrations/${bad}`) }).toEqual({
        bad,
        answer: { status: 400, target: 'integrationId' },
      });
      expect({ bad, answer: await status(`tenants/${bad}/integrations/i1`) }).toEqual({
        bad,
        answer: { status: 400, target: 'tenantId' },
      });
    }
  });

  it('does not decode again: "%41" stays "%41" (400), never "A"', async () => {
    expect(await status('tenants/t1/integrations/%41')).toEqual({ status: 400, target: 'integrationId' });
  });

  it('answers 400 for a malformed escape where no route matched, 404 for an unknown path, 405 for another method', async () => {
    expect(await status('tenants/t1/%ZZ/i1')).toEqual({ status: 400, target: 'path' });
    expect(await status('tenants/t1/nothing/i1')).toMatchObject({ status: 404 });
    expect(await status('tenants/t1/integrations/i1', 'DELETE')).toMatchObject({ status: 405, target: 'method' });
  });

  it('lists its routes', () => {
    expect(router.list()).toEqual([
      { method: 'GET', pattern: 'tenants/:tenantId/integrations/:integrationId' },
      { method: 'POST', pattern: 'tenants/:tenantId/conflicts/resolve' },
    ]);
  });
});
