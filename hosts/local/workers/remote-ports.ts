/**
 * The host process's queue and secret store as a worker process sees them (LOCAL_WORKERS > 1): every
 * call is forwarded, so the embedded queue keeps one owner and its guarantees (sessions, duplicate detection,
 * at-least-once, dead letters) hold for every worker, and a secret written through one worker is read by all.
 * Functions cannot cross processes: the dead-letter filters run here, on what the host process lists.
 */
import type {
  DeadLetterAccess,
  DeadLetteredMessage,
  ListDeadLettersOptions,
  OutgoingMessage,
  QueueSender,
  RedriveOptions,
} from '../../../shared/stores/queue/queue-port';
import type { QueueName } from '../../../shared/stores/queue/queues';
import type {
  SecretListItem,
  SecretMetadata,
  SecretStore,
  SetSecretOptions,
  StoredSecret,
} from '../../../shared/credentials';
import type { Caller, ServedMethods } from './rpc';

export const QUEUE_TARGET = 'queue';
export const SECRETS_TARGET = 'secrets';

export class RemoteQueue implements QueueSender, DeadLetterAccess {
  constructor(private readonly host: Caller) {}

  async send(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    await this.host.call(QUEUE_TARGET, 'send', queue, messages);
  }

  async ping(): Promise<void> {
    await this.host.call(QUEUE_TARGET, 'ping');
  }

  /** The host process closes the queue itself, after its workers have stopped. */
  async close(): Promise<void> {}

  async listDeadLetters(
    queue: QueueName,
    max: number,
    options: ListDeadLettersOptions = {},
  ): Promise<DeadLetteredMessage[]> {
    if (!options.accept) return this.host.call(QUEUE_TARGET, 'listDeadLetters', queue, max);
    const scanned = await this.host.call<DeadLetteredMessage[]>(
      QUEUE_TARGET,
      'listDeadLetters',
      queue,
      options.scanLimit ?? max,
    );
    return scanned.filter(options.accept).slice(0, max);
  }

  async redrive(queue: QueueName, messageId: string, options: RedriveOptions = {}): Promise<boolean> {
    if (options.accept) {
      // Checked before anything is touched, as the queue itself does: a dead letter never changes once listed.
      const letter = await this.host.call<DeadLetteredMessage | undefined>(
        QUEUE_TARGET,
        'findDeadLetter',
        queue,
        messageId,
      );
      if (!letter || !options.accept(letter)) return false;
    }
    return this.host.call(QUEUE_TARGET, 'redrive', queue, messageId);
  }
}

/** What the host process serves for RemoteQueue. */
export function servedQueue(queue: QueueSender & DeadLetterAccess): ServedMethods[string] {
  return {
    send: (name, messages) => queue.send(name as QueueName, messages as OutgoingMessage[]),
    ping: () => queue.ping(),
    listDeadLetters: (name, max) => queue.listDeadLetters(name as QueueName, max as number),
    findDeadLetter: async (name, messageId) => {
      let found: DeadLetteredMessage | undefined;
      await queue.listDeadLetters(name as QueueName, 1, {
        scanLimit: Number.MAX_SAFE_INTEGER,
        accept: (letter) => letter.messageId === messageId && (found = letter) !== undefined,
      });
      return found;
    },
    redrive: (name, messageId) => queue.redrive(name as QueueName, messageId as string),
  };
}

export class RemoteSecretStore implements SecretStore {
  constructor(
    readonly kind: SecretStore['kind'],
    private readonly host: Caller,
  ) {}

  get(name: string, options: { version?: string } = {}): Promise<StoredSecret | undefined> {
    return this.host.call(SECRETS_TARGET, 'get', name, { version: options.version });
  }

  set(name: string, value: string, options: SetSecretOptions = {}): Promise<SecretMetadata> {
    return this.host.call(SECRETS_TARGET, 'set', name, value, withoutSignal(options));
  }

  delete(name: string): Promise<boolean> {
    return this.host.call(SECRETS_TARGET, 'delete', name);
  }

  list(options: { prefix?: string } = {}): Promise<SecretListItem[]> {
    return this.host.call(SECRETS_TARGET, 'list', { prefix: options.prefix });
  }
}

/** What the host process serves for RemoteSecretStore. */
export function servedSecrets(store: SecretStore): ServedMethods[string] {
  return {
    get: (name, options) => store.get(name as string, options as { version?: string }),
    set: (name, value, options) => store.set(name as string, value as string, options as SetSecretOptions),
    delete: (name) => store.delete(name as string),
    list: (options) => store.list(options as { prefix?: string }),
  };
}

/** An AbortSignal cannot cross processes; the call's own timeout in the host process still applies. */
function withoutSignal<T extends { signal?: AbortSignal }>(options: T): Omit<T, 'signal'> {
  const { signal: _signal, ...rest } = options;
  return rest;
}
