/** WebhookReceiver: POST /api/webhooks/{provider}/{integrationId}: verify, then enqueue a targeted sync. */
import type { HttpFunction } from '../definition';
import { continueTrace } from '../../shared/platform/observability/correlation';
import { receiveWebhook } from '../../shared/webhooks/intake/receiver';

export const webhookReceiver: HttpFunction = {
  name: 'WebhookReceiver',
  trigger: 'http',
  methods: ['POST'],
  route: 'api/webhooks/{provider}/{integrationId}',
  async handler(request, _context, services) {
    // The exact raw bytes: signatures are computed over them, never over re-serialised JSON.
    const rawBody = Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    return receiveWebhook(
      services,
      {
        provider: request.params.provider ?? '',
        integrationId: request.params.integrationId ?? '',
        rawBody,
        header: (name) => request.headers.get(name) ?? undefined,
        headers,
        urlSecret: request.query.get('secret') ?? undefined,
        receivedAt: Date.now(),
      },
      continueTrace(request.headers.get('traceparent')),
    );
  },
};
