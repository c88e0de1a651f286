/**
 * The queue and the secret store an HTTP worker process reaches in the host process: the queue conformance
 * suite through RemoteQueue, and secrets written and read from both sides, over a channel that serialises
 * messages as the cluster's IPC does (structured clone) and delivers them later, as a pipe does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedQueue } from '../../../shared/stores/queue/embedded-queue';
import { LocalSecretStore } from '../../../shared/credentials';
import { isAppError } from '../../../shared/core/app-error';
import { embeddedQueueUnderTest, runQueueConformance } from '../../../tests/support/queue-conformance';
import { channelPair } from '../../../tests/support/ipc-channel';
import { callerOver, serveCalls } from './rpc';
import {
  QUEUE_TARGET,
  RemoteQueue,
  RemoteSecretStore,
  SECRETS_TARGET,
  servedQueue,
  servedSecrets,
} from './remote-ports';

runQueueConformance("embedded queue, sent to from an HTTP worker's process", (options) =>
  embeddedQueueUnderTest(
    (now) => new EmbeddedQueue({ ...options, now }),
    (queue) => {
      const [hostEnd, workerEnd] = channelPair();
      serveCalls(hostEnd, { [QUEUE_TARGET]: servedQueue(queue) });
      return new RemoteQueue(callerOver(workerEnd));
    },
  ),
);

describe("the host's secret store from an HTTP worker's process", () => {
  let dir: string;
  let store: LocalSecretStore;
  let remote: RemoteSecretStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'remote-secrets-'));
    store = new LocalSecretStore({ filePath: join(dir, 'secrets.enc'), keyFilePath: join(dir, 'secrets.key') });
    const [hostEnd, workerEnd] = channelPair();
    serveCalls(hostEnd, { [SECRETS_TARGET]: servedSecrets(store) });
    remote = new RemoteSecretStore(store.kind, callerOver(workerEnd));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through the worker what the host reads, and the other way round', async () => {
    const written = await remote.set('cred-a', 'value-a', { contentType: 'application/json', tags: { kind: 'oauth' } });
    expect((await store.get('cred-a'))?.value).toBe('value-a');
    await store.set('cred-b', 'value-b');
    expect((await remote.get('cred-b'))?.value).toBe('value-b');
    expect((await remote.get('cred-a', { version: written.version }))?.value).toBe('value-a');
    expect((await remote.list({ prefix: 'cred-' })).map((item) => item.name).sort()).toEqual(['cred-a', 'cred-b']);
    expect(await remote.delete('cred-a')).toBe(true);
    expect(await store.get('cred-a')).toBeUndefined();
    expect(await remote.get('missing')).toBeUndefined();
  });

  it("answers the host's errors with their code and target", async () => {
    const refused = await remote.set('not a valid name!', 'x').catch((error: unknown) => error);
    expect(isAppError(refused)).toBe(true);
    const direct = await store.set('not a valid name!', 'x').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: (direct as { code: string }).code, message: (direct as Error).message });
  });

  it('fails the calls waiting when the host process goes away', async () => {
    const [, workerEnd] = channelPair();
    const caller = callerOver(workerEnd);
    const waiting = new RemoteSecretStore('local_file', caller).get('anything');
    caller.close('the host process is gone');
    await expect(waiting).rejects.toMatchObject({ code: 'dependency_unavailable' });
  });
});
