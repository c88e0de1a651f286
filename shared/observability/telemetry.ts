/**
 * Application Insights through OpenTelemetry, switched on only when its connection string is configured
 * (in Azure). Started once per process, before the first handler runs.
 */
let started = false;

export async function startTelemetry(connectionString: string | undefined): Promise<boolean> {
  if (!connectionString || started) return started;
  const { useAzureMonitor } = await import('@azure/monitor-opentelemetry');
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  started = true;
  return true;
}
