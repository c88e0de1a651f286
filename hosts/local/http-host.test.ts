import { compileRoute } from './http-host';

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
