/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import WebhooksPage from './WebhooksPage';

const base = 'tenants/demo/integrations/gh-1';
const delivery = (deliveryId: string, verdict: string, extra: Record<string, unknown> = {}) => ({
  id: `r-${deliveryId}`,
  integrationId: 'gh-1',
  tenantId: 'demo',
  provider: 'github',
  deliveryId,
  verdict,
  receivedAt: new Date().toISOString(),
  handlingMs: 12,
  ...extra,
});

afterEach(() => sessionStorage.clear());

function fake() {
  let replayed = false;
  let previousValidUntil: string | undefined;
  return installFakeApi(({ method, path, body }) => {
    if (path === 'tenants/demo/integrations')
      return { body: { items: [{ id: 'gh-1', name: 'Issues', provider: 'github' }] } };
    if (path === `${base}/webhooks/endpoint`)
      return {
        body: {
          provider: 'github',
          url: 'https://sync.example.com/api/webhooks/github/gh-1',
          secret: {
            status: 'active',
            rotatedAt: new Date().toISOString(),
            updatedAt: new Date().toISOString(),
            ...(previousValidUntil ? { previousValidUntil } : {}),
          },
          pendingVerificationToken: false,
        },
      };
    if (path === `${base}/webhooks/subscription`)
      return { body: { provider: 'github', mode: 'managed', status: 'active' } };
    if (path === `${base}/webhooks/health`)
      return {
        body: {
          since: new Date().toISOString(),
          received: 3,
          accepted: 2,
          duplicates: 0,
          rejected: 1,
          rejectedByReason: { bad_signature: 1 },
          handlingMs: { p50: 10, p99: 40 },
          status: 'healthy',
          problems: [],
        },
      };
    if (path.startsWith(`${base}/webhooks/deliveries`))
      return {
        body: {
          items: [
            delivery('d-1', 'accepted', {
              archiveBlob: 'a/b',
              runIds: ['run-aaaa1111'],
              ...(replayed ? { replays: [{ at: new Date().toISOString(), by: 'admin', runIds: ['run-2'] }] } : {}),
            }),
            delivery('d-2', 'rejected', { reason: 'bad_signature' }),
          ],
        },
      };
    if (method === 'POST' && path === `${base}/webhooks/d-1/replay`) {
      replayed = true;
      return { status: 202, body: { deliveryId: 'd-1', runIds: ['run-2'] } };
    }
    if (method === 'PUT' && path === `${base}/webhook-secret`) {
      const secret = (body as { secret: string }).secret;
      if (secret.length < 16) return apiError(400, 'bad_request', 'secret: must be at least 16 characters', 'secret');
      previousValidUntil = new Date(Date.now() + 3600_000).toISOString();
      return {
        body: {
          type: 'webhook_secret',
          status: 'active',
          createdAt: '',
          rotatedAt: '',
          updatedAt: '',
          previousValidUntil,
        },
      };
    }
    return apiError(404, 'not_found', path);
  });
}

describe('WebhooksPage', () => {
  it('shows the URL, the verdicts and health figures, and replays a delivery to see it recorded', async () => {
    const requests = fake();
    renderSignedIn(<WebhooksPage />, { url: '/webhooks?integration=gh-1', route: '/webhooks' });
    expect(((await screen.findByLabelText('URL to give github')) as HTMLInputElement).value).toBe(
      'https://sync.example.com/api/webhooks/github/gh-1',
    );
    const rejected = (await screen.findByText('d-2')).closest('tr')!;
    expect(within(rejected).getByText('rejected')).toBeTruthy();
    expect(within(rejected).queryByRole('button')).toBeNull();
    const figures = screen.getByLabelText('Endpoint health figures');
    expect(within(figures).getByText('Rejected').nextElementSibling?.textContent).toBe('1');
    expect(within(figures).getByText('Handling p99').nextElementSibling?.textContent).toBe('40 ms');
    fireEvent.click(screen.getByRole('button', { name: 'Replay delivery d-1' }));
    expect(await screen.findByText(/Delivery d-1 replayed: run\(s\) run-2 started/)).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('replays').textContent).toContain('replayed 1×'));
    expect(requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      `${base}/webhooks/d-1/replay`,
    ]);
  });

  it('rotates the secret, says how long the previous one keeps verifying, and shows a field error in place', async () => {
    const requests = fake();
    renderSignedIn(<WebhooksPage />, { url: '/webhooks?integration=gh-1', route: '/webhooks' });
    const secret = (await screen.findByLabelText(/New secret/)) as HTMLInputElement;
    fireEvent.change(secret, { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect(await screen.findByText('secret: must be at least 16 characters')).toBeTruthy();
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect(secret.value).toMatch(/^[0-9a-f]{64}$/);
    fireEvent.change(screen.getByLabelText(/Overlap/), { target: { value: '60' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect(await screen.findByText(/The previous secret keeps verifying until/, { selector: '.notice' })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('overlap').textContent).toContain('keeps verifying until'));
    expect(requests.filter((request) => request.method === 'PUT').at(-1)?.body).toMatchObject({
      overlapMinutes: 60,
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
