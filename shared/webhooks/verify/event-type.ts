/**
 * A delivery's event type, stored on its receipt for the delivery viewer and its filter: the provider's own
 * event header where it sends one (GitHub's `X-GitHub-Event`: `issues`, `issue_comment`, `ping`; Google
 * channels' `X-Goog-Resource-State`: `exists`, `sync`), otherwise the entities its events change (Salesforce's
 * sObject types, `messages` and `users` for Slack, `pages` for Notion, the entity of a Standard Webhooks type).
 * Computed from what the receiver has already parsed: no second read of the body on the receipt path.
 */
import { GITHUB_EVENT_HEADER } from './github/verify';
import type { HeaderLookup, WebhookProviderId } from './types';

const MAX_LENGTH = 100;
const HEADER_OF: Partial<Record<WebhookProviderId, string>> = {
  github: GITHUB_EVENT_HEADER,
  google: 'x-goog-resource-state',
};

export function eventTypeOf(
  provider: WebhookProviderId,
  headers: HeaderLookup,
  entities: readonly (string | undefined)[],
): string | undefined {
  const header = HEADER_OF[provider];
  const named = header ? headers(header)?.trim() : undefined;
  const type =
    named || [...new Set(entities.filter((entity): entity is string => Boolean(entity)))].sort().join(',') || undefined;
  return type?.slice(0, MAX_LENGTH);
}
