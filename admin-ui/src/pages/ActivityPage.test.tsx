/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import ActivityPage from './ActivityPage';

const integrations = { items: [{ id: 'gh-1', name: 'Issues', provider: 'github', status: 'active', enabled: true }] };
const entry = (overrides: Record<string, unknown>) => ({
  at: new Date().toISOString(),
  type: 'config',
  integrationId: 'gh-1',
  integrationName: 'Issues',
  status: 'changed',
  summary: 'integration updated: name',
  actor: 'api-key',
  ...overrides,
});

afterEach(() => sessionStorage.clear());

describe('ActivityPage', () => {
  it('sends the filters to the API, links entries into their run and delivery, and pages with the token', async () => {
    const requests = installFakeApi(({ path }) => {
      if (path === 'tenants/demo/integrations') return { body: integrations };
      if (path.startsWith('tenants/demo/activity')) {
        const query = new URLSearchParams(path.split('?')[1] ?? '');
        if (query.get('continuationToken') === 'page-2')
          return { body: { items: [entry({ summary: 'an older change' })] } };
        return {
          body: {
            items: [
              entry({ type: 'run', status: 'failed', summary: 'sync failed', runId: 'run-7', actor: undefined }),
              entry({
                type: 'webhook',
                status: 'rejected',
                summary: '2 deliveries rejected',
                deliveryId: 'd-1',
                actor: undefined,
              }),
            ],
            continuationToken: 'page-2',
          },
        };
      }
      return apiError(404, 'not_found', path);
    });
    renderSignedIn(<ActivityPage />, { url: '/activity', route: '/activity' });
    const table = await screen.findByRole('table', { name: 'Activity' });
    expect(within(table).getByRole('link', { name: 'run run-7' }).getAttribute('href')).toBe(
      '/integrations/gh-1/runs/run-7',
    );
    expect(within(table).getByRole('link', { name: 'latest delivery' }).getAttribute('href')).toBe(
      '/deliveries/gh-1/d-1',
    );

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'run' } });
    await waitFor(() => expect(requests.some((request) => request.path.includes('type=run'))).toBe(true));

    fireEvent.click(await screen.findByRole('button', { name: 'Older entries' }));
    await screen.findByText('an older change');
    expect(requests.some((request) => request.path.includes('continuationToken=page-2'))).toBe(true);
    expect(screen.getByRole('button', { name: 'Newer entries' })).toBeTruthy();
  });
});
