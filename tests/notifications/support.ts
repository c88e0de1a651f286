/** Shared set-up for notification tests: real services, the notify sandbox, admin calls, event builders. */
import { randomUUID } from 'node:crypto';
import { adminApi } from '../../functions/AdminApi';
import type { AppEvent, EventType, Severity } from '../../shared/stores/events/events';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

export const answers: string[] = [];

export async function admin(
  t: TestServices,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, {
      body,
      headers: { 'x-api-key': TEST_ADMIN_KEY },
      params: { path: path.split('?')[0]! },
    }),
    invocation('AdminApi'),
    t.services,
  );
  answers.push(JSON.stringify(bodyOf(response) ?? ''));
  return { status: response.status ?? 200, body: bodyOf(response) as any };
}

export function event(
  tenantId: string,
  type: EventType,
  options: { severity?: Severity; integrationId?: string; summary?: string; data?: AppEvent['data'] } = {},
): AppEvent {
  return {
    id: randomUUID(),
    type,
    severity: options.severity ?? 'error',
    tenantId,
    integrationId: options.integrationId ?? 'int-1',
    time: new Date().toISOString(),
    summary: options.summary ?? `${type} happened`,
    data: options.data ?? { errorCode: 'transient' },
  };
}

/** The header text of a Slack message or the title of a Teams card. */
export function titleOf(body: Record<string, any>): string {
  if (Array.isArray(body.blocks)) return body.blocks[0].text.text;
  return body.attachments[0].content.body[0].text;
}
