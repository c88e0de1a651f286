/**
 * The GitHub integration's provider options: `repositories` (required), the "owner/repo" names the adapter
 * syncs (its constructor refuses to run without them, so an integration created without them could never sync).
 */
import { z } from 'zod';
import { isRepositoryName } from './ids';

export const githubOptionsSchema = z.looseObject({
  repositories: z
    .array(z.string().refine(isRepositoryName, 'must be "owner/repo"'), {
      error: 'required: a list of repositories as "owner/repo"',
    })
    .min(1, 'must name at least one repository as "owner/repo"'),
});
