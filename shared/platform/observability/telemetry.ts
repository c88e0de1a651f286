/**
 * Application Insights through OpenTelemetry, switched on only when its connection string is configured
 * (in Azure). Started once per process, before the first handler runs.
 * The component has local auth off (infra/modules/monitoring.bicep), so ingestion refuses telemetry that is not
 * sent with an Entra token: the exporter authenticates with the app's managed identity, which holds Monitoring
 * Metrics Publisher on the component (infra/modules/roles.bicep).
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { managedIdentity } from '../azure/managed-identity';

export interface TelemetryOptions {
  /** AZURE_CLIENT_ID: the user-assigned identity to send as (the system identity when unset). */
  clientId?: string;
  /** Seams for tests: the identity, and the distro's entry point (useAzureMonitor). */
  credential?: TokenCredential;
  start?: (options: AzureMonitorOpenTelemetryOptions) => void;
}

let started = false;

/** What the exporter is given: where to send (the connection string) and as whom (the credential). */
export function azureMonitorOptions(
  connectionString: string,
  credential: TokenCredential,
): AzureMonitorOpenTelemetryOptions {
  return { azureMonitorExporterOptions: { connectionString, credential } };
}

export async function startTelemetry(
  connectionString: string | undefined,
  options: TelemetryOptions = {},
): Promise<boolean> {
  if (!connectionString || started) return started;
  const credential = options.credential ?? (await managedIdentity(options.clientId));
  const start = options.start ?? (await import('@azure/monitor-opentelemetry')).useAzureMonitor;
  start(azureMonitorOptions(connectionString, credential));
  started = true;
  return true;
}
