/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, installFakeApi, renderSignedIn } from '../../test-support/render';
import RateLimitsPage from './RateLimitsPage';

const base = 'tenants/demo/integrations/gh-1';
const rate = (level: string, reserved: number, extra: Record<string, unknown> = {}) => ({
  level,
  kind: 'rate',
  rule: { kind: 'rate', limit: 5000, windowMs: 3600_000, burst: 100 },
  factor: 1,
  reserved,
  capacity: 100,
  available: Math.floor(100 - reserved),
  waitMs: 0,
  ...extra,
});

afterEach(() => sessionStorage.clear());

function fake() {
  let override: unknown = null;
  return installFakeApi(({ method, path, body }) => {
    if (path === 'tenants/demo/integrations')
      return { body: { items: [{ id: 'gh-1', name: 'Issues', provider: 'github' }] } };
    if (path.startsWith(`${base}/rate-limits/usage`)) {
      const levels = [rate('tenant', 3), rate('integration', 97.5, { factor: 0.5 }), rate('app', 0)];
      if (path.includes('operation=issues.create'))
        levels.push(rate('operation', 10, { operation: 'issues.create', capacity: 10, available: 0, waitMs: 1500 }));
      return {
        body: {
          tenantId: 'demo',
          integrationId: 'gh-1',
          provider: 'github',
          backend: 'redis',
          at: new Date().toISOString(),
          levels,
        },
      };
    }
    if (path === 'rate-limits/defaults')
      return {
        body: {
          tenant: { kind: 'rate', limit: 50, windowMs: 1000, burst: 100 },
          providers: {
            github: {
              integration: { kind: 'rate', limit: 5000, windowMs: 3600_000, burst: 100 },
              app: { kind: 'rate', limit: 100, windowMs: 1000 },
              operations: [],
            },
          },
        },
      };
    if (path === `${base}/rate-limits` && method === 'GET')
      return {
        body: {
          scope: { tenantId: 'demo', integrationId: 'gh-1' },
          override,
          health: { backend: 'redis', degraded: false, since: 0 },
        },
      };
    if (path === `${base}/rate-limits` && method === 'PUT') {
      const limit = (body as { integration?: { limit?: number } }).integration?.limit ?? 0;
      if (limit < 1)
        return apiError(
          400,
          'validation',
          'invalid rate-limit override at integration.limit: Too small',
          'integration.limit',
        );
      override = body;
      return { body: { scope: {}, override } };
    }
    if (path === 'tenants/demo/rate-limits')
      return {
        body: { scope: { tenantId: 'demo' }, override: null, health: { backend: 'redis', degraded: false, since: 0 } },
      };
    return apiError(404, 'not_found', path);
  });
}

describe('RateLimitsPage', () => {
  it('shows each level with its usage meter, the throttled factor, and an operation’s level on request', async () => {
    const requests = fake();
    renderSignedIn(<RateLimitsPage />, { url: '/rate-limits?integration=gh-1', route: '/rate-limits' });
    const meter = await screen.findByRole('meter', { name: 'Integration usage' });
    expect(meter.getAttribute('aria-valuenow')).toBe('97.5');
    expect(meter.getAttribute('aria-valuetext')).toBe('97.5 of 100');
    const integrationRow = meter.closest('tr')!;
    expect(within(integrationRow).getByText('5000 per hour, bursts of 100')).toBeTruthy();
    expect(within(integrationRow).getByText(/throttled to 50%/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Operation/), { target: { value: 'issues.create' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show operation' }));
    const operation = await screen.findByRole('meter', { name: 'Operation (issues.create) usage' });
    expect(within(operation.closest('tr')!).getByText('1.5 s')).toBeTruthy();
    expect(requests.some((request) => request.path === `${base}/rate-limits/usage?operation=issues.create`)).toBe(true);
  });

  it('saves an override and shows the API’s validation error with the field it names', async () => {
    const requests = fake();
    renderSignedIn(<RateLimitsPage />, { url: '/rate-limits?integration=gh-1', route: '/rate-limits' });
    const editor = (await screen.findAllByLabelText(/Override \(JSON\)/))[0] as HTMLTextAreaElement;
    await waitFor(() => expect(editor.value).toContain('"integration"'));
    fireEvent.change(editor, { target: { value: '{"integration": {"kind": "rate", "limit": 0, "windowMs": 1000}}' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Save override' })[0]!);
    expect((await screen.findByText(/integration.limit: invalid rate-limit override/)).getAttribute('role')).toBe(
      'alert',
    );
    expect(editor.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(editor, { target: { value: '{"integration": {"kind": "rate", "limit": 20, "windowMs": 1000}}' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Save override' })[0]!);
    expect(await screen.findByText(/Override for this integration saved/)).toBeTruthy();
    expect(requests.filter((request) => request.method === 'PUT').at(-1)).toMatchObject({
      path: `${base}/rate-limits`,
      body: { integration: { limit: 20 } },
    });
  });
});
