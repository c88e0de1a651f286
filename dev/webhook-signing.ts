/**
 * Signing helpers: produce exactly the headers each provider sends, for tests and for the provider sandboxes.
 * They share the verifiers' code paths for the digest so the two cannot drift apart.
 */
import { standardWebhookKey, standardWebhookSignature } from '../shared/webhooks/verify/generic/verify';
import { githubSignature } from '../shared/webhooks/verify/github/verify';
import { encodeRs256Jwt } from '../shared/webhooks/verify/google/jwt';
import { notionSignature } from '../shared/webhooks/verify/notion/verify';
import { salesforceSignature } from '../shared/webhooks/verify/salesforce/verify';
import { slackSignature } from '../shared/webhooks/verify/slack/verify';
import type { KeyObject } from 'node:crypto';
import { AppError } from '../shared/core/app-error';

/** `X-Hub-Signature-256` value. */
export function signGithub(body: Buffer | string, secret: string): string {
  return githubSignature(body, secret);
}

/** `X-Slack-Signature` value for `X-Slack-Request-Timestamp: ts` (Unix seconds). */
export function signSlack(body: Buffer | string, secret: string, ts: number | string): string {
  return slackSignature(body, secret, ts);
}

/** `X-Notion-Signature` value, keyed by the subscription's verification token. */
export function signNotion(body: Buffer | string, token: string): string {
  return notionSignature(body, token);
}

/** HMAC header value for Salesforce orgs set up to send one. */
export function signSalesforce(body: Buffer | string, secret: string, encoding: 'hex' | 'base64' = 'hex'): string {
  return salesforceSignature(body, secret, encoding);
}

/** `webhook-signature` value (`v1,<base64>`) for `webhook-id: id` and `webhook-timestamp: ts` (Unix seconds). */
export function signStandardWebhook(id: string, ts: number | string, body: Buffer | string, secret: string): string {
  const key = standardWebhookKey(secret);
  if (!key)
    throw new AppError('configuration', 'Standard Webhooks secret is not base64 (optionally after whsec_)', {
      target: 'secret',
    });
  return `v1,${standardWebhookSignature(id, ts, body, key)}`;
}

/** `Authorization: Bearer …` token as Google Pub/Sub push sends it (claims: iss, aud, email, email_verified, iat, exp). */
export function signGooglePushToken(claims: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  return encodeRs256Jwt(claims, privateKey, kid);
}
