/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { IntegrationListItem } from '../../../shared/admin/contracts/integrations';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import IntegrationsPage from './IntegrationsPage';

const integration = (overrides: Partial<IntegrationListItem> = {}): IntegrationListItem => ({
  id: 'int-1',
  tenantId: 'demo',
  provider: 'github',
  name: 'Widgets repo',
  status: 'active',
  enabled: true,
  entities: ['issues'],
  direction: 'inbound',
  schedule: { intervalMinutes: 60 },
  dedupStrategy: 'external_id',
  conflictStrategy: 'source_wins',
  providerOptions: { repositories: ['acme/widgets'] },
  baseUrl: 'http://127.0.0.1:9999',
  nextSyncAt: '2026-01-01T00:00:00Z',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  health: { status: 'ok', reason: 'last successful sync 2 min ago' },
  ...overrides,
});

const counters = { fetched: 12, created: 10, updated: 1, unchanged: 1, deleted: 0, conflicts: 0, errors: 2, pages: 1 };

afterEach(() => {
  jest.useRealTimers();
  sessionStorage.clear();
});

describe('IntegrationsPage', () => {
  it('lists integrations with health, records held, errors and the run error, conflicts and the next sync', async () => {
    const seen = installFakeApi(() => ({
      body: {
        items: [
          integration({
            health: { status: 'failing', reason: 'its last run failed: GitHub answered 502' },
            records: { issues: 10, issue_comments: 2 },
            openConflicts: 3,
            nextSyncAt: new Date(Date.now() + 5 * 60_000).toISOString(),
            credential: { type: 'oauth2_authorization_code', status: 'needs_reauth' },
            lastRun: {
              id: 'r1',
              integrationId: 'int-1',
              tenantId: 'demo',
              mode: 'full',
              trigger: 'manual',
              status: 'failed',
              counters,
              queuedAt: new Date().toISOString(),
              lastError: { code: 'provider_error', message: 'GitHub answered 502' },
            },
          }),
          integration({
            id: 'int-2',
            name: 'Quiet',
            enabled: false,
            status: 'disabled',
            credential: null,
            health: { status: 'disabled', reason: 'the integration is disabled' },
          }),
          integration({
            id: 'int-3',
            name: 'Linked',
            credential: { type: 'oauth2_authorization_code', status: 'active' },
          }),
        ],
      },
    }));
    renderSignedIn(<IntegrationsPage />, { url: '/integrations' });
    const row = (await screen.findByRole('link', { name: 'Widgets repo' })).closest('tr')!;
    expect(within(row).getByTestId('health').textContent).toBe('failingits last run failed: GitHub answered 502');
    expect(within(row).getByTestId('records').textContent).toBe('12issues 10 · issue_comments 2');
    expect(within(row).getByRole('link', { name: '3' }).getAttribute('href')).toBe('/conflicts?integration=int-1');
    expect(within(row).getByTestId('next-sync').textContent).toBe('in 5 min');
    expect(within(row).getByTestId('errors').textContent).toContain('2');
    expect(within(row).getByTestId('errors').textContent).toContain('GitHub answered 502');
    expect(within(row).getByTestId('last-sync').textContent).toContain('failed');
    // The credential's state, never its value: re-authorisation needed, none at all, or connected.
    expect(row.textContent).toContain('credential needs reauth');
    expect(within(row).getByRole('button', { name: 'Reconnect: Widgets repo' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Linked' }).closest('tr')!.textContent).toContain('connected');
    const quiet = screen.getByRole('link', { name: 'Quiet' }).closest('tr')!;
    expect(within(quiet).getByTestId('last-sync').textContent).toBe('never');
    expect(within(quiet).getByTestId('next-sync').textContent).toBe('not scheduled');
    expect(within(quiet).getByTestId('health').textContent).toContain('disabled');
    expect(quiet.textContent).toContain('not connected');
    expect(within(quiet).getByRole('button', { name: 'Connect: Quiet' })).toBeTruthy();
    expect(within(quiet).getByRole('button', { name: 'Sync now: Quiet' })).toHaveProperty('disabled', true);
    expect(within(quiet).getByRole('button', { name: 'Enable: Quiet' })).toBeTruthy();
    expect(seen[0]).toMatchObject({
      method: 'GET',
      path: 'tenants/demo/integrations?include=lastRun,credential,records,conflicts',
      apiKey: 'test-key',
    });
  });

  it('polls, so a running sync shows new counters without a reload', async () => {
    jest.useFakeTimers();
    let fetched = 0;
    installFakeApi(() => {
      fetched += 1;
      const run = {
        id: 'r1',
        integrationId: 'int-1',
        tenantId: 'demo',
        mode: 'full' as const,
        trigger: 'manual' as const,
        status: fetched < 2 ? ('running' as const) : ('succeeded' as const),
        counters: { ...counters, created: fetched * 10, errors: 0 },
        queuedAt: new Date().toISOString(),
      };
      return { body: { items: [integration({ lastRun: run, records: { issues: fetched * 10 + 2 } })] } };
    });
    renderSignedIn(<IntegrationsPage />, { url: '/integrations' });
    const records = await screen.findByTestId('records');
    expect(records.textContent).toBe('12');
    expect(screen.getByTestId('last-sync').textContent).toContain('running');
    await act(async () => {
      await jest.advanceTimersByTimeAsync(2100);
    });
    expect(screen.getByTestId('records').textContent).toBe('22');
    expect(screen.getByTestId('last-sync').textContent).toContain('succeeded');
  });

  it('filters the list by a search over name, provider, id and health', async () => {
    installFakeApi(() => ({
      body: {
        items: [
          integration(),
          integration({ id: 'int-2', name: 'CRM', provider: 'salesforce' }),
          integration({ id: 'int-3', name: 'Broken', health: { status: 'failing', reason: 'x' } }),
        ],
      },
    }));
    renderSignedIn(<IntegrationsPage />, { url: '/integrations' });
    await screen.findByRole('link', { name: 'Widgets repo' });
    const search = screen.getByLabelText('Search');
    fireEvent.change(search, { target: { value: 'salesforce' } });
    expect(screen.queryByRole('link', { name: 'Widgets repo' })).toBeNull();
    expect(screen.getByRole('link', { name: 'CRM' })).toBeTruthy();
    expect(screen.getByText('1 of 3 integrations')).toBeTruthy();
    fireEvent.change(search, { target: { value: 'failing' } });
    expect(screen.getByRole('link', { name: 'Broken' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'CRM' })).toBeNull();
    fireEvent.change(search, { target: { value: 'nothing like it' } });
    expect(screen.getByText('No integration matches “nothing like it”.')).toBeTruthy();
  });

  it('shows the API validation error next to the field it names when creating', async () => {
    const seen = installFakeApi((request) => {
      if (request.method === 'POST')
        return apiError(
          400,
          'bad_request',
          'schedule.intervalMinutes: Too small: expected number to be >=1',
          'schedule.intervalMinutes',
        );
      return { body: { items: [integration()] } };
    });
    renderSignedIn(<IntegrationsPage />, { url: '/integrations' });
    fireEvent.click(await screen.findByRole('button', { name: 'New integration' }));
    // The tenant's GitHub integration lends its connection settings to the form.
    expect((screen.getByLabelText(/API base URL/) as HTMLInputElement).value).toBe('http://127.0.0.1:9999');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Second repo' } });
    fireEvent.change(screen.getByLabelText(/Sync every/), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create integration' }));
    const interval = screen.getByLabelText(/Sync every/);
    await waitFor(() => expect(interval.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(interval.getAttribute('aria-describedby')!)!.textContent).toContain('Too small');
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
    const posted = seen.find((request) => request.method === 'POST')!;
    expect(posted.body).toMatchObject({
      name: 'Second repo',
      provider: 'github',
      schedule: { intervalMinutes: 0 },
      entities: ['issues', 'issue_comments'],
      providerOptions: { repositories: ['acme/widgets'] },
    });
  });

  it('deletes only after the dialog is confirmed', async () => {
    const seen = installFakeApi((request) =>
      request.method === 'DELETE' ? { status: 204 } : { body: { items: [integration()] } },
    );
    renderSignedIn(<IntegrationsPage />, { url: '/integrations' });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete: Widgets repo' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Widgets repo”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(seen.some((request) => request.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Delete: Widgets repo' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete integration' }));
    await screen.findByText('“Widgets repo” deleted.');
    expect(seen.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([
      'tenants/demo/integrations/int-1',
    ]);
  });

  it('signs out on a 401 from the API', async () => {
    installFakeApi(() => apiError(401, 'unauthorized', 'missing or invalid API key'));
    renderSignedIn(<IntegrationsPage />, { url: '/integrations' });
    await screen.findByText(/missing or invalid API key/);
    await waitFor(() => expect(sessionStorage.getItem('ise.adminApiKey')).toBeNull());
  });
});
