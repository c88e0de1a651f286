/**
 * The API instance a token answer names (Salesforce's `instance_url`, at connect and at every refresh), checked
 * before anything is sent there: the adapter will send the access token to it, so a token answer may only name
 * a host the outbound address rule allows as that provider's API instance (or one the operator allowed in
 * OUTBOUND_ALLOWED_HOSTS, or a loopback sandbox when loopback is on). Anything else is refused, not followed.
 */
import { checkOutboundUrl, hostMatches } from '../../platform/http/outbound-policy';
import { outboundConfig } from '../../platform/http/outbound-fetch';
import { isProviderId, providerDescriptor, type ProviderDescriptor } from '../../core/providers';

export type InstanceVerdict =
  { kind: 'none' } | { kind: 'accepted'; url: string } | { kind: 'refused'; host: string; reason: string };

/** The provider's instance hosts, when its token answers name the account's API instance (Salesforce). */
function instancesOf(provider: string | undefined): ProviderDescriptor['api']['instances'] {
  if (provider === undefined || !isProviderId(provider)) return undefined;
  const api: ProviderDescriptor['api'] = providerDescriptor(provider).api;
  return api.instances;
}

/** Whether the provider's token answers name the account's API instance. */
export function takesInstanceUrl(provider: string | undefined): boolean {
  return instancesOf(provider) !== undefined;
}

/**
 * What to do with `instance_url` from a token answer: `none` for providers that have no instances (or an
 * answer without one), the URL's origin when its host is a provider instance, or a refusal naming the host.
 */
export function checkInstanceUrl(provider: string | undefined, raw: string | undefined): InstanceVerdict {
  const instances = instancesOf(provider);
  if (raw === undefined || !instances) return { kind: 'none' };
  const verdict = checkOutboundUrl(raw, instances.hosts, outboundConfig());
  if (!verdict.ok) {
    let host = '(not a URL)';
    try {
      host = new URL(raw).host;
    } catch {
      // keep the placeholder: the raw text is the provider's, not something to echo
    }
    return { kind: 'refused', host, reason: verdict.reason };
  }
  const host = verdict.url.host;
  if (instances.notInstances.some((pattern) => hostMatches(verdict.url.hostname, pattern)))
    return { kind: 'refused', host, reason: 'names a login server, not an API instance' };
  return { kind: 'accepted', url: verdict.url.origin };
}

/**
 * The instance URL to store after a refresh: the answer's when it is allowed, else the one stored before. A
 * refused one is handed to `refused` (to be reported) and not followed; the new tokens are kept either way, since
 * the refresh may have spent the old refresh token.
 */
export function nextInstanceUrl(
  provider: string | undefined,
  current: string | undefined,
  raw: string | undefined,
  refused: (host: string, reason: string) => void,
): string | undefined {
  const verdict = checkInstanceUrl(provider, raw);
  if (verdict.kind === 'accepted') return verdict.url;
  if (verdict.kind === 'refused') refused(verdict.host, verdict.reason);
  return current;
}
