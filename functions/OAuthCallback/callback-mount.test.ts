/** The OAuth callback's way back: the mount the admin UI remembered in its cookie, and only one of the UI's own. */
import { mountFromCookie } from './index';
import { htmlPage } from '../../shared/platform/http/html';

describe('mountFromCookie', () => {
  it('returns to the mount the operator came from', () => {
    expect(mountFromCookie('ise_ui_mount=%2Fadmin')).toBe('/admin');
    expect(mountFromCookie('other=1; ise_ui_mount=%2Fapi%2Fadmin%2Fui')).toBe('/api/admin/ui');
  });

  it('falls back to /api/admin/ui without a cookie, and never follows a foreign path', () => {
    expect(mountFromCookie(undefined)).toBe('/api/admin/ui');
    expect(mountFromCookie('ise_ui_mount=https%3A%2F%2Fevil.example')).toBe('/api/admin/ui');
    expect(mountFromCookie('ise_ui_mount=%2F%2Fevil.example')).toBe('/api/admin/ui');
    expect(mountFromCookie('ise_ui_mount=%E0%A4%A')).toBe('/api/admin/ui');
  });
});

describe('htmlPage', () => {
  it('links its icon on the same site, allowed by its policy', () => {
    const page = htmlPage(200, 'Connected', 'ok', { href: '/admin/integrations', text: 'Back' }, '/admin/favicon.ico');
    expect(String(page.body)).toContain('<link rel="icon" href="/admin/favicon.ico">');
    expect((page.headers as Record<string, string>)['content-security-policy']).toBe(
      "default-src 'none'; img-src 'self'",
    );
  });
});
