import { ServiceBusQueue, toServiceBusMessage } from './service-bus-queue';
import { isAppError } from '../errors/app-error';

describe('Service Bus adapter', () => {
  it('maps id, session, schedule, correlation and traceparent onto the SDK message', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(
      toServiceBusMessage({ messageId: 'run-1:0', body: { kind: 'sync-page' }, sessionId: 'integration-1', scheduledEnqueueTimeUtc: at, correlationId: 'c1', applicationProperties: { traceparent: '00-abc-def-01' } }),
    ).toEqual({
      messageId: 'run-1:0',
      body: { kind: 'sync-page' },
      contentType: 'application/json',
      sessionId: 'integration-1',
      scheduledEnqueueTimeUtc: at,
      correlationId: 'c1',
      applicationProperties: { traceparent: '00-abc-def-01' },
    });
  });

  it('leaves out what is not set', () => {
    expect(toServiceBusMessage({ messageId: 'm', body: 1 })).toEqual({ messageId: 'm', body: 1, contentType: 'application/json', applicationProperties: {} });
  });

  it('refuses a message without a session id for the session queue before any network call', async () => {
    const queue = new ServiceBusQueue({ connectionString: 'Endpoint=sb://unreachable.invalid/;SharedAccessKeyName=k;SharedAccessKey=a2V5' });
    const error = await queue.send('sync-inbound', [{ messageId: 'm', body: {} }]).catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('validation');
    await queue.close();
  });

  it('needs a namespace or a connection string', () => {
    expect(() => new ServiceBusQueue({})).toThrow(/ServiceBusConnection__fullyQualifiedNamespace/);
  });
});
