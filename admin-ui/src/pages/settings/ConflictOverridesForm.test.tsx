/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { IntegrationView } from '../../../../shared/admin/contracts/integrations';
import { installFakeApi, renderSignedIn, type FakeRequest } from '../../../test-support/render';
import SyncSettingsPage from '../SyncSettingsPage';

const BASE = 'tenants/demo/integrations/gh-1';
const integration: IntegrationView = {
  id: 'gh-1',
  tenantId: 'demo',
  provider: 'github',
  name: 'Widgets repo',
  status: 'active',
  enabled: true,
  entities: ['issues'],
  direction: 'bidirectional',
  schedule: { intervalMinutes: 30 },
  dedupStrategy: 'external_id',
  conflictStrategy: 'source_wins',
  conflictPolicy: {
    default: { kind: 'source_wins' },
    fields: { body: { kind: 'target_wins' }, labels: { kind: 'field_merge', priority: 'target' } },
  },
  providerOptions: {},
  nextSyncAt: '2026-01-01T00:00:00Z',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

afterEach(() => sessionStorage.clear());

function render(onPatch: (request: FakeRequest) => { status?: number; body?: unknown }) {
  const seen = installFakeApi((request) => {
    if (request.method === 'PATCH') return onPatch(request);
    if (request.path === BASE) return { body: integration };
    return { status: 404, body: { error: { code: 'not_found', message: request.path } } };
  });
  renderSignedIn(<SyncSettingsPage />, {
    url: '/integrations/gh-1/settings',
    route: '/integrations/:integrationId/settings',
  });
  return seen;
}

const fieldInputs = () => screen.getAllByLabelText(/^Field of override \d+$/) as HTMLInputElement[];

describe('ConflictOverridesForm', () => {
  it('shows the stored overrides, adds a custom rule row, removes one, and saves the policy with the default kept', async () => {
    const seen = render((request) => ({
      body: {
        ...integration,
        conflictPolicy: request.body && (request.body as { conflictPolicy: unknown }).conflictPolicy,
      },
    }));
    await screen.findByRole('heading', { name: 'Conflict overrides per field' });
    expect(fieldInputs().map((input) => input.value)).toEqual(['body', 'labels']);
    // No rule box until the strategy is custom.
    expect(screen.queryByLabelText('Custom rule for body')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Add override' }));
    fireEvent.change(fieldInputs()[2]!, { target: { value: 'comments' } });
    fireEvent.change(screen.getByLabelText('Strategy for comments'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByLabelText('Custom rule for comments'), { target: { value: '$max([local, remote])' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove override for body' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save overrides' }));

    await screen.findByText('Overrides saved.');
    expect(seen.filter((request) => request.method === 'PATCH')).toEqual([
      expect.objectContaining({
        path: BASE,
        // The untouched field_merge row keeps its stored priority.
        body: {
          conflictPolicy: {
            default: { kind: 'source_wins' },
            fields: {
              labels: { kind: 'field_merge', priority: 'target' },
              comments: { kind: 'custom', rule: '$max([local, remote])' },
            },
          },
        },
      }),
    ]);
    expect(fieldInputs().map((input) => input.value)).toEqual(['labels', 'comments']);
  });

  it('puts the API error on the row whose field it names, and on no other', async () => {
    render(() => ({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: 'conflictPolicy.fields.comments.rule: the custom rule does not compile',
          target: 'conflictPolicy.fields.comments.rule',
        },
      },
    }));
    await screen.findByRole('heading', { name: 'Conflict overrides per field' });
    fireEvent.click(screen.getByRole('button', { name: 'Add override' }));
    fireEvent.change(fieldInputs()[2]!, { target: { value: 'comments' } });
    fireEvent.change(screen.getByLabelText('Strategy for comments'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByLabelText('Custom rule for comments'), { target: { value: '$max([' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save overrides' }));

    const bad = fieldInputs()[2]!;
    await waitFor(() => expect(bad.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(bad.getAttribute('aria-describedby')!)!.textContent).toContain('does not compile');
    expect(
      fieldInputs()
        .slice(0, 2)
        .map((input) => input.getAttribute('aria-invalid')),
    ).toEqual([null, null]);
    expect(screen.queryByText('Overrides saved.')).toBeNull();
  });
});
