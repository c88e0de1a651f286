/** Health: GET /api/health → 200 with a check per dependency, or 503 naming what is down. */
import type { HttpFunction } from '../definition';
import { checkHealth } from '../../shared/app/health';
import { json } from '../../shared/platform/http/responses';

export const health: HttpFunction = {
  name: 'Health',
  trigger: 'http',
  methods: ['GET'],
  route: 'api/health',
  async handler(_request, _context, services) {
    const report = await checkHealth(services);
    if (report.status !== 'ok')
      services.logger.warn('health check failed', {
        down: report.checks.filter((entry) => !entry.ok).map((entry) => entry.name),
      });
    return json(report.status === 'ok' ? 200 : 503, report);
  },
};
