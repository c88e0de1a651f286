/**
 * The provider options (an integration's `providerOptions`) that adapters act on, checked when an integration is
 * created or changed so a missing or bad value is a 400 naming its field (`providerOptions.repositories`)
 * rather than an integration that answers 201 and then fails every run. One schema per provider, matching what
 * its adapter reads: GitHub needs `repositories`, Notion `dataSourceId`, Slack `channels` when it syncs
 * messages; Salesforce's `apiVersion` and Google's `permanentDeletes` are checked when given. Keys a schema does
 * not name pass through unchanged.
 */
import type { z } from 'zod';
import { AppError } from '../core/app-error';
import type { ProviderId } from '../core/providers';
import { googleOptionsSchema } from './google/options';
import { githubOptionsSchema } from './github/options';
import { notionOptionsSchema } from './notion/options';
import { salesforceOptionsSchema } from './salesforce/options';
import { slackMessagesOptionsSchema, slackOptionsSchema } from './slack/options';

const OPTION_SCHEMAS: Record<ProviderId, (entities: readonly string[]) => z.ZodType> = {
  github: () => githubOptionsSchema,
  notion: () => notionOptionsSchema,
  salesforce: () => salesforceOptionsSchema,
  google: () => googleOptionsSchema,
  slack: (entities) => (entities.includes('messages') ? slackMessagesOptionsSchema : slackOptionsSchema),
};

/**
 * Throws a 400 naming the first missing or bad option. `options` absent counts as none given; `entities` are the
 * integration's (what it will sync decides what it needs).
 */
export function checkProviderOptions(
  provider: ProviderId,
  options: Record<string, unknown> | undefined,
  entities: readonly string[],
): void {
  const result = OPTION_SCHEMAS[provider](entities).safeParse(options ?? {});
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const field = ['providerOptions', ...issue.path.map(String)].join('.');
  throw new AppError('bad_request', `${field}: ${issue.message}`, { target: field });
}
