/**
 * AdminApi: /api/admin/{*path}: configuration, runs, sync requests (see shared/admin), and the admin web UI at
 * /api/admin/ui/, which is where it loads in Azure (the host keeps /admin/* for itself; locally /admin works too).
 */
import type { HttpFunction } from '../definition';
import { ADMIN_UI_DIR } from '../AdminUi';
import { serveSite, UI_MOUNTS } from '../AdminUi/static-site';
import { handleAdminRequest } from '../../shared/admin/api/admin-api';
import { errorResponse, readJson } from '../../shared/platform/http/responses';
import { AppError } from '../../shared/core/app-error';
import { continueTrace } from '../../shared/platform/observability/correlation';

export const adminApi: HttpFunction = {
  name: 'AdminApi',
  trigger: 'http',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  route: 'api/admin/{*path}',
  async handler(request, _context, services) {
    const path = request.params.path ?? '';
    // The UI's page and assets: no API key, since the browser loads the page before anyone signs in; every
    // call the page then makes goes to the API below with the key. No API route starts with "ui".
    const uiPath = uiPathOf(path);
    if (uiPath !== undefined) {
      if (request.method !== 'GET')
        return errorResponse(
          new AppError('bad_request', `method ${request.method} is not allowed on the admin UI`, {
            httpStatus: 405,
            target: 'method',
          }),
        );
      return serveSite(ADMIN_UI_DIR, uiPath, UI_MOUNTS.api);
    }
    const trace = continueTrace(request.headers.get('traceparent'));
    let body: Promise<unknown> | undefined;
    return handleAdminRequest(
      services,
      {
        method: request.method,
        path,
        header: (name) => request.headers.get(name),
        query: request.query,
        // Read once, on demand: GET and DELETE never touch the body.
        body: () => (body ??= readJson(request, services.settings.limits.adminMaxBodyBytes)),
      },
      trace,
    );
  },
};

/** "ui" → "", "ui/integrations" → "integrations"; undefined for an API path. */
export function uiPathOf(path: string): string | undefined {
  if (path === 'ui') return '';
  return path.startsWith('ui/') ? path.slice('ui/'.length) : undefined;
}
