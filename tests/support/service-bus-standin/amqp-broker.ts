/**
 * An AMQP 1.0 front (rhea, which the SDK itself uses) over a StandInNamespace, so that the real
 * @azure/service-bus client can be judged against the same broker model: CBS token puts, sender links (single and
 * batch messages), peek-lock receiver links (lock tokens as delivery tags, sequence number, enqueued time and
 * locked-until annotations, the header delivery count, drain), settlement (accepted = complete, modified =
 * abandon, rejected = dead-letter) and the $management operations ServiceBusQueue uses (peek, renew-lock).
 * Connect with `Endpoint=sb://localhost:<port>;SharedAccessKeyName=k;SharedAccessKey=k;UseDevelopmentEmulator=true`.
 */
import rhea, {
  type Connection,
  type Container,
  type Delivery,
  type EventContext,
  type Message,
  type Receiver,
  type Sender,
} from 'rhea';
import type { AddressInfo } from 'node:net';
import { StandInNamespace, type StoredMessage, type SubQueue } from './namespace';

const BATCH_FORMAT = 0x80013700;
const DEAD_LETTER_SUFFIX = '/$DeadLetterQueue';

interface EntityLink {
  sender: Sender;
  queue: string;
  subQueue: SubQueue;
  sessionId?: string;
  /** Deliveries handed to rhea that it has not yet written (and charged to the link credit). */
  queued: number;
}

// Parts of rhea that its type declarations leave out.
interface Terminus {
  address?: string;
  filter?: Record<string, unknown>;
}
const remoteAttach = (link: Sender | Receiver) =>
  (link as unknown as { remote: { attach: { source?: Terminus; target?: Terminus } } }).remote.attach;
const creditOf = (sender: Sender) => (sender as unknown as { credit: number }).credit;
const outcomes = rhea.message as unknown as {
  accepted(): { described(): unknown };
  rejected(fields: { error: { condition: string; description: string } }): { described(): unknown };
};

/** The SDK shows lock tokens in .NET GUID byte order: the first three groups are byte-swapped from the wire. */
function reorder(bytes: Buffer): Buffer {
  return Buffer.from([
    bytes[3]!,
    bytes[2]!,
    bytes[1]!,
    bytes[0]!,
    bytes[5]!,
    bytes[4]!,
    bytes[7]!,
    bytes[6]!,
    ...bytes.subarray(8),
  ]);
}

function tokenToTag(token: string): Buffer {
  return reorder(Buffer.from(token.replace(/-/g, ''), 'hex'));
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function entityOf(address: string): { queue: string; subQueue: SubQueue } {
  return address.endsWith(DEAD_LETTER_SUFFIX)
    ? { queue: address.slice(0, -DEAD_LETTER_SUFFIX.length), subQueue: 'deadLetter' }
    : { queue: address, subQueue: 'active' };
}

/** The body is kept as the section the client sent (a plain copy), and sent back the same way. */
function storedBody(message: Message): unknown {
  const body = message.body as { typecode?: number; content?: unknown; multiple?: boolean } | undefined;
  if (body && body.typecode === 117 && Buffer.isBuffer(body.content))
    return { amqpData: body.content.toString('base64') };
  return { amqpValue: body };
}

/** A section kept from the wire goes back as it came; a body stored in-process goes the way the SDK sends JSON. */
function wireBody(body: unknown): unknown {
  const stored = (body ?? {}) as { amqpData?: string; amqpValue?: unknown };
  if (stored.amqpData !== undefined) return rhea.message.data_section(Buffer.from(stored.amqpData, 'base64'));
  if ('amqpValue' in stored) return stored.amqpValue;
  return rhea.message.data_section(Buffer.from(JSON.stringify(body), 'utf8'));
}

function wireMessage(message: StoredMessage, subQueue: SubQueue, lockedUntil?: number): Message {
  const properties = {
    ...message.applicationProperties,
    ...(subQueue === 'deadLetter'
      ? { DeadLetterReason: message.deadLetterReason, DeadLetterErrorDescription: message.deadLetterErrorDescription }
      : {}),
  };
  return {
    message_id: message.messageId,
    group_id: message.sessionId,
    correlation_id: message.correlationId,
    content_type: message.contentType,
    application_properties: properties as Message['application_properties'],
    body: wireBody(message.body),
    delivery_count: message.deliveryCount,
    message_annotations: {
      'x-opt-sequence-number': rhea.types.wrap_long(message.sequenceNumber),
      'x-opt-enqueued-time': new Date(message.enqueuedAt),
      ...(lockedUntil === undefined ? {} : { 'x-opt-locked-until': new Date(lockedUntil) }),
    },
  } as Message;
}

export class AmqpStandInBroker {
  private readonly container: Container = rhea.create_container({ id: 'service-bus-stand-in' });
  private readonly entityLinks = new Set<EntityLink>();
  /** Links that carry replies: CBS and $management, by connection and address (the reply-to, when it has one). */
  private readonly replyLinks: Array<{ sender: Sender; source: string; target?: string }> = [];
  private readonly deliveries = new WeakMap<Delivery, { link: EntityLink; token: string }>();
  private server?: ReturnType<Container['listen']>;
  private pumpTimer?: NodeJS.Timeout;

  constructor(readonly ns: StandInNamespace) {
    this.container.sasl_server_mechanisms.enable_anonymous();
    this.container.on('sender_open', (context: EventContext) => this.onSenderOpen(context));
    this.container.on('receiver_open', (context: EventContext) =>
      context.receiver!.set_target(remoteAttach(context.receiver!).target as never),
    );
    this.container.on('sendable', () => this.pump());
    this.container.on('message', (context: EventContext) => this.onMessage(context));
    this.container.on('accepted', (context: EventContext) =>
      this.settle(context, (link, token) => this.ns.complete(link.queue, link.subQueue, token)),
    );
    // rhea reports the client's `modified` (abandon) as `released`.
    this.container.on('released', (context: EventContext) =>
      this.settle(context, (link, token) => this.ns.abandon(link.queue, link.subQueue, token)),
    );
    this.container.on('rejected', (context: EventContext) =>
      this.settle(context, (link, token) => {
        const info =
          (context.delivery!.remote_state as { error?: { info?: Record<string, string> } } | undefined)?.error?.info ??
          {};
        this.ns.deadLetter(link.queue, token, info.DeadLetterReason ?? '', info.DeadLetterErrorDescription ?? '');
      }),
    );
    this.container.on('sender_close', (context: EventContext) => this.onLinkGone(context.sender!));
    this.container.on('disconnected', () => undefined);
  }

  async listen(): Promise<number> {
    this.server = this.container.listen({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => this.server!.once('listening', () => resolve()));
    this.pumpTimer = setInterval(() => this.pump(), 10);
    return (this.server.address() as AddressInfo).port;
  }

  connectionString(port: number): string {
    return `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=standin;SharedAccessKey=c3RhbmQtaW4=;UseDevelopmentEmulator=true`;
  }

  async close(): Promise<void> {
    clearInterval(this.pumpTimer);
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private onSenderOpen(context: EventContext): void {
    const sender = context.sender!;
    const attach = remoteAttach(sender);
    const source = attach.source?.address ?? '';
    const target = attach.target?.address;
    sender.set_source(attach.source as never);
    if (source === '$cbs' || source.endsWith('/$management')) {
      this.replyLinks.push({ sender, source, target });
      return;
    }
    const sessionId = attach.source?.filter?.['com.microsoft:session-filter'] as string | undefined;
    this.entityLinks.add({ sender, ...entityOf(source), sessionId, queued: 0 });
  }

  private onLinkGone(sender: Sender): void {
    for (const link of this.entityLinks) {
      if (link.sender !== sender) continue;
      this.entityLinks.delete(link);
      this.ns.releaseLocksOf(link.queue, link);
    }
  }

  private onMessage(context: EventContext): void {
    const message = context.message!;
    const address = context.receiver!.target?.address as string;
    const connection = context.connection!;
    if (address === '$cbs')
      return this.reply(
        connection,
        address,
        message,
        { 'status-code': 202, 'status-description': 'Accepted' },
        undefined,
      );
    if (address.endsWith('/$management')) return this.manage(connection, address, message);
    // A batch arrives undecoded (message format 0x80013700): one data section per encoded message.
    const batch =
      context.delivery!.format === BATCH_FORMAT ? rhea.message.decode(message as unknown as Buffer) : undefined;
    const sections = batch && (batch.body as { content: Buffer | Buffer[] }).content;
    const messages: Message[] = batch
      ? (Array.isArray(sections) ? sections : [sections!]).map(
          (bytes) => rhea.message.decode(bytes) as unknown as Message,
        )
      : [message];
    this.ns.send(
      address,
      messages.map((sent) => ({
        messageId: sent.message_id === undefined ? undefined : String(sent.message_id),
        body: storedBody(sent),
        sessionId: sent.group_id,
        correlationId: sent.correlation_id === undefined ? undefined : String(sent.correlation_id),
        contentType: sent.content_type,
        scheduledEnqueueTimeUtc: (sent.message_annotations as Record<string, unknown> | undefined)?.[
          'x-opt-scheduled-enqueue-time'
        ] as Date | undefined,
        applicationProperties: sent.application_properties,
      })),
    );
    this.pump();
  }

  private manage(connection: Connection, address: string, request: Message): void {
    const entity = entityOf(address.slice(0, -'/$management'.length));
    const reply = (properties: Record<string, unknown>, body: unknown) =>
      this.reply(connection, address, request, properties, body);
    const operation = (request.application_properties as Record<string, unknown>).operation;
    const body = request.body as Record<string, unknown>;
    try {
      if (operation === 'com.microsoft:peek-message') {
        const from = Number(body['from-sequence-number'] as number | bigint);
        const found = this.ns.peek(entity.queue, entity.subQueue, from, Number(body['message-count']));
        if (found.length === 0) return reply({ statusCode: 204 }, undefined);
        return reply(
          { statusCode: 200 },
          {
            messages: found.map((message) => ({ message: rhea.message.encode(wireMessage(message, entity.subQueue)) })),
          },
        );
      }
      if (operation === 'com.microsoft:renew-lock') {
        const tokens = (body['lock-tokens'] as Buffer[]).map((bytes) =>
          uuidString(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)),
        );
        return reply(
          { statusCode: 200 },
          { expirations: tokens.map((token) => new Date(this.ns.renewLock(entity.queue, entity.subQueue, token))) },
        );
      }
      reply(
        {
          statusCode: 501,
          errorCondition: 'amqp:not-implemented',
          statusDescription: `the stand-in does not implement ${String(operation)}`,
        },
        undefined,
      );
    } catch (error) {
      const code =
        (error as { code?: string }).code === 'MessageLockLost'
          ? 'com.microsoft:message-lock-lost'
          : 'amqp:internal-error';
      reply({ statusCode: 410, errorCondition: code, statusDescription: (error as Error).message }, undefined);
    }
  }

  private reply(
    connection: Connection,
    address: string,
    request: Message,
    properties: Record<string, unknown>,
    body: unknown,
  ): void {
    const candidates = this.replyLinks.filter(
      (link) => link.sender.connection === connection && link.source === address && link.sender.is_open(),
    );
    const sender = (
      candidates.find((link) => link.target === request.reply_to) ?? candidates.find((link) => !link.target)
    )?.sender;
    sender?.send({
      to: request.reply_to,
      correlation_id: request.message_id,
      application_properties: properties as Message['application_properties'],
      body,
    } as Message);
  }

  private settle(context: EventContext, action: (link: EntityLink, token: string) => void): void {
    const held = this.deliveries.get(context.delivery!);
    if (!held) return;
    const delivery = context.delivery!;
    // The client settles second: the broker's settlement, with an error for a lost lock, answers it.
    try {
      action(held.link, held.token);
      delivery.update(true, outcomes.accepted().described());
    } catch (error) {
      const condition =
        (error as { code?: string }).code === 'MessageLockLost'
          ? 'com.microsoft:message-lock-lost'
          : 'amqp:internal-error';
      delivery.update(
        true,
        outcomes.rejected({ error: { condition, description: (error as Error).message } }).described(),
      );
    }
    this.pump();
  }

  private pump(): void {
    for (const link of this.entityLinks) {
      const { sender } = link;
      if (!sender.is_open()) continue;
      // rhea takes credit when it writes (on the next tick), not on send(): count what is queued meanwhile, or a
      // client asking for 16 messages would be handed everything there is.
      while (sender.sendable() && creditOf(sender) > link.queued) {
        const [message] = this.ns.receive(link.queue, link.subQueue, 1, link, link.sessionId);
        if (!message) break;
        const delivery = sender.send(
          wireMessage(message, link.subQueue, message.lock!.until),
          tokenToTag(message.lock!.token),
        );
        this.deliveries.set(delivery, { link, token: message.lock!.token });
        if (link.queued++ === 0) process.nextTick(() => (link.queued = 0));
      }
      // Nothing more to give on a draining link: say so, so that the client's receive returns now.
      if ((sender as unknown as { _draining?: boolean })._draining && creditOf(sender) > 0) sender.set_drained(true);
    }
  }
}
