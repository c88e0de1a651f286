/**
 * Telemetry authenticates with the managed identity: the options handed to useAzureMonitor carry a credential,
 * and the real Azure Monitor trace exporter built from those options sends `Authorization: Bearer` to an HTTPS
 * stand-in of the ingestion endpoint (Application Insights with local auth off refuses anything else).
 */
import { Agent } from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { AzureMonitorTraceExporter, type AzureMonitorExporterOptions } from '@azure/monitor-opentelemetry-exporter';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startHttpsRecorder, type HttpsRecorder, type RecordedRequest } from '../../../tests/support/https-recorder';
import { azureMonitorOptions, startTelemetry } from './telemetry';

const instrumentationKey = '00000000-0000-4000-8000-000000000001';

describe('startTelemetry', () => {
  it('does nothing without a connection string', async () => {
    const start = jest.fn();
    await expect(startTelemetry(undefined, { start })).resolves.toBe(false);
    expect(start).not.toHaveBeenCalled();
  });

  it('hands useAzureMonitor the connection string and the managed identity, once per process', async () => {
    const handed: AzureMonitorOpenTelemetryOptions[] = [];
    const connectionString = `InstrumentationKey=${instrumentationKey};IngestionEndpoint=https://127.0.0.1:9/`;
    await expect(
      startTelemetry(connectionString, {
        clientId: '11111111-2222-3333-4444-555555555555',
        start: (options) => handed.push(options),
      }),
    ).resolves.toBe(true);
    await expect(startTelemetry(connectionString, { start: (options) => handed.push(options) })).resolves.toBe(true);

    expect(handed).toHaveLength(1);
    const exporterOptions = handed[0]!.azureMonitorExporterOptions!;
    expect(exporterOptions.connectionString).toBe(connectionString);
    // The default is the lazily loaded DefaultAzureCredential of shared/platform/azure/managed-identity.ts.
    const { DefaultAzureCredential } = await import('@azure/identity');
    expect(exporterOptions.credential).toBeInstanceOf(DefaultAzureCredential);
  });
});

describe('the Azure Monitor exporter with these options', () => {
  let ingestion: HttpsRecorder;
  // The exporter's own usage metrics (statsbeat, SDK stats) go to Microsoft's endpoints on timers that outlive
  // the test; they are not what is checked here.
  const quiet = ['APPLICATION_INSIGHTS_NO_STATSBEAT', 'APPLICATIONINSIGHTS_SDKSTATS_DISABLED'];
  beforeAll(async () => {
    for (const name of quiet) process.env[name] = 'true';
    ingestion = await startHttpsRecorder({ status: 200, body: { itemsReceived: 1, itemsAccepted: 1, errors: [] } });
  });
  afterAll(async () => {
    for (const name of quiet) delete process.env[name];
    await ingestion.stop();
  });
  beforeEach(() => ingestion.requests.splice(0));

  const scopes: string[][] = [];
  const credential: TokenCredential = {
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(Array.isArray(requested) ? requested : [requested]);
      return { token: 'mi-token-telemetry', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };

  async function exportOneSpan(options: AzureMonitorExporterOptions): Promise<RecordedRequest[]> {
    const exporter = new AzureMonitorTraceExporter({
      ...options,
      disableOfflineStorage: true,
      agent: new Agent({ ca: ingestion.caPem }),
      retryOptions: { maxRetries: 0 },
    } as AzureMonitorExporterOptions);
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.getTracer('telemetry-test').startSpan('sync-run').end();
    await provider.forceFlush();
    await provider.shutdown();
    return ingestion.requests.filter((request) => request.path.includes('/track'));
  }

  const connectionString = () => `InstrumentationKey=${instrumentationKey};IngestionEndpoint=${ingestion.url}/`;
  const bodyText = (request: RecordedRequest) =>
    (request.headers['content-encoding'] === 'gzip' ? gunzipSync(request.body) : request.body).toString('utf8');

  it('sends the managed identity token for Azure Monitor with every batch', async () => {
    const [track, ...more] = await exportOneSpan(
      azureMonitorOptions(connectionString(), credential).azureMonitorExporterOptions!,
    );
    expect(more).toEqual([]);
    expect(track!.method).toBe('POST');
    expect(track!.path).toMatch(/^\/v2(\.1)?\/track/);
    expect(track!.headers.authorization).toBe('Bearer mi-token-telemetry');
    expect(scopes).toContainEqual(['https://monitor.azure.com/.default']);
    expect(bodyText(track!)).toContain('sync-run');
  });

  it('sends no token with the connection string alone (what local-auth-off ingestion refuses)', async () => {
    const [track] = await exportOneSpan({ connectionString: connectionString() });
    expect(track!.headers.authorization).toBeUndefined();
  });
});
