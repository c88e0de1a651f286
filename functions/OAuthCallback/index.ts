/** OAuthCallback: GET /api/oauth/callback, where a provider sends a person back after consent. Answers a page. */
import type { HttpFunction } from '../definition';
import { completeOAuth } from '../../shared/credentials/connect/connect';
import { connectDeps, oauthRedirectUri } from '../../shared/credentials/connect/wiring';
import { htmlPage } from '../../shared/platform/http/html';

/**
 * Both outcomes lead back to the admin UI's integration list, where the new state shows: at its /api/admin/ui
 * mount, the one that works both in Azure (which keeps /admin/* for its own host API) and locally.
 */
const BACK = { href: '/api/admin/ui/integrations', text: 'Back to integrations' };

export const oauthCallback: HttpFunction = {
  name: 'OAuthCallback',
  trigger: 'http',
  methods: ['GET'],
  route: 'api/oauth/callback',
  async handler(request, _context, services) {
    const result = await completeOAuth(connectDeps(services), request.query, oauthRedirectUri(services.settings));
    if (!result.ok) {
      services.logger.warn('OAuth callback refused', { status: result.status, reason: result.reason });
      return htmlPage(result.status, 'Not connected', result.reason, BACK);
    }
    services.logger.info('OAuth connect completed', { tenantId: result.tenantId, integrationId: result.integrationId });
    services.activity.record({
      tenantId: result.tenantId,
      type: 'credential',
      integrationId: result.integrationId,
      status: 'connected',
      summary: 'connected through OAuth',
    });
    return htmlPage(
      200,
      'Connected',
      `Integration ${result.integrationId} is connected. You can close this window.`,
      BACK,
    );
  },
};
