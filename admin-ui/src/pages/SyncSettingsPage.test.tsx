/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import { installFakeApi, renderSignedIn, type FakeRequest } from '../../test-support/render';
import SyncSettingsPage from './SyncSettingsPage';

const BASE = 'tenants/demo/integrations/sf-1';
const integration: IntegrationView = {
  id: 'sf-1',
  tenantId: 'demo',
  provider: 'salesforce',
  name: 'Sales org',
  status: 'active',
  enabled: true,
  entities: ['Account', 'Contact'],
  direction: 'bidirectional',
  schedule: { intervalMinutes: 30 },
  dedupStrategy: 'external_id',
  conflictStrategy: 'source_wins',
  providerOptions: {},
  mappings: {
    Contact: {
      provider: 'salesforce',
      entity: 'Contact',
      shardType: 'person',
      fields: { email: { source: 'Email', coerce: { to: 'string', trim: true } } },
      relationships: [{ name: 'company', field: 'AccountId', targetEntity: 'Account' }],
    },
  },
  nextSyncAt: '2026-01-01T00:00:00Z',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

afterEach(() => sessionStorage.clear());

function render(handler: (request: FakeRequest) => { status?: number; body?: unknown } | undefined) {
  const seen = installFakeApi(
    (request) =>
      handler(request) ??
      (request.path === BASE && request.method === 'GET'
        ? { body: integration }
        : { status: 404, body: { error: { code: 'not_found', message: request.path } } }),
  );
  renderSignedIn(<SyncSettingsPage />, {
    url: '/integrations/sf-1/settings',
    route: '/integrations/:integrationId/settings',
  });
  return seen;
}

describe('SyncSettingsPage', () => {
  it('saves schedule and strategies with one PATCH and shows the API error at the field it names', async () => {
    const seen = render((request) =>
      request.method === 'PATCH'
        ? {
            status: 400,
            body: {
              error: { code: 'bad_request', message: 'conflictStrategy: Invalid option', target: 'conflictStrategy' },
            },
          }
        : undefined,
    );
    await screen.findByRole('heading', { level: 1, name: 'Sales org: settings' });
    fireEvent.change(screen.getByLabelText(/Sync every/), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Conflict strategy'), { target: { value: 'manual' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const conflict = screen.getByLabelText('Conflict strategy');
    await waitFor(() => expect(conflict.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(conflict.getAttribute('aria-describedby')!)!.textContent).toContain(
      'Invalid option',
    );
    expect(seen.find((request) => request.method === 'PATCH')).toMatchObject({
      path: BASE,
      body: {
        schedule: { intervalMinutes: 5 },
        conflictStrategy: 'manual',
        entities: ['Account', 'Contact'],
        direction: 'bidirectional',
      },
    });
  });

  it('edits a mapping, keeps what the editor does not show, and puts each validation issue on its row', async () => {
    const seen = render((request) =>
      request.method === 'PUT'
        ? {
            status: 400,
            body: {
              error: {
                code: 'validation',
                message: 'invalid conversion schema: …',
                target: 'fields.email.source',
                details: {
                  issues: [
                    { path: 'fields.email.source', message: 'unknown field "Emial" of entity Contact' },
                    { path: 'fields.phone.source', message: 'unknown field "Fone"' },
                  ],
                },
              },
            },
          }
        : undefined,
    );
    await screen.findByRole('heading', { level: 1, name: 'Sales org: settings' });
    fireEvent.click(screen.getByRole('tab', { name: 'Contact' }));
    const panel = screen.getByRole('tabpanel');
    fireEvent.change(within(panel).getByLabelText('Source path of field 1'), { target: { value: 'Emial' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Add field' }));
    fireEvent.change(within(panel).getByLabelText('Shard field 2'), { target: { value: 'phone' } });
    fireEvent.change(within(panel).getByLabelText('Source path of field 2'), { target: { value: 'Fone' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Save mapping' }));
    const emailRow = await within(panel).findByRole('group', { name: 'Field 1: email' });
    await waitFor(() => expect(emailRow.textContent).toContain('unknown field "Emial"'));
    expect(within(panel).getByRole('group', { name: 'Field 2: phone' }).textContent).toContain('unknown field "Fone"');
    expect(emailRow.textContent).not.toContain('Fone');
    const put = seen.find((request) => request.method === 'PUT')!;
    expect(put.path).toBe(`${BASE}/mappings/Contact`);
    // The trim option of the coercion and the relationship survive an edit of other parts.
    expect(put.body).toEqual({
      provider: 'salesforce',
      entity: 'Contact',
      shardType: 'person',
      fields: { email: { source: 'Emial', coerce: { to: 'string', trim: true } }, phone: { source: 'Fone' } },
      relationships: [{ name: 'company', field: 'AccountId', targetEntity: 'Account' }],
    });
  });

  it('previews a sample record mapped with the draft, and shows a record-level error with its field', async () => {
    let answer: unknown = { ok: true, shardType: 'person', data: { email: 'ada@example.test' } };
    const seen = render((request) => (request.path.endsWith('/preview') ? { body: answer } : undefined));
    await screen.findByRole('heading', { level: 1, name: 'Sales org: settings' });
    fireEvent.click(screen.getByRole('tab', { name: 'Contact' }));
    const panel = screen.getByRole('tabpanel');
    fireEvent.change(within(panel).getByLabelText(/Sample record/), {
      target: { value: '{"id": "003", "data": {"Email": " ada@example.test "}}' },
    });
    fireEvent.click(within(panel).getByRole('button', { name: 'Preview mapped record' }));
    expect(JSON.parse((await within(panel).findByLabelText('Mapped record')).textContent!)).toEqual({
      email: 'ada@example.test',
    });
    expect(seen.find((request) => request.path.endsWith('/preview'))!.body).toMatchObject({
      record: { id: '003', data: { Email: ' ada@example.test ' } },
      schema: { shardType: 'person', fields: { email: { source: 'Email' } } },
    });

    answer = {
      ok: false,
      error: { recordId: '003', field: 'email', code: 'required_missing', message: 'email is required' },
    };
    fireEvent.click(within(panel).getByRole('button', { name: 'Preview mapped record' }));
    const problem = await within(panel).findByRole('alert');
    expect(problem.textContent).toContain('email is required');
    expect(problem.textContent).toContain('email');
  });
});
