/**
 * The provider options (an integration's `providerOptions`) that adapters act on, checked when an integration is
 * created or changed so a bad value is a 400 naming its field (`providerOptions.permanentDeletes`) rather than an
 * adapter that quietly ignores it. One schema per provider that has checked options; keys a schema does not name
 * pass through unchanged.
 */
import type { z } from 'zod';
import { AppError } from '../core/app-error';
import type { ProviderId } from '../core/providers';
import { googleOptionsSchema } from './google/options';
import { slackOptionsSchema } from './slack/options';

const OPTION_SCHEMAS: Partial<Record<ProviderId, z.ZodType>> = {
  google: googleOptionsSchema,
  slack: slackOptionsSchema,
};

/** Throws a 400 naming the first bad option; options of providers without a schema are not checked. */
export function checkProviderOptions(provider: ProviderId, options: Record<string, unknown> | undefined): void {
  const schema = OPTION_SCHEMAS[provider];
  if (!schema || options === undefined) return;
  const result = schema.safeParse(options);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const field = ['providerOptions', ...issue.path.map(String)].join('.');
  throw new AppError('bad_request', `${field}: ${issue.message}`, { target: field });
}
