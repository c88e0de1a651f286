/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import RunsPage from './RunsPage';

const integrations = { items: [{ id: 'gh-1', name: 'Issues', provider: 'github', status: 'active', enabled: true }] };
const counters = (fetched: number) => ({
  fetched,
  created: fetched / 2,
  updated: 0,
  unchanged: fetched / 2,
  deleted: 0,
  conflicts: 0,
  errors: 0,
  pages: fetched / 10,
});
const run = (overrides: Record<string, unknown>) => ({
  id: 'run-1',
  integrationId: 'gh-1',
  tenantId: 'demo',
  mode: 'full',
  trigger: 'manual',
  status: 'running',
  counters: counters(0),
  queuedAt: new Date().toISOString(),
  ...overrides,
});

afterEach(() => sessionStorage.clear());

describe('RunsPage', () => {
  it('moves a running sync’s counters on each poll, without a reload', async () => {
    let polls = 0;
    installFakeApi(({ path }) => {
      if (path === 'tenants/demo/integrations') return { body: integrations };
      if (path.startsWith('tenants/demo/integrations/gh-1/runs')) {
        polls += 1;
        return { body: { items: [run({ counters: counters(polls * 10) })] } };
      }
      if (path === 'tenants/demo/integrations/gh-1/dead-letters') return { body: { items: [] } };
      return apiError(404, 'not_found', path);
    });
    renderSignedIn(<RunsPage />, { url: '/runs?integration=gh-1', route: '/runs' });
    const live = await screen.findByRole('article', { name: 'Run run-1' });
    const fetched = () =>
      within(live).getByText((_, element) => element?.getAttribute('data-counter') === 'fetched').textContent;
    const first = Number(fetched());
    expect(first).toBeGreaterThanOrEqual(10);
    // The page polls about once a second while the run is in flight: the number grows by itself.
    await waitFor(() => expect(Number(fetched())).toBeGreaterThan(first), { timeout: 4000 });
    expect(within(live).getByRole('link', { name: 'details' }).getAttribute('href')).toBe(
      '/integrations/gh-1/runs/run-1',
    );
  });

  it('shows a failed run’s record errors and retries it, then follows the new run', async () => {
    const requests = installFakeApi(({ method, path }) => {
      if (method === 'POST' && path === 'tenants/demo/integrations/gh-1/runs/run-9/retry')
        return { status: 202, body: { runId: 'run-10', retryOf: 'run-9', status: 'queued' } };
      if (path === 'tenants/demo/integrations/gh-1/runs/run-9')
        return {
          body: run({
            id: 'run-9',
            status: 'failed',
            lastError: { code: 'dependency_unavailable', message: 'provider down' },
            recordErrors: [{ page: 0, recordId: '42', field: 'title', code: 'mapping', message: 'title is required' }],
          }),
        };
      if (path === 'tenants/demo/integrations/gh-1/runs/run-10')
        return { body: run({ id: 'run-10', status: 'queued', retryOf: 'run-9' }) };
      return apiError(404, 'not_found', path);
    });
    renderSignedIn(<RunsPage />, {
      url: '/integrations/gh-1/runs/run-9',
      route: '/integrations/:integrationId/runs/:runId',
    });
    expect(await screen.findByText('provider down')).toBeTruthy();
    const row = screen.getByText('42').closest('tr')!;
    expect(within(row).getByText('title is required')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry this run' }));
    expect((await screen.findByRole('link', { name: 'run run-9' })).getAttribute('href')).toBe(
      '/integrations/gh-1/runs/run-9',
    );
    expect(requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      'tenants/demo/integrations/gh-1/runs/run-9/retry',
    ]);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('run-10');
  });

  it('shows records per second, the page and why a waiting run waits, until when', async () => {
    const startedAt = new Date(Date.now() - 10_000).toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    installFakeApi(({ path }) => {
      if (path === 'tenants/demo/integrations') return { body: integrations };
      if (path.startsWith('tenants/demo/integrations/gh-1/runs'))
        return {
          body: {
            items: [
              run({
                startedAt,
                counters: counters(500),
                live: {
                  page: 7,
                  entity: 'issues',
                  pageStartedAt: startedAt,
                  providerTotal: 1234,
                  waiting: { kind: 'retry', reason: 'retrying page 7 after a provider error (HTTP 503)', until },
                },
              }),
            ],
          },
        };
      if (path === 'tenants/demo/integrations/gh-1/dead-letters') return { body: { items: [] } };
      return apiError(404, 'not_found', path);
    });
    renderSignedIn(<RunsPage />, { url: '/runs?integration=gh-1', route: '/runs' });
    const live = await screen.findByRole('article', { name: 'Run run-1' });
    const counter = (name: string) =>
      within(live).getByText((_, element) => element?.getAttribute('data-counter') === name).textContent;
    expect(Number(counter('rate'))).toBeGreaterThan(40);
    expect(Number(counter('rate'))).toBeLessThanOrEqual(50);
    expect(counter('page')).toBe('7 (issues)');
    expect(counter('total')).toBe('1,234');
    const waiting = within(live).getByTestId('run-waiting').textContent!;
    expect(waiting).toContain('Retrying page 7 after a provider error (HTTP 503) until');
    expect(waiting).toContain(new Date(until).toLocaleTimeString('en-GB', { hour12: false }));
  });

  it('links a run that failed on a configuration error to the setting instead of offering a retry', async () => {
    installFakeApi(({ path }) => {
      if (path === 'tenants/demo/integrations') return { body: integrations };
      if (path === 'tenants/demo/integrations/gh-1/runs/run-5')
        return {
          body: run({
            id: 'run-5',
            status: 'failed',
            lastError: {
              code: 'configuration',
              message: 'GitHub options.repositories must be a non-empty list',
              target: 'options.repositories',
            },
          }),
        };
      return apiError(404, 'not_found', path);
    });
    renderSignedIn(<RunsPage />, {
      url: '/integrations/gh-1/runs/run-5',
      route: '/integrations/:integrationId/runs/:runId',
    });
    const fix = await screen.findByRole('link', { name: 'Fix the setting providerOptions.repositories' });
    expect(fix.getAttribute('href')).toBe('/integrations/gh-1/settings');
    expect(screen.queryByRole('button', { name: 'Retry this run' })).toBeNull();
    // The header names the integration, not its id.
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('of Issues'));
  });

  it('says what went wrong when the runs cannot be loaded', async () => {
    installFakeApi(({ path }) =>
      path === 'tenants/demo/integrations'
        ? { body: integrations }
        : apiError(503, 'dependency_unavailable', 'cosmos is down'),
    );
    renderSignedIn(<RunsPage />, { url: '/runs?integration=gh-1', route: '/runs' });
    expect((await screen.findByText(/Runs could not be loaded/)).closest('[role="alert"]')?.textContent).toContain(
      'cosmos is down',
    );
  });
});
