/** AdminApi: /api/admin/{*path}: configuration, runs, sync requests (see shared/admin). */
import type { HttpFunction } from '../definition';
import { handleAdminRequest } from '../../shared/admin/admin-api';
import { readJson } from '../../shared/http/responses';
import { continueTrace } from '../../shared/observability/correlation';

export const adminApi: HttpFunction = {
  name: 'AdminApi',
  trigger: 'http',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  route: 'admin/{*path}',
  async handler(request, _context, services) {
    const trace = continueTrace(request.headers.get('traceparent'));
    let body: Promise<unknown> | undefined;
    return handleAdminRequest(
      services,
      {
        method: request.method,
        path: request.params.path ?? '',
        header: (name) => request.headers.get(name),
        query: request.query,
        // Read once, on demand: GET and DELETE never touch the body.
        body: () => (body ??= readJson(request, services.settings.limits.adminMaxBodyBytes)),
      },
      trace,
    );
  },
};
