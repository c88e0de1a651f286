/**
 * @jest-environment jsdom
 */
import { render, screen, within } from '@testing-library/react';
import { App, navItemFor } from './App';
import { routerBasename } from './base-path';
import { API_KEY_STORAGE } from './api/client';
import { installFakeApi } from '../test-support/render';

afterEach(() => {
  sessionStorage.clear();
  document.head.querySelectorAll('base').forEach((base) => base.remove());
});

describe('routerBasename', () => {
  it('reads the mount from the <base> the server injected, for either mount', () => {
    for (const mount of ['/admin', '/api/admin/ui']) {
      document.head.querySelectorAll('base').forEach((base) => base.remove());
      const base = document.createElement('base');
      base.href = `${mount}/`;
      document.head.prepend(base);
      expect(routerBasename(document)).toBe(mount);
    }
  });

  it('is the root without a <base> (the Vite dev server)', () => {
    expect(routerBasename(document)).toBe('/');
  });
});

describe('navigation', () => {
  it('counts a run detail page as Runs, and the other integration pages as Integrations', () => {
    expect(navItemFor('/integrations/gh-1/runs/run-1')).toBe('/runs');
    expect(navItemFor('/integrations/gh-1/settings')).toBe('/integrations');
    expect(navItemFor('/integrations')).toBe('/integrations');
    expect(navItemFor('/runs')).toBe('/runs');
    expect(navItemFor('/rate-limits')).toBe('/rate-limits');
    expect(navItemFor('/runsx')).toBeUndefined();
  });

  it('highlights "Runs", not "Integrations", on a run detail page served under /api/admin/ui', async () => {
    installFakeApi(() => ({ status: 404, body: { error: { code: 'not_found', message: 'no' } } }));
    sessionStorage.setItem(API_KEY_STORAGE, 'test-key');
    window.history.pushState({}, '', '/api/admin/ui/integrations/gh-1/runs/run-1');
    render(<App basename="/api/admin/ui" />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Runs' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Integrations' }).getAttribute('aria-current')).toBeNull();
    // Links carry the mount, so a click stays under /api/admin/ui.
    expect(within(nav).getByRole('link', { name: 'Health' }).getAttribute('href')).toBe('/api/admin/ui/health');
  });
});
