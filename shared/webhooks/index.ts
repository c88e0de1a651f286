/** Webhook verification and event parsing: the pure core the WebhookReceiver wires to. */
export * from './types';
export { verifierFor, eventParserFor, type VerifierSettings, type WebhookVerifier, type WebhookEventParser } from './registry';
export { signGithub, signSlack, signNotion, signSalesforce, signStandardWebhook, signGooglePushToken } from './signing';
export { webhookConfigSchema, verifierSettingsFor, type WebhookConfig, type RequestFacts } from './config';
export { salesforceAck, SALESFORCE_ACK_CONTENT_TYPE, parseOutboundMessage, type OutboundMessage } from './salesforce/soap';
export type { SalesforceAuth, SalesforceVerifyOptions } from './salesforce/verify';
export { clearJwksCache, GOOGLE_JWKS_URL, type PubSubVerifyOptions } from './google/pubsub-jwt';
export { DEFAULT_TIMESTAMP_TOLERANCE_MS } from './timestamps';
