import { compileRoute } from './http-host';

describe('Functions route templates', () => {
  it('matches parameters and catch-alls as the Functions host does', () => {
    expect(compileRoute('webhooks/{provider}/{integrationId}')('webhooks/github/abc-1')).toEqual({ provider: 'github', integrationId: 'abc-1' });
    expect(compileRoute('webhooks/{provider}/{integrationId}')('webhooks/github')).toBeUndefined();
    expect(compileRoute('admin/{*path}')('admin/tenants/t1/integrations')).toEqual({ path: 'tenants/t1/integrations' });
    expect(compileRoute('admin/{*path}')('admin/')).toEqual({ path: '' });
    expect(compileRoute('health')('health')).toEqual({});
    expect(compileRoute('health')('healthz')).toBeUndefined();
  });
});
