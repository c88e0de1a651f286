/**
 * EventGridPublisher through the real EventGridPublisherClient against a local HTTPS stand-in of a topic: what
 * goes on the wire (auth header, content type, the CloudEvents 1.0 batch) and how a refusal surfaces.
 */
import { Agent } from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { startHttpsRecorder, type HttpsRecorder } from '../../../tests/support/https-recorder';
import { EventGridPublisher, toCloudEvent } from './event-grid-publisher';
import type { AppEvent } from './events';

const event: AppEvent = {
  id: '6f1c2a7e-0d3b-4f5e-9a8b-1c2d3e4f5a6b',
  type: 'sync.run_failed',
  severity: 'error',
  tenantId: 'acme',
  integrationId: 'int-1',
  time: '2026-12-07T10:00:00.000Z',
  summary: 'run failed',
  data: { runId: 'run-9', failed: 3 },
  traceId: 'trace-1',
};

function recordingCredential(token: string): TokenCredential & { scopes: string[][] } {
  const scopes: string[][] = [];
  return {
    scopes,
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(Array.isArray(requested) ? requested : [requested]);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

let topic: HttpsRecorder;
let refusing: HttpsRecorder;
beforeAll(async () => {
  [topic, refusing] = await Promise.all([
    startHttpsRecorder({ status: 200 }),
    startHttpsRecorder({ status: 401, body: { error: { code: 'Unauthorized', message: 'no' } } }),
  ]);
});
afterAll(async () => Promise.all([topic.stop(), refusing.stop()]));
beforeEach(() => topic.requests.splice(0));

const clientOptions = (stand: HttpsRecorder) => ({
  agent: new Agent({ ca: stand.caPem }),
  retryOptions: { maxRetries: 0 },
});

describe('toCloudEvent', () => {
  it('names the content type with the CloudEvents attribute the SDK reads (datacontenttype)', () => {
    const cloudEvent = toCloudEvent(event) as Record<string, unknown>;
    expect(cloudEvent.datacontenttype).toBe('application/json');
    expect(cloudEvent).not.toHaveProperty('dataContentType');
  });
});

describe('EventGridPublisher against an HTTPS topic stand-in', () => {
  it('posts a CloudEvents batch with the managed identity token for Event Grid', async () => {
    const credential = recordingCredential('mi-token-1');
    const publisher = new EventGridPublisher({
      topicEndpoint: `${topic.url}/api/events`,
      credential,
      clientOptions: clientOptions(topic),
    });
    await publisher.publish([
      event,
      { ...event, id: 'second', integrationId: undefined, type: 'credential.expiring', data: {} },
    ]);

    expect(topic.requests).toHaveLength(1);
    const [request] = topic.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toMatch(/^\/api\/events\?api-version=/);
    expect(request!.headers.authorization).toBe('Bearer mi-token-1');
    expect(request!.headers['aeg-sas-key']).toBeUndefined();
    expect(request!.headers['content-type']).toBe('application/cloudevents-batch+json; charset=utf-8');
    expect(credential.scopes).toContainEqual(['https://eventgrid.azure.net/.default']);

    const batch = JSON.parse(request!.body.toString('utf8')) as Record<string, unknown>[];
    expect(batch).toEqual([
      {
        specversion: '1.0',
        id: event.id,
        source: '/integration-sync-engine',
        type: 'IntegrationSync.sync.run_failed',
        subject: 'tenants/acme/integrations/int-1',
        time: '2026-12-07T10:00:00.000Z',
        datacontenttype: 'application/json',
        data: {
          severity: 'error',
          summary: 'run failed',
          tenantId: 'acme',
          integrationId: 'int-1',
          traceId: 'trace-1',
          runId: 'run-9',
          failed: 3,
        },
      },
      expect.objectContaining({
        specversion: '1.0',
        id: 'second',
        type: 'IntegrationSync.credential.expiring',
        subject: 'tenants/acme',
        datacontenttype: 'application/json',
      }),
    ]);
  });

  it('sends a configured topic key as aeg-sas-key, never as a bearer token', async () => {
    const publisher = new EventGridPublisher({
      topicEndpoint: `${topic.url}/api/events`,
      topicKey: 'topic-key-1',
      clientOptions: clientOptions(topic),
    });
    await publisher.publish([event]);
    expect(topic.requests).toHaveLength(1);
    expect(topic.requests[0]!.headers['aeg-sas-key']).toBe('topic-key-1');
    expect(topic.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('sends nothing for an empty batch', async () => {
    await new EventGridPublisher({
      topicEndpoint: `${topic.url}/api/events`,
      credential: recordingCredential('t'),
      clientOptions: clientOptions(topic),
    }).publish([]);
    expect(topic.requests).toHaveLength(0);
  });

  it('turns a refusal into dependency_unavailable without the token in the message', async () => {
    const publisher = new EventGridPublisher({
      topicEndpoint: `${refusing.url}/api/events`,
      credential: recordingCredential('secret-token-value'),
      clientOptions: clientOptions(refusing),
    });
    const failure = await publisher.publish([event]).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure).toMatchObject({ code: 'dependency_unavailable' });
    expect(failure!.message).not.toContain('secret-token-value');
    expect(refusing.requests.length).toBeGreaterThan(0);
  });
});
