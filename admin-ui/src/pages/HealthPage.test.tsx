/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import HealthPage from './HealthPage';
import { niceMax, ticks } from '../components/ops/SyncChart';

afterEach(() => sessionStorage.clear());

const bucket = (start: string, synced: number, errors: number) => ({
  start,
  runs: 1,
  failedRuns: errors > 0 ? 1 : 0,
  synced,
  fetched: synced,
  created: synced,
  updated: 0,
  deleted: 0,
  unchanged: 0,
  conflicts: 0,
  errors,
});

function fake(dependencies = 'degraded') {
  return installFakeApi(({ path }) => {
    // /api/health is outside /api/admin: the fake sees the full path.
    if (path === '/api/health')
      return {
        status: dependencies === 'ok' ? 200 : 503,
        body: {
          status: dependencies,
          checks: [
            { name: 'cosmos', ok: true, latencyMs: 4 },
            { name: 'redis', ok: false, latencyMs: 3000, error: 'no answer within 3000 ms' },
          ],
        },
      };
    if (path === 'tenants/demo/integrations')
      return {
        body: {
          items: [
            {
              id: 'gh-1',
              name: 'Issues',
              provider: 'github',
              status: 'active',
              health: { status: 'failing', reason: 'its last run failed: repository not found' },
            },
            {
              id: 'gh-2',
              name: 'Docs',
              provider: 'github',
              status: 'active',
              health: { status: 'ok', reason: 'last successful sync 2 min ago' },
            },
          ],
        },
      };
    if (path === 'tenants/demo/integrations/gh-2/dead-letters') return { body: { items: [] } };
    if (path === 'tenants/demo/integrations/gh-1/dead-letters')
      return { body: { items: [{ messageId: 'm1' }, { messageId: 'm2' }] } };
    if (path.endsWith('/webhooks/health'))
      return {
        body: {
          status: 'unhealthy',
          received: 30,
          accepted: 10,
          rejected: 20,
          duplicates: 0,
          rejectedByReason: {},
          handlingMs: {},
          problems: ['rejection rate 0.67 is above 0.2'],
          since: '',
        },
      };
    if (path === 'tenants/demo/credentials/expiry')
      return {
        body: {
          items: [
            {
              kind: 'needs_reauth',
              ref: { tenantId: 'demo', integrationId: 'gh-1', name: 'default' },
              type: 'oauth2_authorization_code',
              reason: 'refresh token revoked',
            },
          ],
        },
      };
    if (path.startsWith('tenants/demo/metrics/sync?'))
      return {
        body: {
          from: '',
          to: '',
          bucketMs: 3600_000,
          truncated: false,
          totals: {},
          buckets: [bucket('2026-03-01T10:00:00.000Z', 40, 0), bucket('2026-03-01T11:00:00.000Z', 25, 3)],
        },
      };
    return apiError(404, 'not_found', path);
  });
}

describe('HealthPage', () => {
  it('shows dependencies (even from a 503), dead letters and webhook health per integration, and expiries', async () => {
    fake();
    renderSignedIn(<HealthPage />, { url: '/health' });
    const redis = (await screen.findByText('redis')).closest('tr')!;
    expect(within(redis).getByText('down')).toBeTruthy();
    expect(within(redis).getByText('no answer within 3000 ms')).toBeTruthy();
    const row = (await screen.findByText('Issues')).closest('tr')!;
    expect((await within(row).findByRole('link', { name: '2' })).getAttribute('href')).toBe('/runs?integration=gh-1');
    expect(await within(row).findByText('10/30 accepted')).toBeTruthy();
    expect(await screen.findByText(/needs to be reconnected: refresh token revoked/)).toBeTruthy();
  });

  it('is not "Overall ok" when integrations fail, even with every dependency up', async () => {
    fake('ok');
    renderSignedIn(<HealthPage />, { url: '/health' });
    const overall = await screen.findByTestId('overall-health');
    await waitFor(() => expect(overall.textContent).toContain('1 of 2 integrations failing'));
    expect(overall.textContent).toMatch(/^Overall: failing/);
    const row = (await screen.findByText('Issues')).closest('tr')!;
    expect(within(row).getByTestId('health').textContent).toBe('failingits last run failed: repository not found');
  });

  it('draws synced records and errors over time, with the same figures in a table', async () => {
    const requests = fake();
    renderSignedIn(<HealthPage />, { url: '/health' });
    const chart = await screen.findByRole('img', { name: /65 records synced and 3 errors in 2 intervals/ });
    const bars = chart.querySelectorAll('rect.bar-synced');
    expect(bars).toHaveLength(2);
    // The taller bar is the bucket with more records (SVG y grows downwards).
    expect(Number(bars[0]!.getAttribute('height'))).toBeGreaterThan(Number(bars[1]!.getAttribute('height')));
    expect(chart.querySelectorAll('circle.dot-errors')).toHaveLength(1);
    const table = screen.getByRole('table', { name: /Last 24 hours/ });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)),
    ).toEqual([
      ['1', '0', '40', '0', '0'],
      ['1', '1', '25', '3', '0'],
    ]);
    fireEvent.change(screen.getByLabelText('Time range'), { target: { value: '7d' } });
    expect(await screen.findByRole('img', { name: /Last 7 days, per 6h/ })).toBeTruthy();
    expect(requests.some((request) => /metrics\/sync\?from=.*&bucket=6h$/.test(request.path))).toBe(true);
  });

  it('picks nice axis maxima and whole-number ticks', () => {
    expect([0, 1, 3, 7, 12, 99, 101, 4500].map(niceMax)).toEqual([1, 1, 5, 10, 20, 100, 200, 5000]);
    // A half tick only where it is a whole number of records or errors.
    expect([1, 2, 5, 10].map(ticks)).toEqual([
      [0, 1],
      [0, 0.5, 1],
      [0, 1],
      [0, 0.5, 1],
    ]);
  });
});
