/**
 * Entry point for the Azure Functions host (package.json "main" points at its compiled form). Registers every
 * function of the manifest with @azure/functions v4. Settings are validated here, at start-up, but an invalid
 * setting does not stop registration (the host would then run no function at all, not even the health check
 * that says why): every function registers, /api/health answers 503 naming the setting, and each invocation
 * fails with that message. Services are built once, on first use.
 */
import { app, type InvocationContext } from '@azure/functions';
import { loadSettingsState } from '../shared/config/settings-state';
import { createServices, type AppServices } from '../shared/app/services';
import { startTelemetry } from '../shared/platform/observability/telemetry';
import { SERVICE_BUS_CONNECTION } from '../shared/stores/queue/queues';
import { FUNCTIONS } from './manifest';
import { settingsProblemResponse } from './settings-problem';

const state = loadSettingsState();
// Trigger options (timer schedules) only, while a setting is invalid.
const settings = state.ok ? state.settings : state.registration;
// Names the setting and its problem, never its value: the host's log shows why every invocation fails.
if (!state.ok) console.error(`${state.problem.message}; every function is registered but fails until it is fixed`);
let services: Promise<AppServices> | undefined;

function getServices(): Promise<AppServices> {
  if (!state.ok) return Promise.reject(state.problem);
  services ??= startTelemetry(settings.appInsightsConnectionString, { clientId: settings.azureClientId }).then(() =>
    createServices(settings),
  );
  // A failed start is not cached: the next invocation tries again.
  services.catch(() => (services = undefined));
  return services;
}

for (const definition of FUNCTIONS) {
  switch (definition.trigger) {
    case 'http':
      // Local-only routes (the /admin UI) would stop the Azure host at start-up; AdminApi serves the UI there.
      if (definition.localOnly) break;
      app.http(definition.name, {
        methods: definition.methods,
        route: definition.route,
        authLevel: 'anonymous',
        handler: async (request, context) =>
          state.ok
            ? definition.handler(request, context, await getServices())
            : settingsProblemResponse(definition, state.problem),
      });
      break;
    case 'timer':
      app.timer(definition.name, {
        schedule: definition.schedule(settings),
        runOnStartup: false,
        handler: async (timer, context) => definition.handler(timer, context, await getServices()),
      });
      break;
    case 'serviceBusQueue':
      app.serviceBusQueue(definition.name, {
        connection: SERVICE_BUS_CONNECTION,
        queueName: definition.queueName,
        isSessionsEnabled: definition.isSessionsEnabled,
        handler: async (message: unknown, context: InvocationContext) =>
          definition.handler(message, context, await getServices()),
      });
      break;
  }
}
