/** How GitHub signs and labels a webhook delivery (X-Hub-Signature-256 over the raw body, delivery GUID). */
import { createHmac } from 'node:crypto';

export function githubSignature256(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Signs as GitHub does; `hookId` names the hook that delivers and `targetId` the repository it belongs to (the
 * start-up target, which serves every repository, has fixed ids).
 */
export function githubWebhookSigner(secret: string | undefined, hookId = 424242, targetId = 1) {
  return (rawBody: string, event: string, deliveryId: string): Record<string, string> => {
    const headers: Record<string, string> = {
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': String(hookId),
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(targetId),
      'user-agent': 'GitHub-Hookshot/sandbox',
    };
    // Without a secret GitHub sends no signature headers at all.
    if (secret) {
      headers['x-hub-signature-256'] = githubSignature256(secret, rawBody);
      headers['x-hub-signature'] = `sha1=${createHmac('sha1', secret).update(rawBody).digest('hex')}`;
    }
    return headers;
  };
}
