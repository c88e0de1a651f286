/**
 * The provider work of one subscription change, from a state document to the next one: GitHub hooks brought in
 * line with the integration (secret, URL, events, repositories), Google channels opened and the ones they
 * replace stopped, everything removed when webhooks go off. The secret a GitHub hook carries is the integration's
 * webhook secret (one is generated when none is set); a Google channel carries a token made for the channels
 * opened together, written as the integration's webhook secret before they open, so the existing channel
 * verifier accepts their messages, while the token of the channels it replaces keeps verifying for the overlap.
 */
import { randomBytes } from 'node:crypto';
import { AppError, toAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import { githubProfile } from '../../adapters/github/profile';
import { GOOGLE_PROFILE } from '../../adapters/google/http-profile';
import { isRepositoryName } from '../../adapters/github/ids';
import { credentialRef } from '../../app/integration-credentials';
import type { CredentialService } from '../../credentials';
import { removeGithubHooks, syncGithubHooks } from './github';
import { openGoogleChannels, stopGoogleChannels } from './google';
import {
  githubEventsFor,
  googleResourcesFor,
  nextCheckAfterFailure,
  nextCheckAfterSuccess,
  renewalDue,
  safeErrorMessage,
  sameResource,
  SUBSCRIPTION_TIMING,
} from './policy';
import { withProviderClient, type ProviderClientDeps } from './provider-client';
import type { GoogleChannelRef, WebhookSubscription } from './types';

export interface ApplyDeps extends ProviderClientDeps {
  secrets: Pick<CredentialService, 'webhookSecrets' | 'setWebhookSecret' | 'metadata'>;
  now(): Date;
}

/** Far in the future: a subscription that is off with nothing left at the provider needs no look. */
export const NEVER = '9999-12-31T00:00:00.000Z';

const newSecret = () => randomBytes(32).toString('hex');

/** The result of a change: errors (already safe to store) decide between active and failed. */
function settle(
  deps: ApplyDeps,
  next: WebhookSubscription,
  errors: string[],
  secrets: readonly string[],
): WebhookSubscription {
  const now = deps.now();
  const failed = errors.length > 0;
  const failures = failed ? next.consecutiveFailures + 1 : 0;
  const { lastError: _previous, claimedUntil: _claim, ...rest } = next;
  return {
    ...rest,
    state: failed ? 'failed' : next.enabled ? 'active' : 'off',
    ...(failed ? { lastError: safeErrorMessage(errors.join('; '), secrets) } : {}),
    consecutiveFailures: failures,
    nextCheckAt: failed
      ? nextCheckAfterFailure(next, failures, now).toISOString()
      : next.enabled
        ? nextCheckAfterSuccess(next, now).toISOString()
        : NEVER,
    updatedAt: now.toISOString(),
  };
}

async function githubSecret(deps: ApplyDeps, integration: Integration): Promise<{ secret: string; version: string }> {
  const ref = credentialRef(integration, 'webhook');
  let [secret] = await deps.secrets.webhookSecrets(ref, { fresh: true });
  if (!secret) {
    // The app manages the hook, so it may choose the secret: the operator never has to copy one anywhere.
    secret = newSecret();
    await deps.secrets.setWebhookSecret(ref, secret, 0);
  }
  const metadata = await deps.secrets.metadata(ref);
  return { secret, version: metadata?.version ?? '' };
}

function repositoriesOf(integration: Integration): string[] {
  const configured = integration.providerOptions.repositories;
  if (
    !Array.isArray(configured) ||
    configured.length === 0 ||
    !configured.every((repository) => typeof repository === 'string' && isRepositoryName(repository))
  )
    throw new AppError('bad_request', 'providerOptions.repositories: must name the "owner/repo" repositories to hook', {
      target: 'providerOptions.repositories',
    });
  return configured as string[];
}

async function applyGithub(
  deps: ApplyDeps,
  integration: Integration,
  current: WebhookSubscription,
): Promise<WebhookSubscription> {
  const events = githubEventsFor(integration.entities);
  if (events.length === 0)
    throw new AppError('bad_request', 'entities: none of them is delivered by GitHub webhooks', { target: 'entities' });
  const repositories = repositoriesOf(integration);
  const { secret, version } = await githubSecret(deps, integration);
  const secretChanged = current.secretVersion !== version;
  const outcome = await withProviderClient(deps, integration, githubProfile, (http) =>
    syncGithubHooks(http, current.hooks, {
      repositories,
      events,
      address: current.address!,
      secret,
      secretChanged,
    }),
  );
  const next = {
    ...current,
    hooks: outcome.hooks,
    // A failed pass keeps the old version, so the next one pushes the secret to every hook again.
    secretVersion: outcome.errors.length > 0 && secretChanged ? current.secretVersion : version,
  };
  return settle(deps, next, outcome.errors, [secret]);
}

/** The token for new channels: a fresh one, or the current secret when it is not yet on any live channel. */
async function channelToken(
  deps: ApplyDeps,
  integration: Integration,
  current: WebhookSubscription,
): Promise<{ token: string; version: string }> {
  const ref = credentialRef(integration, 'webhook');
  const metadata = await deps.secrets.metadata(ref);
  const [secret] = await deps.secrets.webhookSecrets(ref, { fresh: true });
  // Written by an attempt whose channels did not open, or set by an operator: the live channels' token is the
  // previous secret now, and must stay so; replacing the current one again would push it out of the overlap.
  if (secret && metadata && current.channels.length > 0 && metadata.version !== current.secretVersion)
    return { token: secret, version: metadata.version };
  const token = newSecret();
  const now = deps.now().getTime();
  const latest = Math.max(now, ...current.channels.map((channel) => Date.parse(channel.expiration)));
  const written = await deps.secrets.setWebhookSecret(ref, token, latest - now + SUBSCRIPTION_TIMING.tokenOverlapMs);
  return { token, version: written.version };
}

async function applyGoogle(
  deps: ApplyDeps,
  integration: Integration,
  current: WebhookSubscription,
  force: boolean,
): Promise<WebhookSubscription> {
  const resources = googleResourcesFor(integration);
  if (resources.length === 0)
    throw new AppError('bad_request', 'entities: none of them has Google push channels (events, files)', {
      target: 'entities',
    });
  const now = deps.now();
  const covered = (channel: GoogleChannelRef) => resources.some((resource) => sameResource(resource, channel.resource));
  const metadata = await deps.secrets.metadata(credentialRef(integration, 'webhook'));
  const due =
    force ||
    renewalDue(current.channels, now) ||
    !current.channels.every(covered) ||
    !resources.every((resource) => current.channels.some((channel) => sameResource(resource, channel.resource))) ||
    metadata?.version !== current.secretVersion;
  if (!due) return settle(deps, current, [], []);

  const { token, version } = await channelToken(deps, integration, current);
  const result = await withProviderClient(deps, integration, GOOGLE_PROFILE, async (http) => {
    const opened = await openGoogleChannels(http, {
      resources,
      address: current.address!,
      token,
      ttlMs: SUBSCRIPTION_TIMING.channelTtlMs,
      now,
    });
    // A resource whose new channel did not open keeps its old channel until it expires.
    const replaced = current.channels.filter(
      (channel) => !covered(channel) || opened.channels.some((fresh) => sameResource(fresh.resource, channel.resource)),
    );
    const kept = current.channels.filter((channel) => !replaced.includes(channel));
    const stopped = await stopGoogleChannels(http, replaced);
    // A channel that would not stop ends at its expiration anyway; its messages still verify within the overlap.
    return { opened, kept, stopErrors: stopped.errors };
  });
  const next = {
    ...current,
    channels: [...result.kept, ...result.opened.channels],
    secretVersion: result.opened.channels.length > 0 ? version : current.secretVersion,
  };
  return settle(deps, next, [...result.opened.errors, ...result.stopErrors], [token]);
}

/** Brings the provider in line with an enabled subscription; `force` renews Google channels that are not yet due. */
export async function applySubscription(
  deps: ApplyDeps,
  integration: Integration,
  current: WebhookSubscription,
  options: { force: boolean },
): Promise<WebhookSubscription> {
  try {
    if (integration.provider === 'github') return await applyGithub(deps, integration, current);
    if (integration.provider === 'google') return await applyGoogle(deps, integration, current, options.force);
    return settle(deps, current, [], []);
  } catch (error) {
    const appError = toAppError(error);
    // A request the operator must fix (bad options) is theirs to see at once, not a stored failure.
    if (appError.code === 'bad_request') throw appError;
    return settle(deps, current, [appError.message], []);
  }
}

/** The state after a change that could not even start (bad options): failed, retried with backoff. */
export function markFailed(deps: ApplyDeps, current: WebhookSubscription, message: string): WebhookSubscription {
  return settle(deps, current, [message], []);
}

/** Removes every hook and channel; those that could not be removed stay listed, and the state says why. */
export async function removeFromProvider(
  deps: ApplyDeps,
  integration: Integration,
  current: WebhookSubscription,
): Promise<WebhookSubscription> {
  const off = { ...current, enabled: false };
  if (current.hooks.length === 0 && current.channels.length === 0) return settle(deps, off, [], []);
  try {
    if (integration.provider === 'github') {
      const removal = await withProviderClient(deps, integration, githubProfile, (http) =>
        removeGithubHooks(http, current.hooks),
      );
      return settle(deps, { ...off, hooks: removal.hooks }, removal.errors, []);
    }
    const stopped = await withProviderClient(deps, integration, GOOGLE_PROFILE, (http) =>
      stopGoogleChannels(http, current.channels),
    );
    return settle(deps, { ...off, channels: stopped.channels }, stopped.errors, []);
  } catch (error) {
    return settle(deps, off, [toAppError(error).message], []);
  }
}
