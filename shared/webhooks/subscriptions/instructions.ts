/**
 * What an operator enters in a provider's console for the subscriptions the app cannot create through an API:
 * Slack's Event Subscriptions, Notion's webhook subscriptions, Salesforce Outbound Messages, a Google Pub/Sub
 * push subscription, a Standard Webhooks relay. Exact values (the URL, the event names the receiver turns into
 * sync targets); secrets are named, never shown. Pure: the route passes the URL in.
 */
import type { Integration } from '../../core/integration';
import type { SubscriptionInstructions } from './types';

type Source = Pick<Integration, 'provider' | 'entities' | 'webhook'>;

/** Slack bot events per synced entity (shared/webhooks/verify/slack/events.ts reads message, user_change, team_join). */
const SLACK_EVENTS: Record<string, string[]> = {
  messages: ['message.channels', 'message.groups'],
  users: ['user_change', 'team_join'],
};

/** Notion event types that become sync targets (shared/webhooks/verify/notion/events.ts). */
const NOTION_EVENTS = [
  'page.created',
  'page.content_updated',
  'page.properties_updated',
  'page.moved',
  'page.deleted',
  'page.undeleted',
];

const SECRET_STEP = 'Set the same secret as this integration\'s webhook secret on this page ("Set the secret").';

function slack(integration: Source, url: string): SubscriptionInstructions {
  const events = integration.entities.flatMap((entity) => SLACK_EVENTS[entity] ?? []);
  return {
    where: 'api.slack.com/apps → your app → Event Subscriptions',
    values: [
      { name: 'Request URL', value: url },
      { name: 'Subscribe to bot events', value: events.join(', ') || 'none of the synced entities sends events' },
    ],
    steps: [
      'Turn "Enable Events" on and paste the Request URL: Slack sends a url_verification challenge, which this app answers.',
      'Add the bot events above, save, and reinstall the app to the workspace when Slack asks.',
      `Copy the Signing Secret from Basic Information → App Credentials. ${SECRET_STEP}`,
      'The status turns active when the first signed event is accepted.',
    ],
  };
}

function notion(url: string): SubscriptionInstructions {
  return {
    where: 'notion.so/profile/integrations → your integration → Webhooks',
    values: [
      { name: 'Webhook URL', value: url },
      { name: 'Event types', value: NOTION_EVENTS.join(', ') },
    ],
    steps: [
      'Create a subscription with the URL and the event types above.',
      'Notion posts a verification token to the URL: this page then shows it as pending. Check it matches the one Notion shows, confirm it here, then press Verify in Notion.',
      'The status turns active when the first signed event is accepted.',
    ],
  };
}

function salesforce(integration: Source, url: string): SubscriptionInstructions {
  const config = integration.webhook?.provider === 'salesforce' ? integration.webhook : undefined;
  const secretInUrl = config?.auth.kind === 'shared_secret' && config.auth.source.in === 'url';
  const values = [
    { name: 'Endpoint URL', value: secretInUrl ? `${url}?secret=<this integration's webhook secret>` : url },
    { name: 'Objects (one Outbound Message each)', value: integration.entities.join(', ') },
    { name: 'Fields to send', value: 'Id (at least)' },
  ];
  const steps = [
    'Use Outbound Messages, not Change Data Capture: Change Data Capture events are delivered over the Pub/Sub API, never to a webhook URL, so this endpoint would not receive them.',
    'Create one Outbound Message per object above with the Endpoint URL, and a record-triggered Flow (on create and update) that sends it.',
    "Outbound Messages are not sent for deletes: the scheduled sync's delete detection covers them.",
    'The status turns active when the first Outbound Message is accepted.',
  ];
  if (!config)
    steps.unshift(
      'First set this integration\'s webhook settings: organizationId (00D…) and auth {"kind": "shared_secret", "source": {"in": "url"}}.',
    );
  else if (!secretInUrl)
    steps.unshift(
      'This integration expects its secret in a header or an HMAC header, which Outbound Messages cannot send (only an Apex callout can): switch auth to {"kind": "shared_secret", "source": {"in": "url"}} for Outbound Messages.',
    );
  return { where: 'Salesforce Setup → Process Automation → Outbound Messages, and Flows', values, steps };
}

function googlePubSub(integration: Source, url: string): SubscriptionInstructions {
  const config =
    integration.webhook?.provider === 'google' && integration.webhook.mode === 'pubsub'
      ? integration.webhook
      : undefined;
  return {
    where: 'Google Cloud console → Pub/Sub → Subscriptions → Create subscription (delivery type: push)',
    values: [
      { name: 'Endpoint URL', value: url },
      {
        name: 'Enable authentication: service account',
        value: config?.serviceAccountEmail ?? '(webhook.serviceAccountEmail)',
      },
      { name: 'Audience', value: config?.audience ?? '(webhook.audience)' },
    ],
    steps: [
      'Create a push subscription on the topic the Google API publishes to, with authentication on and the values above.',
      'The status turns active when the first authenticated push is accepted.',
    ],
  };
}

function standardWebhooks(url: string): SubscriptionInstructions {
  return {
    where: "the relay's or sender's webhook settings",
    values: [{ name: 'Endpoint URL', value: url }],
    steps: [
      `Register the URL; the sender signs with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). ${SECRET_STEP}`,
      'The status turns active when the first signed delivery is accepted.',
    ],
  };
}

/** Instructions for a manual subscription; undefined for the modes the app manages itself. */
export function manualInstructions(integration: Source, url: string): SubscriptionInstructions | undefined {
  if (integration.webhook?.provider === 'generic') return standardWebhooks(url);
  switch (integration.provider) {
    case 'slack':
      return slack(integration, url);
    case 'notion':
      return notion(url);
    case 'salesforce':
      return salesforce(integration, url);
    case 'google':
      return integration.webhook?.provider === 'google' && integration.webhook.mode === 'pubsub'
        ? googlePubSub(integration, url)
        : undefined;
    default:
      return undefined;
  }
}
