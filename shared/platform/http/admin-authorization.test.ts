import { accessFromRoles, assertAdminAccess, tenantOfAdminPath } from './admin-authorization';

describe('accessFromRoles', () => {
  it.each([
    [['Sync.Admin'], { scope: 'all' }],
    [['Sync.Tenant.acme', 'Sync.Admin'], { scope: 'all' }],
    [['Sync.Tenant.acme', 'Sync.Tenant.globex'], { scope: 'tenants', tenantIds: new Set(['acme', 'globex']) }],
    [['sync.admin', 'Sync.Tenant.', 'Sync.Tenants.acme', 'Sync.AdminX'], { scope: 'tenants', tenantIds: new Set() }],
    [undefined, { scope: 'tenants', tenantIds: new Set() }],
    ['Sync.Admin', { scope: 'tenants', tenantIds: new Set() }],
    [[42, { role: 'Sync.Admin' }], { scope: 'tenants', tenantIds: new Set() }],
  ])('%j grants %j', (roles, access) => {
    expect(accessFromRoles(roles)).toEqual(access);
  });
});

describe('assertAdminAccess', () => {
  const acme = accessFromRoles(['Sync.Tenant.acme']);

  it('lets Sync.Admin reach every path', () => {
    for (const path of [
      'oauth-apps/github',
      'rate-limits/defaults',
      'tenants/acme/integrations',
      'tenants/globex/metrics/sync',
    ]) {
      expect(() => assertAdminAccess(accessFromRoles(['Sync.Admin']), path)).not.toThrow();
    }
  });

  it('lets Sync.Tenant.acme reach acme paths only', () => {
    expect(() => assertAdminAccess(acme, 'tenants/acme/integrations')).not.toThrow();
    expect(() => assertAdminAccess(acme, 'tenants//acme/integrations/')).not.toThrow();
    for (const path of [
      'tenants/globex/integrations',
      'tenants/acme2/integrations',
      'tenants/ACME/integrations',
      'tenants',
      'oauth-apps/github',
      'rate-limits/defaults',
      '',
      'acme/tenants/acme',
    ]) {
      expect(() => assertAdminAccess(acme, path)).toThrow(
        expect.objectContaining({ code: 'forbidden', httpStatus: 403 }),
      );
    }
  });

  it('reads the tenant as the router splits the path', () => {
    expect(tenantOfAdminPath('tenants/acme/integrations')).toBe('acme');
    expect(tenantOfAdminPath('/tenants//acme')).toBe('acme');
    expect(tenantOfAdminPath('tenants')).toBeUndefined();
    expect(tenantOfAdminPath('oauth-apps/github')).toBeUndefined();
  });
});
