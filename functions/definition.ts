/**
 * A function's trigger description as data, next to its handler. functions/index.ts registers the list with
 * the Azure Functions host; the local host binds the same list to HTTP routes, NCRONTAB timers and the
 * embedded queue. Handlers get @azure/functions types plus the app's services, and hand plain values on.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from '@azure/functions';
import type { AppServices } from '../shared/app/services';
import type { QueueName } from '../shared/stores/queue/queues';
import type { Settings } from '../shared/config/settings';

export interface HttpFunction {
  name: string;
  trigger: 'http';
  methods: Array<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  /** Full route (host.json routePrefix is ""): "api/…" for the API, "admin/…" for the local UI; {param} and {*rest} as in the Functions host. */
  route: string;
  /**
   * Bound by the local host only, never registered with Azure: for routes the Azure Functions host keeps for
   * itself (anything starting with "admin"), whose function it would refuse at start-up.
   */
  localOnly?: boolean;
  handler(request: HttpRequest, context: InvocationContext, services: AppServices): Promise<HttpResponseInit>;
}

export interface TimerFunction {
  name: string;
  trigger: 'timer';
  /** Six-field NCRONTAB, from settings. */
  schedule(settings: Settings): string;
  handler(timer: Timer, context: InvocationContext, services: AppServices): Promise<void>;
}

export interface QueueFunction {
  name: string;
  trigger: 'serviceBusQueue';
  queueName: QueueName;
  isSessionsEnabled: boolean;
  handler(message: unknown, context: InvocationContext, services: AppServices): Promise<void>;
}

export type FunctionDefinition = HttpFunction | TimerFunction | QueueFunction;
