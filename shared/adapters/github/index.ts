/** GitHub adapter factory and its public helpers. */
import type { AdapterFactory } from '../contract';
import { GithubAdapter } from './adapter';
import { GITHUB_PROVIDER } from '../../core/providers';

export const githubAdapterFactory: AdapterFactory = {
  provider: 'github',
  capabilities: {
    entities: [...GITHUB_PROVIDER.entities.supported],
    incremental: true,
    webhooks: true,
    push: true,
    since: true,
  },
  create: (context) => new GithubAdapter(context),
};

export { GithubAdapter } from './adapter';
export { refreshGithubToken, type GithubTokens, type GithubRefreshRequest } from './oauth';
export { parseGithubRateLimit, githubProfile, GITHUB } from './profile';
export { issueId, commentRecordId, parseRecordId } from './ids';
