/** AdminApi's split between the admin UI (/api/admin/ui, no key) and the API (everything else, with the key). */
import { Router } from '../../shared/platform/http/router';
import { createAdminRouter } from '../../shared/admin/api/admin-api';
import { uiPathOf } from './index';

describe('uiPathOf', () => {
  it('takes "ui" and "ui/…" for the UI and leaves every other path to the API', () => {
    expect(['ui', 'ui/', 'ui/integrations/x', 'ui/assets/index-abc.js'].map(uiPathOf)).toEqual([
      '',
      '',
      'integrations/x',
      'assets/index-abc.js',
    ]);
    for (const path of ['', 'uis', 'ui-x/y', 'tenants/ui/integrations', 'UI'])
      expect({ path, ui: uiPathOf(path) }).toEqual({ path, ui: undefined });
  });
});

describe('admin API routes', () => {
  it('has none under ui/, which the UI takes before authentication', () => {
    const add = jest.spyOn(Router.prototype, 'add');
    try {
      createAdminRouter();
      const patterns = add.mock.calls.map(([, pattern]) => pattern);
      expect(patterns.length).toBeGreaterThan(20);
      expect(patterns.filter((pattern) => uiPathOf(pattern.replace(/^\/+/, '')) !== undefined)).toEqual([]);
    } finally {
      add.mockRestore();
    }
  });
});
