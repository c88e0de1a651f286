/**
 * Verifying with the integration's webhook secrets as cached in memory (the credential service keeps reads for
 * a short TTL, and a rotation through the admin route refreshes this instance's copy at once). When a
 * delivery fails with the cached secrets, they are read again, fresh, and the delivery verified once more:
 * a secret rotated through another instance verifies at once instead of after the TTL. Fresh reads are
 * limited per integration, so forged deliveries cannot turn into a read of the secret store each.
 */
import type { Integration } from '../../core/integration';
import type { Stored } from '../../core/stored';
import type { VerifyResult } from '../verify/types';

export interface SecretReader {
  secretsFor(integration: Stored<Integration>, options?: { fresh?: boolean }): Promise<string[]>;
}

/** Where verifiers get the integration's webhook secrets (current first, previous during rotation). */
export interface WebhookSecretSource extends SecretReader {
  /** `fresh` bypasses the in-memory copy (after a failed verification, to pick up a rotation elsewhere). */
  secretsFor(integration: Stored<Integration>, options?: { fresh?: boolean }): Promise<string[]>;
  /** Notion's subscription token: kept pending until an operator confirms it. */
  storePendingToken(integration: Stored<Integration>, token: string): Promise<void>;
}

/** At most one fresh read per integration per this many ms. */
export const FRESH_READ_INTERVAL_MS = 1000;
const TRACKED_INTEGRATIONS = 10_000;

/** Reasons a newer secret could turn into a pass; the others do not depend on the secret. */
const SECRET_DEPENDENT = new Set(['bad_signature', 'no_secret_configured']);

export class SecretRefreshGate {
  private readonly lastFreshRead = new Map<string, number>();

  /** True when a fresh read for this integration is allowed now (and records it). */
  allow(integrationId: string, now: number): boolean {
    const last = this.lastFreshRead.get(integrationId);
    if (last !== undefined && now - last < FRESH_READ_INTERVAL_MS) return false;
    if (this.lastFreshRead.size >= TRACKED_INTEGRATIONS)
      this.lastFreshRead.delete(this.lastFreshRead.keys().next().value!);
    this.lastFreshRead.delete(integrationId);
    this.lastFreshRead.set(integrationId, now);
    return true;
  }
}

/** One gate per secret source: the source is per process in production, several live side by side in tests. */
const gates = new WeakMap<SecretReader, SecretRefreshGate>();

function gateOf(source: SecretReader): SecretRefreshGate {
  let gate = gates.get(source);
  if (!gate) {
    gate = new SecretRefreshGate();
    gates.set(source, gate);
  }
  return gate;
}

export async function verifyWithSecrets(
  source: SecretReader,
  integration: Stored<Integration>,
  cachedSecrets: string[],
  verify: (secrets: string[]) => Promise<VerifyResult>,
): Promise<VerifyResult> {
  const first = await verify(cachedSecrets);
  if (first.ok || !SECRET_DEPENDENT.has(first.reason) || !gateOf(source).allow(integration.id, Date.now()))
    return first;
  const fresh = await source.secretsFor(integration, { fresh: true });
  if (fresh.length === cachedSecrets.length && fresh.every((secret, index) => secret === cachedSecrets[index]))
    return first;
  return verify(fresh);
}
