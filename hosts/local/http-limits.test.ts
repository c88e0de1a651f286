import { decodePathOnce } from './http-limits';
import { compileRoute } from './http-host';

describe('route values decoded once, as the Functions host does', () => {
  it('decodes every valid escape but %2F, and leaves malformed ones for the router to refuse', () => {
    expect(decodePathOnce('tenants/a%20b/x')).toBe('tenants/a b/x');
    expect(decodePathOnce('a%2Fb%2fc')).toBe('a%2Fb%2fc');
    expect(decodePathOnce('a%252Fb')).toBe('a%2Fb');
    expect(decodePathOnce('a%ZZ%20b%')).toBe('a%ZZ b%');
    expect(decodePathOnce('%C3%A9%FF')).toBe('%C3%A9%FF');
    expect(decodePathOnce('%C3%A9')).toBe('é');
    expect(decodePathOnce('%5C%23')).toBe('\\#');
  });

  it('never throws on a malformed escape (the host answered 500 for %ZZ)', () => {
    expect(compileRoute('api/admin/{*path}')('api/admin/tenants/%ZZ/integrations')).toEqual({
      path: 'tenants/%ZZ/integrations',
    });
    expect(compileRoute('api/webhooks/{provider}/{integrationId}')('api/webhooks/github/%E0%A4%A')).toEqual({
      provider: 'github',
      integrationId: '%E0%A4%A',
    });
  });
});
