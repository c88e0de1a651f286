/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../../test-support/render';
import WebhooksPage from '../../pages/WebhooksPage';

const base = 'tenants/demo/integrations';
const path = (id: string) => `${base}/${id}/webhooks/subscription`;

afterEach(() => sessionStorage.clear());

/** A fake API with one GitHub (managed) and one Slack (manual) integration; only the subscription varies. */
function fake(subscriptions: Record<string, () => unknown>) {
  return installFakeApi(({ method, path: requested }) => {
    if (requested === 'tenants/demo/integrations')
      return {
        body: {
          items: [
            { id: 'gh-1', name: 'Issues', provider: 'github' },
            { id: 'sl-1', name: 'Chat', provider: 'slack' },
          ],
        },
      };
    for (const [id, answer] of Object.entries(subscriptions)) {
      if (requested !== path(id)) continue;
      if (method === 'POST') return { status: 202, body: answer() };
      if (method === 'DELETE') return { status: 204 };
      return { body: answer() };
    }
    return apiError(404, 'not_found', requested);
  });
}

function open(id: string) {
  renderSignedIn(<WebhooksPage />, { url: `/webhooks?integration=${id}`, route: '/webhooks' });
}

describe('WebhookSubscriptionCard', () => {
  it('turns a managed subscription on, then shows it active with the channel expiry', async () => {
    let on = false;
    const requests = fake({
      'gh-1': () =>
        on
          ? {
              provider: 'github',
              mode: 'managed',
              status: 'active',
              expiresAt: new Date(Date.now() + 6 * 86_400_000).toISOString(),
            }
          : { provider: 'github', mode: 'managed', status: 'off' },
    });
    open('gh-1');
    const card = (await screen.findByRole('heading', { name: 'Subscription' })).closest('.card') as HTMLElement;
    expect(await within(card).findByText('off')).toBeTruthy();
    expect(within(card).getByText(/Managed by this app at github/)).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Turn off webhooks' })).toBeNull();
    on = true;
    fireEvent.click(within(card).getByRole('button', { name: 'Turn on webhooks' }));
    expect(await within(card).findByText('Subscription created at github.')).toBeTruthy();
    expect(await within(card).findByText('active')).toBeTruthy();
    expect(within(card).getByTestId('expires').textContent).toMatch(/Channel expires in 6 d/);
    expect(requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      path('gh-1'),
    ]);
  });

  it('shows a failed subscription’s error and turns it off after confirmation', async () => {
    let off = false;
    const requests = fake({
      'gh-1': () =>
        off
          ? { provider: 'github', mode: 'managed', status: 'off' }
          : {
              provider: 'github',
              mode: 'managed',
              status: 'failed',
              lastError: 'acme/widgets: github hooks.create: Not Found',
            },
    });
    open('gh-1');
    const card = (await screen.findByRole('heading', { name: 'Subscription' })).closest('.card') as HTMLElement;
    expect((await within(card).findByRole('alert')).textContent).toBe('acme/widgets: github hooks.create: Not Found');
    fireEvent.click(within(card).getByRole('button', { name: 'Turn off webhooks' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Turn off webhooks?' });
    off = true;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    expect(await screen.findByText('Webhooks turned off and removed at the provider.')).toBeTruthy();
    await waitFor(() => expect(requests.some((request) => request.method === 'DELETE')).toBe(true));
    expect(requests.find((request) => request.method === 'DELETE')!.path).toBe(path('gh-1'));
  });

  it('lists the exact values to enter for a manual subscription, and only re-checks it', async () => {
    const requests = fake({
      'sl-1': () => ({
        provider: 'slack',
        mode: 'manual',
        status: 'pending',
        instructions: {
          where: 'api.slack.com/apps → your app → Event Subscriptions',
          values: [
            { name: 'Request URL', value: 'https://sync.example.com/api/webhooks/slack/sl-1' },
            { name: 'Subscribe to bot events', value: 'message.channels, message.groups' },
          ],
          steps: ['Turn "Enable Events" on and paste the Request URL.'],
        },
      }),
    });
    open('sl-1');
    const instructions = await screen.findByLabelText('Subscription instructions');
    expect(within(instructions).getByRole('heading').textContent).toBe(
      'Configure in api.slack.com/apps → your app → Event Subscriptions',
    );
    expect(within(instructions).getByRole('rowheader', { name: 'Request URL' }).nextElementSibling?.textContent).toBe(
      'https://sync.example.com/api/webhooks/slack/sl-1',
    );
    expect(screen.getByText('pending')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(requests.filter((request) => request.path === path('sl-1')).length).toBe(2));
    expect(requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });
});
