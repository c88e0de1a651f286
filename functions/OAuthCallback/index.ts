/** OAuthCallback: GET /api/oauth/callback, where a provider sends a person back after consent. Answers a page. */
import type { HttpFunction } from '../definition';
import { completeOAuth } from '../../shared/credentials/connect/connect';
import { connectDeps, oauthRedirectUri } from '../../shared/credentials/connect/wiring';
import { htmlPage } from '../../shared/platform/http/html';
import { UI_MOUNTS, type UiMount } from '../AdminUi/static-site';

/**
 * The admin UI sets this cookie (path /api/oauth) just before it sends the person to the provider: the mount it
 * was opened at, so "Back" returns there (/admin on the local host, /api/admin/ui in Azure and locally).
 */
export const UI_MOUNT_COOKIE = 'ise_ui_mount';

/**
 * The mount the person came from, read from the cookie and accepted only when it is one of the UI's own mounts
 * (never a redirect elsewhere); without it, /api/admin/ui, the mount that works everywhere.
 */
export function mountFromCookie(cookieHeader: string | null | undefined): UiMount {
  const mounts = Object.values(UI_MOUNTS) as string[];
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== UI_MOUNT_COOKIE) continue;
    let mount: string;
    try {
      mount = decodeURIComponent(value.join('='));
    } catch {
      continue;
    }
    if (mounts.includes(mount)) return mount as UiMount;
  }
  return UI_MOUNTS.api;
}

export const oauthCallback: HttpFunction = {
  name: 'OAuthCallback',
  trigger: 'http',
  methods: ['GET'],
  route: 'api/oauth/callback',
  async handler(request, _context, services) {
    const mount = mountFromCookie(request.headers.get('cookie'));
    // Both outcomes lead back to the admin UI's integration list, where the new state shows.
    const back = { href: `${mount}/integrations`, text: 'Back to integrations' };
    const icon = `${mount}/favicon.ico`;
    const result = await completeOAuth(connectDeps(services), request.query, oauthRedirectUri(services.settings));
    if (!result.ok) {
      services.logger.warn('OAuth callback refused', { status: result.status, reason: result.reason });
      return htmlPage(result.status, 'Not connected', result.reason, back, icon);
    }
    services.logger.info('OAuth connect completed', { tenantId: result.tenantId, integrationId: result.integrationId });
    services.activity.record({
      tenantId: result.tenantId,
      type: 'credential',
      integrationId: result.integrationId,
      status: 'connected',
      summary: 'connected through OAuth',
    });
    // The person knows the integration by its name, not its id.
    const integration = await services.integrations.get(result.tenantId, result.integrationId).catch(() => undefined);
    const name = integration ? `“${integration.name}”` : result.integrationId;
    return htmlPage(200, 'Connected', `Integration ${name} is connected. You can close this window.`, back, icon);
  },
};
