/**
 * Channel adapters: one small function per channel type turns a target (with its secret) and a message into
 * the HTTP request that channel expects, and says how to read the answer.
 *  - slack_webhook: POST the Block Kit message to the incoming-webhook URL (answers "ok"; 4xx words like
 *    invalid_blocks / no_service are permanent).
 *  - slack_bot: chat.postMessage with a bearer token; Slack answers HTTP 200 with {"ok":false,"error":…} for
 *    most failures, so the body decides; 429 carries Retry-After.
 *  - teams_workflow: POST the Adaptive Card envelope to the Workflows URL (202 Accepted).
 */
import type { ChannelTarget, ChannelType, NotificationMessage } from '../types';
import { NOTIFICATION_HOSTS } from '../../adapters/http/allowed-hosts';
import { renderSlack } from '../render/slack-blocks';
import { renderTeams } from '../render/teams-card';
import {
  classifyHttp,
  postWithRetries,
  shortReason,
  type HttpAnswer,
  type PostRequest,
  type SendOutcome,
  type SendPolicy,
  type Verdict,
} from './http-send';

/** Slack Web API errors worth another try (https://api.slack.com/methods/chat.postMessage#errors). */
const SLACK_RETRYABLE = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

function classifySlackApi(answer: HttpAnswer): Verdict {
  if (answer.status < 200 || answer.status >= 300) return classifyHttp(answer);
  let body: { ok?: boolean; error?: string };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return { kind: 'retry', reason: 'slack: answer was not JSON' };
  }
  if (body.ok === true) return { kind: 'ok' };
  const error = shortReason(String(body.error ?? 'unknown_error'));
  return SLACK_RETRYABLE.has(error)
    ? { kind: 'retry', reason: `slack: ${error}` }
    : { kind: 'fail', reason: `slack: ${error}` };
}

const REQUEST: {
  [T in ChannelType]: (target: Extract<ChannelTarget, { type: T }>, message: NotificationMessage) => PostRequest;
} = {
  slack_webhook: (target, message) => ({
    url: target.url,
    body: renderSlack(message),
    allowedHosts: NOTIFICATION_HOSTS.slack,
    field: 'url',
  }),
  slack_bot: (target, message) => ({
    url: `${target.apiUrl}/chat.postMessage`,
    headers: { authorization: `Bearer ${target.token}` },
    body: { channel: target.channel, ...renderSlack(message), unfurl_links: false },
    classify: classifySlackApi,
    allowedHosts: NOTIFICATION_HOSTS.slack,
    field: 'NOTIFY_SLACK_API_URL',
  }),
  teams_workflow: (target, message) => ({
    url: target.url,
    body: renderTeams(message),
    allowedHosts: NOTIFICATION_HOSTS.teams,
    field: 'url',
  }),
};

export function channelRequest(target: ChannelTarget, message: NotificationMessage): PostRequest {
  return (REQUEST[target.type] as (t: ChannelTarget, m: NotificationMessage) => PostRequest)(target, message);
}

export function sendToChannel(
  target: ChannelTarget,
  message: NotificationMessage,
  policy: SendPolicy,
  signal?: AbortSignal,
): Promise<SendOutcome> {
  return postWithRetries({ ...channelRequest(target, message), signal }, policy);
}
