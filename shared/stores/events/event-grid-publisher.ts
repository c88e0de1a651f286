/**
 * Events to an Azure Event Grid topic as CloudEvents 1.0, with the managed identity (or a topic key where one
 * is configured). The subject is tenant/integration so subscriptions can filter by prefix.
 */
import {
  AzureKeyCredential,
  EventGridPublisherClient,
  type EventGridPublisherClientOptions,
  type SendCloudEventInput,
} from '@azure/eventgrid';
import type { TokenCredential } from '@azure/core-auth';
import { AppError } from '../../core/app-error';
import type { AppEvent, EventPublisher } from './events';

export interface EventGridOptions {
  topicEndpoint: string;
  topicKey?: string;
  /** The managed identity, used when there is no topic key. */
  credential?: TokenCredential;
  /** Pipeline options for the SDK client (tests: trust a local stand-in's certificate, fewer retries). */
  clientOptions?: EventGridPublisherClientOptions;
}

// `satisfies` makes a misspelt CloudEvents field (the SDK input is lower-case `datacontenttype`) a compile error
// instead of a property the SDK silently ignores.
export function toCloudEvent(event: AppEvent) {
  return {
    id: event.id,
    type: `IntegrationSync.${event.type}`,
    source: '/integration-sync-engine',
    subject: `tenants/${event.tenantId}${event.integrationId ? `/integrations/${event.integrationId}` : ''}`,
    time: new Date(event.time),
    datacontenttype: 'application/json',
    data: {
      severity: event.severity,
      summary: event.summary,
      tenantId: event.tenantId,
      integrationId: event.integrationId,
      traceId: event.traceId,
      ...event.data,
    },
  } satisfies SendCloudEventInput<unknown>;
}

export class EventGridPublisher implements EventPublisher {
  private readonly client: EventGridPublisherClient<'CloudEvent'>;

  constructor(options: EventGridOptions) {
    const credential = options.topicKey ? new AzureKeyCredential(options.topicKey) : options.credential;
    if (!credential)
      throw new AppError(
        'configuration',
        'Invalid setting EVENTGRID_TOPIC_KEY: a topic key or the managed identity is required',
        { target: 'EVENTGRID_TOPIC_KEY' },
      );
    this.client = new EventGridPublisherClient(options.topicEndpoint, 'CloudEvent', credential, options.clientOptions);
  }

  async publish(events: AppEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.client.send(events.map(toCloudEvent));
    } catch (error) {
      throw new AppError('dependency_unavailable', `publishing ${events.length} event(s) to Event Grid failed`, {
        cause: error,
      });
    }
  }
}
