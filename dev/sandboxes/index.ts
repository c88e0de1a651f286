/**
 * Start any provider sandbox by provider id. One line per provider in SANDBOXES: add yours there.
 */
import { AppError } from '../../shared/core/app-error';
import type { ProviderId } from '../../shared/core/providers';
import type { RunningSandbox, SandboxOptions, SandboxStarter } from './common/types';
import { startGithubSandbox } from './github';
import { startGoogleSandbox } from './google';
import { startNotionSandbox } from './notion';
import { startSalesforceSandbox } from './salesforce';
import { startSlackSandbox } from './slack';

export const SANDBOXES: Partial<Record<ProviderId, SandboxStarter>> = {
  github: startGithubSandbox,
  notion: startNotionSandbox,
  salesforce: startSalesforceSandbox,
  slack: startSlackSandbox,
  google: startGoogleSandbox,
};

export function availableSandboxes(): ProviderId[] {
  return Object.keys(SANDBOXES) as ProviderId[];
}

export function startSandbox(provider: string, options: SandboxOptions = {}): Promise<RunningSandbox> {
  const start = SANDBOXES[provider as ProviderId];
  if (!start)
    throw new AppError(
      'not_found',
      `no sandbox for provider "${provider}" (have: ${availableSandboxes().join(', ')})`,
      { target: 'provider' },
    );
  return start(options);
}

export type { RunningSandbox, SandboxOptions, SandboxControl, FaultSpec } from './common/types';
