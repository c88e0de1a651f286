/**
 * One verifier per webhook scheme (each provider descriptor names its scheme; `generic` speaks Standard Webhooks)
 * and one event parser per provider, behind one uniform async signature so the receiver never branches on
 * provider. Provider settings that are not secrets travel in `VerifierSettings`.
 */
import { providerDescriptor, type WebhookScheme } from '../../core/providers';
import { parseGenericEvents } from './generic/events';
import { verifyStandardWebhook } from './generic/verify';
import { parseGithubEvents } from './github/events';
import { verifyGithub } from './github/verify';
import { verifyGoogleChannel } from './google/channel';
import { parseGoogleEvents } from './google/events';
import { verifyGooglePubSub, type PubSubVerifyOptions } from './google/pubsub-jwt';
import { parseNotionEvents } from './notion/events';
import { verifyNotion } from './notion/verify';
import { parseSalesforceEvents } from './salesforce/events';
import { verifySalesforce, type SalesforceVerifyOptions } from './salesforce/verify';
import { parseSlackEvents } from './slack/events';
import { verifySlack } from './slack/verify';
import type { ParseRequest, ParseResult, VerifyRequest, VerifyResult, WebhookProviderId } from './types';

/** Per-integration, per-request settings. Salesforce's `auth.candidate` is what this request presented. */
export type VerifierSettings =
  | { provider: 'github' }
  | { provider: 'notion' }
  | { provider: 'slack'; toleranceMs?: number }
  | { provider: 'generic'; toleranceMs?: number }
  | ({ provider: 'salesforce' } & SalesforceVerifyOptions)
  | ({ provider: 'google'; mode: 'pubsub' } & PubSubVerifyOptions)
  | { provider: 'google'; mode: 'channel' };

export type WebhookVerifier = (request: VerifyRequest, settings?: VerifierSettings) => Promise<VerifyResult>;
export type WebhookEventParser = (request: ParseRequest) => ParseResult;

const MISCONFIGURED: VerifyResult = { ok: false, reason: 'misconfigured' };

/** Settings for another provider, or none where some are required, fail closed. */
function settingsFor<P extends WebhookProviderId>(
  provider: P,
  settings: VerifierSettings | undefined,
): Extract<VerifierSettings, { provider: P }> | undefined {
  if (settings === undefined || settings.provider !== provider) return undefined;
  return settings as Extract<VerifierSettings, { provider: P }>;
}

const VERIFIERS: Record<WebhookScheme, WebhookVerifier> = {
  'github-hmac': async (request, settings) =>
    settings && settings.provider !== 'github' ? MISCONFIGURED : verifyGithub(request),
  'notion-verification-token': async (request, settings) =>
    settings && settings.provider !== 'notion' ? MISCONFIGURED : verifyNotion(request),
  'slack-signing-secret': async (request, settings) => {
    if (settings && settings.provider !== 'slack') return MISCONFIGURED;
    return verifySlack(request, { toleranceMs: settingsFor('slack', settings)?.toleranceMs });
  },
  'standard-webhooks': async (request, settings) => {
    if (settings && settings.provider !== 'generic') return MISCONFIGURED;
    return verifyStandardWebhook(request, { toleranceMs: settingsFor('generic', settings)?.toleranceMs });
  },
  'salesforce-outbound-message': async (request, settings) => {
    const salesforce = settingsFor('salesforce', settings);
    return salesforce ? verifySalesforce(request, salesforce) : MISCONFIGURED;
  },
  'google-push': async (request, settings) => {
    const google = settingsFor('google', settings);
    if (!google) return MISCONFIGURED;
    return google.mode === 'pubsub' ? verifyGooglePubSub(request, google) : verifyGoogleChannel(request);
  },
};

const PARSERS: Record<WebhookProviderId, WebhookEventParser> = {
  github: parseGithubEvents,
  notion: parseNotionEvents,
  slack: parseSlackEvents,
  generic: parseGenericEvents,
  salesforce: parseSalesforceEvents,
  google: parseGoogleEvents,
};

/** How a provider's webhooks are signed: its descriptor's scheme; `generic` receivers speak Standard Webhooks. */
export function webhookScheme(provider: WebhookProviderId): WebhookScheme {
  return provider === 'generic' ? 'standard-webhooks' : providerDescriptor(provider).webhook.scheme;
}

export function verifierFor(provider: WebhookProviderId): WebhookVerifier {
  return VERIFIERS[webhookScheme(provider)];
}

export function eventParserFor(provider: WebhookProviderId): WebhookEventParser {
  return PARSERS[provider];
}
