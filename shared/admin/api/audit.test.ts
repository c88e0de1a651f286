import { auditEntry, changedFields } from './audit';
import type { AdminRequest } from './context';

const principal = { id: 'alice', kind: 'entra' as const, access: { all: true } } as never;

function request(method: string, path: string, body?: unknown): AdminRequest {
  return { method, path, header: () => null, query: new URLSearchParams(), body: async () => body };
}

describe('the audit trail', () => {
  it('names the changed fields one level deep, never their values', () => {
    expect(changedFields({ name: 'x', providerOptions: { repositories: ['a/b'] }, token: 's3cr3t' })).toEqual([
      'name',
      'providerOptions.repositories',
      'token',
    ]);
    expect(JSON.stringify(changedFields({ token: 's3cr3t', nested: { secret: 's3cr3t' } }))).not.toContain('s3cr3t');
  });

  it.each([
    ['POST', 'tenants/t/integrations/i-1/runs/r-1/cancel', undefined, 'run', 'run r-1 cancelled'],
    ['POST', 'tenants/t/integrations/i-1/checkpoints/reset', { entity: 'issues' }, 'run', 'checkpoint reset: entity'],
    ['PUT', 'tenants/t/integrations/i-1/webhook-secret', { secret: 'x' }, 'config', 'webhook secret rotated: secret'],
    ['DELETE', 'tenants/t/integrations/i-1/rate-limits', undefined, 'config', 'rate-limit override removed'],
    ['PUT', 'tenants/t/notifications/rules/r-9', { name: 'n' }, 'config', 'notification rule updated: name'],
    [
      'POST',
      'tenants/t/integrations/i-1/some/new/route',
      { a: 1 },
      'config',
      'POST integrations/i-1/some/new/route: a',
    ],
  ])('%s %s is a %s entry: "%s"', async (method, path, body, type, summary) => {
    const entry = await auditEntry({ request: request(method, path, body), principal }, 't', { status: 200 }, 'Name');
    expect(entry).toMatchObject({ type, summary, actor: 'alice', status: 'changed', integrationName: 'Name' });
  });

  it('leaves out requests that change nothing', async () => {
    for (const path of ['tenants/t/integrations/i-1/test', 'tenants/t/integrations/i-1/mappings/issues/preview'])
      expect(
        await auditEntry({ request: request('POST', path, {}), principal }, 't', { status: 200 }, 'N'),
      ).toBeUndefined();
  });
});
