/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import ConflictsPage from './ConflictsPage';

const conflict = (id: string, externalId: string) => ({
  id,
  tenantId: 'demo',
  integrationId: 'gh-1',
  shardId: `sh-${externalId}`,
  entity: 'issues',
  externalId,
  status: 'open',
  createdAt: new Date().toISOString(),
  fields: [
    { field: 'title', base: 'Old title', local: 'Local title', remote: 'Remote title' },
    { field: 'labels', base: ['a'], remote: ['a', 'b'] },
  ],
});

afterEach(() => sessionStorage.clear());

function fake(answer: Record<string, unknown> = { pushPending: true, pushed: true }) {
  let resolved = false;
  const requests = installFakeApi(({ method, path }) => {
    if (path === 'tenants/demo/integrations')
      return { body: { items: [{ id: 'gh-1', name: 'Issues', provider: 'github' }] } };
    if (method === 'GET' && path.startsWith('tenants/demo/conflicts?status=resolved'))
      return {
        body: {
          items: [
            {
              ...conflict('cf-9', '109'),
              status: 'resolved',
              resolvedAt: new Date().toISOString(),
              resolution: { choices: { title: { take: 'remote' }, labels: { value: ['z'] } }, resolvedBy: 'ops' },
            },
          ],
        },
      };
    if (method === 'GET' && path.startsWith('tenants/demo/conflicts?'))
      return { body: { items: resolved ? [] : [conflict('cf-1', '101'), conflict('cf-2', '102')] } };
    if (method === 'POST' && path === 'tenants/demo/conflicts/cf-1/resolve') {
      resolved = true;
      return { body: { ...conflict('cf-1', '101'), status: 'resolved', ...answer } };
    }
    if (method === 'POST' && path === 'tenants/demo/conflicts/resolve') {
      resolved = true;
      return {
        body: {
          resolved: [{ id: 'cf-1', pushPending: false }],
          failed: [{ id: 'cf-2', error: { code: 'conflict', message: 'already resolved' } }],
        },
      };
    }
    return apiError(404, 'not_found', path);
  });
  return requests;
}

describe('ConflictsPage', () => {
  it('shows base, local and remote side by side per field, absent values marked', async () => {
    fake();
    renderSignedIn(<ConflictsPage />, { url: '/conflicts' });
    const card = await screen.findByRole('article', { name: 'issues 101' });
    const title = within(card).getByText('title').closest('tr')!;
    expect(
      Array.from(title.querySelectorAll('td'))
        .slice(0, 3)
        .map((cell) => cell.textContent),
    ).toEqual(['Old title', 'Local title', 'Remote title']);
    const labels = within(card).getByText('labels').closest('tr')!;
    expect(labels.querySelectorAll('td')[1]!.textContent).toBe('(absent)');
    expect(labels.querySelectorAll('td')[2]!.textContent).toContain('"b"');
  });

  it('resolves one conflict with a side per field and a typed value', async () => {
    const requests = fake();
    renderSignedIn(<ConflictsPage />, { url: '/conflicts' });
    const card = await screen.findByRole('article', { name: 'issues 101' });
    const titleRow = within(card).getByText('title').closest('tr')!;
    fireEvent.click(within(titleRow).getByLabelText('Take remote'));
    const labelsRow = within(card).getByText('labels').closest('tr')!;
    fireEvent.click(within(labelsRow).getByLabelText('Edit value'));
    fireEvent.change(within(labelsRow).getByLabelText(/New value for labels/), { target: { value: '["c"]' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Resolve issues 101' }));
    expect(await screen.findByText(/issues 101 resolved; the chosen values will be pushed/)).toBeTruthy();
    expect(requests.find((request) => request.method === 'POST')).toMatchObject({
      path: 'tenants/demo/conflicts/cf-1/resolve',
      body: { choices: { title: { take: 'remote' }, labels: { value: ['c'] } } },
    });
  });

  it('names the integration instead of its id', async () => {
    fake();
    renderSignedIn(<ConflictsPage />, { url: '/conflicts' });
    const card = await screen.findByRole('article', { name: 'issues 101' });
    await waitFor(() => expect(card.textContent).toContain('integration Issues'));
    expect(card.textContent).not.toContain('gh-1');
  });

  it('says the values were kept locally when the integration does not push', async () => {
    fake({
      pushPending: false,
      pushed: false,
      reason: '"Issues" is inbound-only: the chosen values are kept locally and not pushed to github',
    });
    renderSignedIn(<ConflictsPage />, { url: '/conflicts' });
    const card = await screen.findByRole('article', { name: 'issues 101' });
    fireEvent.click(within(card).getByRole('button', { name: 'Resolve issues 101' }));
    expect(await screen.findByText(/issues 101 resolved; not pushed: .*inbound-only.*kept locally/)).toBeTruthy();
    expect(screen.queryByText(/will be pushed/)).toBeNull();
  });

  it('shows the value chosen for each field of a resolved conflict', async () => {
    fake();
    renderSignedIn(<ConflictsPage />, { url: '/conflicts' });
    await screen.findByRole('article', { name: 'issues 101' });
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'resolved' } });
    const card = await screen.findByRole('article', { name: 'issues 109' });
    const chosen = within(card)
      .getAllByTestId('chosen')
      .map((cell) => cell.textContent!.replace(/\s+/g, ''));
    // Fields are listed in document order: title, labels.
    expect(chosen).toEqual(['Remotetitle(tookremote)', '["z"](typedvalue)']);
  });

  it('resolves selected conflicts in bulk after a confirmation, and reports the ones that failed', async () => {
    const requests = fake();
    renderSignedIn(<ConflictsPage />, { url: '/conflicts' });
    await screen.findByRole('article', { name: 'issues 101' });
    fireEvent.click(screen.getByLabelText('Select issues 101'));
    fireEvent.click(screen.getByLabelText('Select issues 102'));
    expect(screen.getByText('2 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Take remote for selected' }));
    const dialog = screen.getByRole('alertdialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Take remote' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        '1 conflict(s) resolved with the remote values. Not resolved: cf-2: already resolved',
      ),
    );
    expect(requests.filter((request) => request.method === 'POST')).toEqual([
      expect.objectContaining({
        path: 'tenants/demo/conflicts/resolve',
        body: { ids: ['cf-1', 'cf-2'], take: 'remote' },
      }),
    ]);
  });
});
