/**
 * Signed webhook deliveries for the webhooks benchmark: GitHub `issues` and Slack `message` events, each with
 * its own delivery id and a valid signature, shaped as the sandboxes send them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { githubSignature256 } from '../../../dev/sandboxes/github/webhook';
import { slackSignature } from '../../../dev/sandboxes/slack/events';

export interface Delivery {
  /** The id the receiver takes as the delivery id (GitHub's X-GitHub-Delivery, Slack's event_id). */
  id: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryTargets {
  github: { integrationId: string; secret: string; issues: number };
  slack: { integrationId: string; secret: string; channels: string[] };
}

export function githubDelivery(integrationId: string, secret: string, number: number): Delivery {
  const body = JSON.stringify({
    action: 'edited',
    issue: {
      id: 5_000_000 + number,
      number,
      title: `Issue ${number}`,
      state: 'open',
      body: 'x'.repeat(600),
      user: { login: 'octocat', id: 1 },
      labels: [],
      updated_at: new Date().toISOString(),
    },
    changes: { title: { from: 'before' } },
    repository: { id: 1000, name: 'widgets', full_name: 'acme/widgets', owner: { login: 'acme' }, private: false },
    sender: { login: 'octocat', id: 1, type: 'User' },
  });
  const id = randomUUID();
  return {
    id,
    path: `/api/webhooks/github/${integrationId}`,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': id,
      'x-hub-signature-256': githubSignature256(secret, body),
      'user-agent': 'GitHub-Hookshot/bench',
    },
    body,
  };
}

export function slackDelivery(integrationId: string, secret: string, channels: string[], i: number): Delivery {
  const ts = `${1_700_000_000 + i}.${String(i % 1_000_000).padStart(6, '0')}`;
  const eventId = `Ev${randomBytes(8).toString('hex')}`;
  const body = JSON.stringify({
    token: 'bench',
    team_id: 'T0BENCH',
    api_app_id: 'A0BENCH',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel: channels[i % channels.length],
      user: 'U0BENCH',
      text: 'y'.repeat(400),
      ts,
      event_ts: ts,
    },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    id: eventId,
    path: `/api/webhooks/slack/${integrationId}`,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
  };
}

/** `count` deliveries alternating GitHub and Slack; `offset` keeps Slack event timestamps apart between calls. */
export function signedDeliveries(targets: DeliveryTargets, count: number, offset = 0): Delivery[] {
  const deliveries: Delivery[] = [];
  for (let i = offset; i < offset + count; i++) {
    deliveries.push(
      i % 2 === 0
        ? githubDelivery(targets.github.integrationId, targets.github.secret, 1 + ((i >> 1) % targets.github.issues))
        : slackDelivery(targets.slack.integrationId, targets.slack.secret, targets.slack.channels, i),
    );
  }
  return deliveries;
}
