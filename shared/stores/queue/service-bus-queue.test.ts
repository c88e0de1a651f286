import { redrivenMessageId, ServiceBusQueue, toServiceBusMessage } from './service-bus-queue';
import { isAppError } from '../../core/app-error';
import { StandInServiceBusClient } from '../../../tests/support/service-bus-standin/client';
import { StandInNamespace } from '../../../tests/support/service-bus-standin/namespace';
import { standInServiceBus } from '../../../tests/support/service-bus-standin/harness';

const standInClient = (ns: StandInNamespace) => new StandInServiceBusClient(ns);

describe('Service Bus adapter', () => {
  it('maps id, session, schedule, correlation and traceparent onto the SDK message', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(
      toServiceBusMessage({
        messageId: 'run-1:0',
        body: { kind: 'sync-page' },
        sessionId: 'integration-1',
        scheduledEnqueueTimeUtc: at,
        correlationId: 'c1',
        applicationProperties: { traceparent: '00-abc-def-01' },
      }),
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
    expect(toServiceBusMessage({ messageId: 'm', body: 1 })).toEqual({
      messageId: 'm',
      body: 1,
      contentType: 'application/json',
      applicationProperties: {},
    });
  });

  it('refuses a message without a session id for the session queue before any network call', async () => {
    const queue = new ServiceBusQueue({
      connectionString: 'Endpoint=sb://unreachable.invalid/;SharedAccessKeyName=k;SharedAccessKey=a2V5',
    });
    const error = await queue.send('sync-inbound', [{ messageId: 'm', body: {} }]).catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('validation');
    await queue.close();
  });

  it('names a re-driven copy after the dead letter, replacing an earlier redrive suffix instead of stacking it', () => {
    expect(redrivenMessageId('run-1:0', 17)).toBe('run-1:0:redrive:17');
    expect(redrivenMessageId('run-1:0:redrive:17', 90)).toBe('run-1:0:redrive:90');
  });

  it('needs a namespace or a connection string', () => {
    expect(() => new ServiceBusQueue({})).toThrow(/ServiceBusConnection__fullyQualifiedNamespace/);
  });
});

describe('ServiceBusQueue over the Service Bus stand-in', () => {
  const options = { maxDeliveryCount: 3, lockDurationMs: 60_000, duplicateWindowMs: 600_000 };

  it('sends id, body, session, correlation and properties; a scheduled message stays invisible until due', async () => {
    const { ns, queue, advance } = standInServiceBus(options);
    const at = new Date(Date.now() + 60_000);
    await queue.send('sync-inbound', [
      {
        messageId: 'run-1:0',
        body: { kind: 'sync-page' },
        sessionId: 'integration-1',
        correlationId: 'c1',
        applicationProperties: { traceparent: '00-abc-def-01' },
      },
      { messageId: 'run-1:1', body: { kind: 'sync-page' }, sessionId: 'integration-1', scheduledEnqueueTimeUtc: at },
    ]);
    const [first, second] = ns.snapshot('sync-inbound', 'active');
    expect(first).toMatchObject({
      messageId: 'run-1:0',
      body: { kind: 'sync-page' },
      sessionId: 'integration-1',
      correlationId: 'c1',
      contentType: 'application/json',
      applicationProperties: { traceparent: '00-abc-def-01' },
    });
    expect(second!.visibleAt).toBe(at.getTime());
    const session = (await standInClient(ns).acceptSession('sync-inbound', 'integration-1', { maxWaitTimeInMs: 0 }))!;
    const now = await session.receiveMessages(10, { maxWaitTimeInMs: 0 });
    expect(now.map((message) => message.messageId)).toEqual(['run-1:0']);
    await session.completeMessage(now[0]!);
    advance(60_001);
    expect((await session.receiveMessages(10, { maxWaitTimeInMs: 0 })).map((message) => message.messageId)).toEqual([
      'run-1:1',
    ]);
    await session.close();
  });

  it('lets Service Bus drop a second send of the same message id within the window', async () => {
    const { ns, queue } = standInServiceBus(options);
    await queue.send('sync-outbound', [{ messageId: 'push-1', body: { n: 1 } }]);
    await queue.send('sync-outbound', [{ messageId: 'push-1', body: { n: 2 } }]);
    expect(ns.snapshot('sync-outbound', 'active').map((message) => message.body)).toEqual([{ n: 1 }]);
  });

  it('turns a broker refusal into an AppError that names the queue', async () => {
    const { queue } = standInServiceBus(options);
    const empty = new ServiceBusQueue({ client: standInClient(new StandInNamespace()) });
    const error = await empty.send('sync-outbound', [{ messageId: 'm', body: {} }]).catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.message).toMatch(/sending to sync-outbound failed: .*could not be found/);
    await queue.close();
  });

  it('pings by browsing, without locking or consuming anything', async () => {
    const { ns, queue } = standInServiceBus(options);
    await queue.send('sync-outbound', [{ messageId: 'm', body: {} }]);
    await expect(queue.ping()).resolves.toBeUndefined();
    expect(ns.snapshot('sync-outbound', 'active')).toMatchObject([
      { messageId: 'm', deliveryCount: 0, lock: undefined },
    ]);
    expect(ns.deliveries).toEqual([]);
    const unreachable = new ServiceBusQueue({ client: standInClient(new StandInNamespace()) });
    await expect(unreachable.ping()).rejects.toThrow(/could not be found/);
  });

  it('lists dead letters oldest first, bounded, past one peek page, and the same on every call', async () => {
    const { client, queue } = standInServiceBus(options);
    await queue.send(
      'sync-outbound',
      Array.from({ length: 600 }, (_, i) => ({ messageId: `m${i}`, body: { i } })),
    );
    const receiver = client.createReceiver('sync-outbound', { receiveMode: 'peekLock' });
    for (const message of await receiver.receiveMessages(600, { maxWaitTimeInMs: 0 }))
      await receiver.deadLetterMessage(message, {
        deadLetterReason: 'Bad',
        deadLetterErrorDescription: `no ${String(message.messageId)}`,
      });
    const first = await queue.listDeadLetters('sync-outbound', 500);
    expect(first.map((letter) => letter.messageId)).toEqual(Array.from({ length: 500 }, (_, i) => `m${i}`));
    expect(first[7]).toMatchObject({
      messageId: 'm7',
      body: { i: 7 },
      reason: 'Bad',
      description: 'no m7',
      deliveryCount: 0,
    });
    // The SDK's peek cursor would have continued at m500 here.
    expect((await queue.listDeadLetters('sync-outbound', 3)).map((letter) => letter.messageId)).toEqual([
      'm0',
      'm1',
      'm2',
    ]);
  });

  it('reads the dead letters of the session queue with an ordinary receiver (its dead-letter queue has no sessions)', async () => {
    const { client, queue } = standInServiceBus({ ...options, maxDeliveryCount: 1 });
    await queue.send('sync-inbound', [{ messageId: 'p', sessionId: 'integration-9', body: { page: 1 } }]);
    await expect(
      client.createReceiver('sync-inbound', { receiveMode: 'peekLock' }).receiveMessages(1, { maxWaitTimeInMs: 0 }),
    ).rejects.toThrow(/requires sessions/);
    await expect(
      client.acceptSession('sync-inbound', 'integration-9', { subQueueType: 'deadLetter', maxWaitTimeInMs: 0 }),
    ).rejects.toThrow(/sub-queue/);
    const session = (await client.acceptSession('sync-inbound', 'integration-9', { maxWaitTimeInMs: 0 }))!;
    await session.abandonMessage((await session.receiveMessages(1, { maxWaitTimeInMs: 0 }))[0]!);
    await session.close();
    expect(await queue.listDeadLetters('sync-inbound', 10)).toMatchObject([
      { messageId: 'p', sessionId: 'integration-9', reason: 'MaxDeliveryCountExceeded', deliveryCount: 1 },
    ]);
    expect(await queue.redrive('sync-inbound', 'p')).toBe(true);
    expect(await queue.listDeadLetters('sync-inbound', 10)).toEqual([]);
  });
});

describe('ServiceBusQueue.redrive when sending the copy fails', () => {
  it('keeps the dead letter, leaves no lock behind and reports a dependency error', async () => {
    const { ns, client, queue } = standInServiceBus({
      maxDeliveryCount: 1,
      lockDurationMs: 60_000,
      duplicateWindowMs: 600_000,
    });
    await queue.send('sync-outbound', [
      { messageId: 'a', body: {} },
      { messageId: 'b', body: {} },
    ]);
    const receiver = client.createReceiver('sync-outbound', { receiveMode: 'peekLock' });
    for (const message of await receiver.receiveMessages(2, { maxWaitTimeInMs: 0 }))
      await receiver.abandonMessage(message);
    const refusing = new ServiceBusQueue({
      client: {
        createReceiver: (name, options) => client.createReceiver(name, options),
        createSender: () => ({
          sendMessages: async () =>
            Promise.reject(Object.assign(new Error('ServiceCommunicationProblem'), { retryable: true })),
          close: async () => undefined,
        }),
        close: async () => undefined,
      },
    });
    const error = await refusing.redrive('sync-outbound', 'b').catch((thrown: unknown) => thrown);
    expect(isAppError(error) && [error.code, error.message]).toEqual([
      'dependency_unavailable',
      're-driving b on sync-outbound failed: ServiceCommunicationProblem',
    ]);
    expect(
      ns.snapshot('sync-outbound', 'deadLetter').map((message) => [message.messageId, Boolean(message.lock)]),
    ).toEqual([
      ['a', false],
      ['b', false],
    ]);
    expect(ns.snapshot('sync-outbound', 'active')).toEqual([]);
    expect(await queue.redrive('sync-outbound', 'b')).toBe(true);
  });
});
