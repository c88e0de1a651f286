/** Slack adapter factory: what the registry holds for provider "slack". */
import type { AdapterFactory } from '../contract';
import { SlackAdapter } from './adapter';
import { SLACK_FACTS } from './facts';

export const slackAdapterFactory: AdapterFactory = {
  provider: 'slack',
  capabilities: { entities: [...SLACK_FACTS.entities], incremental: true, webhooks: true, push: true },
  create: (context) => new SlackAdapter(context),
};

export { SlackAdapter } from './adapter';
