/**
 * Sends a sandbox's webhook deliveries one after another (in order, like a provider's delivery worker) to the
 * configured URL. The provider sandbox decides the event body and signs it its own way through `sign`.
 */
import type { WebhookDelivery } from './types';

export interface WebhookEmitterOptions {
  url: string;
  /** Headers that authenticate and describe one delivery (signature, event name, delivery id). */
  sign(rawBody: string, event: string, deliveryId: string): Record<string, string>;
  timeoutMs?: number;
  /** How many delivery results to remember for GET /__sandbox/webhooks. */
  historyLimit?: number;
}

export class WebhookEmitter {
  private chain: Promise<void> = Promise.resolve();
  private readonly history: WebhookDelivery[] = [];

  constructor(private readonly options: WebhookEmitterOptions) {}

  /** Queues one delivery; never throws (a failed delivery is recorded, as providers show in their UI). */
  emit(event: string, payload: unknown, deliveryId: string): void {
    const rawBody = JSON.stringify(payload);
    this.chain = this.chain.then(() => this.deliver(event, rawBody, deliveryId));
  }

  /** Sends a body as is, unsigned (Notion's one-off verification request). */
  emitRaw(event: string, rawBody: string, headers: Record<string, string>, deliveryId: string): void {
    this.chain = this.chain.then(() => this.post(event, rawBody, headers, deliveryId));
  }

  flush(): Promise<void> {
    return this.chain;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.history];
  }

  private deliver(event: string, rawBody: string, deliveryId: string): Promise<void> {
    return this.post(event, rawBody, this.options.sign(rawBody, event, deliveryId), deliveryId);
  }

  private async post(
    event: string,
    rawBody: string,
    headers: Record<string, string>,
    deliveryId: string,
  ): Promise<void> {
    const record: WebhookDelivery = { id: deliveryId, event, at: Date.now() };
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: rawBody,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : 'delivery failed';
    }
    this.history.push(record);
    if (this.history.length > (this.options.historyLimit ?? 1000)) this.history.shift();
  }
}
