/**
 * What the Azure host answers while a setting is invalid (see shared/config/settings-state.ts): the health
 * endpoint says 503 with a failed "settings" check, every other HTTP function 503 with the configuration error.
 * Both name the setting and its problem, never its value (the error message is built that way).
 */
import type { HttpResponseInit } from '@azure/functions';
import type { AppError } from '../shared/core/app-error';
import type { HealthReport } from '../shared/app/health';
import { json } from '../shared/platform/http/responses';
import type { HttpFunction } from './definition';
import { health } from './Health';

export function settingsProblemResponse(definition: HttpFunction, problem: AppError): HttpResponseInit {
  if (definition.name === health.name) {
    const report: HealthReport = {
      status: 'degraded',
      checks: [{ name: 'settings', ok: false, latencyMs: 0, error: problem.message }],
    };
    return json(503, report);
  }
  return json(503, { error: problem.toJSON() });
}
