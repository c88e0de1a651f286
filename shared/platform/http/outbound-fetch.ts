/**
 * The one door for requests that carry a credential, a client secret or a notification: the string rule of
 * outbound-policy.ts before anything is sent, then the address rule again at connect time, on whatever the
 * resolver answers (a name allowed by the list that resolves to 10.0.0.5 or 127.0.0.1 is refused when the
 * socket would open, so DNS rebinding between the check and the request gains nothing). Redirects are never
 * followed: a 3xx is returned to the caller as an answer, so a token endpoint's 307 never re-sends a secret.
 * The policy is set once from settings at start-up (configureOutbound); until then it is the strict one.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { AppError } from '../../core/app-error';
import { addressAllowed, checkOutboundUrl, type OutboundPolicy } from './outbound-policy';

/** The resolver seam: dns.lookup's shape with `all: true` (tests map names to chosen addresses). */
export type OutboundResolver = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface OutboundConfig extends OutboundPolicy {
  resolver?: OutboundResolver;
}

const REFUSED_CODE = 'E_OUTBOUND_ADDRESS_REFUSED';
const ADMIN_RESOLVE_TIMEOUT_MS = 3000;
const STRICT: OutboundConfig = { allowLoopback: false, extraHosts: [] };

let config: OutboundConfig = STRICT;
let agent: Agent | undefined;

const systemResolver: OutboundResolver = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, callback);

/** Sets the process-wide policy (createServices does, from settings); later requests use the new one. */
export function configureOutbound(next: OutboundConfig): void {
  config = { ...next, extraHosts: [...next.extraHosts] };
  const old = agent;
  agent = undefined;
  void old?.close().catch(() => undefined);
}

export function outboundConfig(): OutboundConfig {
  return config;
}

/** A lookup for net/tls.connect that answers only with allowed addresses, or fails the connection. */
export function guardedLookup(current: OutboundConfig): LookupFunction {
  const resolve = current.resolver ?? systemResolver;
  return ((
    hostname: string,
    options: { all?: boolean } | number | undefined,
    callback: (...args: unknown[]) => void,
  ) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error);
      const refused = addresses.length === 0 || addresses.some((entry) => !addressAllowed(entry.address, current));
      if (refused) {
        // No address in the message: what a name resolves to is not the caller's business.
        const failure = Object.assign(new Error('outbound address refused'), { code: REFUSED_CODE });
        return callback(failure);
      }
      if (typeof options === 'object' && options?.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}

function dispatcher(): Agent {
  agent ??= new Agent({ connect: { lookup: guardedLookup(config) } });
  return agent;
}

export function outboundRefused(field: string, reason: string): AppError {
  return new AppError('validation', `${field}: ${reason}`, { target: field, details: { outbound: 'refused' } });
}

export function isOutboundRefusal(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: string }).code === REFUSED_CODE) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export interface OutboundTarget {
  /** Host names or `*.suffix` patterns this request may go to (beside the operator's list). */
  allowedHosts: readonly string[];
  /** The setting or body field the URL came from, named in the refusal. */
  field: string;
}

/** Throws the refusal (400 naming the field) when the URL breaks the string rule; returns the parsed URL. */
export function assertOutboundUrl(target: string | URL, to: OutboundTarget): URL {
  const verdict = checkOutboundUrl(target, to.allowedHosts, config);
  if (!verdict.ok) throw outboundRefused(to.field, verdict.reason);
  return verdict.url;
}

/**
 * The admin-time check: the string rule, then what the name resolves to now. A name that does not resolve is
 * let through (the connect-time check decides later); any answer with a refused address is a 400. The reason
 * never depends on whether something listens there: nothing is connected to.
 */
export async function validateOutboundUrl(target: string, to: OutboundTarget): Promise<URL> {
  const url = assertOutboundUrl(target, to);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const resolve = config.resolver ?? systemResolver;
  const addresses = await new Promise<LookupAddress[]>((done) => {
    // A resolver that does not answer must not hold the admin request: the connect-time check still runs.
    const timer = setTimeout(() => done([]), ADMIN_RESOLVE_TIMEOUT_MS);
    resolve(host, (error, found) => {
      clearTimeout(timer);
      done(error ? [] : found);
    });
  });
  if (addresses.some((entry) => !addressAllowed(entry.address, config)))
    throw outboundRefused(
      to.field,
      'resolves to an address that is not allowed (private, loopback, link-local or metadata)',
    );
  return url;
}

/**
 * fetch through the rule. Network failures are rethrown as fetch threw them, except a connect-time refusal,
 * which becomes the same non-retryable 400-class AppError as the string check.
 */
export async function outboundFetch(target: string | URL, init: RequestInit, to: OutboundTarget): Promise<Response> {
  const url = assertOutboundUrl(target, to);
  try {
    // undici's own fetch with its own Agent: the global fetch is the undici bundled with Node, whose major
    // (and dispatcher interface) changes with the Node version (Node 24 bundles undici 7).
    return (await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      redirect: 'manual',
      dispatcher: dispatcher(),
    })) as unknown as Response;
  } catch (error) {
    if (isOutboundRefusal(error))
      throw outboundRefused(
        to.field,
        'resolves to an address that is not allowed (private, loopback, link-local or metadata)',
      );
    throw error;
  }
}
