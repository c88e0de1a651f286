/**
 * The duplicate check of webhook deliveries, and the one owner of a delivery claim's state. A verified
 * delivery first claims its id; the receiver and the intake's group commit only ask for transitions:
 *
 *   (none) --claim--> pending --accepted--> accepted (72 h: later copies are duplicates)
 *                        |--release--> (none)   (the commit failed: the provider's retry is processed)
 *                        |--expires--> (none)   (CLAIM_TTL_MS: a crashed claim does not block retries for long)
 *   pending, and its receipt in Cosmos says accepted --claim--> accepted (duplicate)
 *
 * On Redis (the key-value store's shared store), one command per transition: `SET NX` of the pending marker
 * (answering the marker found when it is taken), `SET` of the accepted one, `DEL` on release. Claims arriving
 * in one turn of the event loop go in one `claimMany` call, and a group commit's accepted markers in one
 * `setMany`: per request, a Redis command and its reply cost more CPU than the rest of the claim. A marker left
 * pending by a process that died after committing is settled by the receipt in Cosmos: an accepted receipt
 * means a duplicate.
 *
 * Without Redis (not configured, disconnected, or failing) the fallback is not a memory marker: the receipt in
 * Cosmos is the record, and claims in flight in this process are kept in memory; the queue's duplicate
 * detection on the message id (derived from the delivery id) is the second guard. In memory, a copy that
 * arrives while another copy's receipt lookup runs waits for that lookup instead of being told "in flight":
 * copies of a delivery committed long ago get the duplicate answer, as they do with Redis.
 */
import type { ClaimAnswer, KeyValueStore } from '../../stores/kv';
import type { Logger } from '../../platform/observability/logger';

export const DEDUPE_TTL_MS = 72 * 3600_000;
/** Long enough for any commit to finish; short enough that a crashed claim does not block retries for long. */
export const CLAIM_TTL_MS = 120_000;

const PENDING = 'pending';
const ACCEPTED = 'accepted';

/** `claimed`: go on and commit. `duplicate`: accepted before; acknowledge. `in_flight`: the same delivery is being committed now. */
export type ClaimResult = 'claimed' | 'duplicate' | 'in_flight';

export interface ClaimKey {
  integrationId: string;
  /** The receipt id (a hash of the provider's delivery id). */
  receiptId: string;
}

/** The stored receipt of a delivery (the durable record), read without waiting for buffered statistics. */
export type ReceiptReader = (integrationId: string, receiptId: string) => Promise<{ verdict: string } | undefined>;

export interface DeliveryClaimsOptions {
  /** Redis through the key-value port; undefined without Redis. */
  shared: KeyValueStore | undefined;
  readReceipt: ReceiptReader;
  logger: Logger;
}

/** A claim in this process: its receipt lookup (true: accepted before) while it runs, then `claimed` while it commits. */
type LocalClaim = Promise<boolean> | 'claimed';

interface GatheredClaim {
  key: ClaimKey;
  resolve(answer: ClaimAnswer): void;
  reject(error: unknown): void;
}

export class DeliveryClaims {
  /** Claims this process holds while Redis is not used, so concurrent duplicates here are still caught. */
  private readonly localClaims = new Map<string, LocalClaim>();
  private readonly shared: KeyValueStore | undefined;
  private readonly readReceipt: ReceiptReader;
  private readonly logger: Logger;
  /** Claims waiting for this turn's `claimMany`, and the store it goes to. */
  private gathered: GatheredClaim[] = [];
  private gatheredFor: KeyValueStore | undefined;

  constructor(options: DeliveryClaimsOptions) {
    this.shared = options.shared;
    this.readReceipt = options.readReceipt;
    this.logger = options.logger;
  }

  /** The marker's key: `<REDIS_KEY_PREFIX>wh:<integration>:<receipt>` in Redis, as operators know it. */
  private keyOf(key: ClaimKey): string {
    return `wh:${key.integrationId}:${key.receiptId}`;
  }

  private get sharedReady(): KeyValueStore | undefined {
    return this.shared?.available() ? this.shared : undefined;
  }

  private async wasAccepted(key: ClaimKey): Promise<boolean> {
    return (await this.readReceipt(key.integrationId, key.receiptId))?.verdict === ACCEPTED;
  }

  async claim(key: ClaimKey): Promise<ClaimResult> {
    const shared = this.sharedReady;
    if (shared) {
      try {
        return await this.claimShared(shared, key);
      } catch (error) {
        this.logger.warn('redis unavailable for webhook dedupe; using Cosmos', { error });
      }
    }
    return this.claimLocally(key);
  }

  /**
   * One receipt lookup per delivery at a time in this process: the copy that starts it claims the delivery
   * when it was not accepted before; copies arriving meanwhile share its answer (duplicate, or in flight
   * because that copy now commits). The claim's state changes inside the lookup's own continuation, so no
   * waiting copy can see a finished lookup that has not yet become a claim.
   */
  private async claimLocally(key: ClaimKey): Promise<ClaimResult> {
    const name = this.keyOf(key);
    const held = this.localClaims.get(name);
    if (held === 'claimed') return 'in_flight';
    if (held) return (await held) ? 'duplicate' : 'in_flight';
    const lookup = this.wasAccepted(key).then(
      (accepted) => {
        if (accepted) this.localClaims.delete(name);
        else this.localClaims.set(name, 'claimed');
        return accepted;
      },
      (error: unknown) => {
        this.localClaims.delete(name);
        throw error;
      },
    );
    this.localClaims.set(name, lookup);
    return (await lookup) ? 'duplicate' : 'claimed';
  }

  private async claimShared(shared: KeyValueStore, key: ClaimKey): Promise<ClaimResult> {
    const answer = await this.gather(shared, key);
    if (answer.claimed) return 'claimed';
    if (answer.held === ACCEPTED) return 'duplicate';
    // Pending: another copy is being committed, or a process died after committing it (its receipt says so).
    if (await this.wasAccepted(key)) {
      await shared.set(this.keyOf(key), ACCEPTED, DEDUPE_TTL_MS);
      return 'duplicate';
    }
    return 'in_flight';
  }

  /** Joins this turn's claims; they are sent together once the loop has read what arrived (setImmediate). */
  private gather(shared: KeyValueStore, key: ClaimKey): Promise<ClaimAnswer> {
    return new Promise<ClaimAnswer>((resolve, reject) => {
      if (this.gathered.length === 0) {
        this.gatheredFor = shared;
        setImmediate(() => this.sendGathered());
      }
      this.gathered.push({ key, resolve, reject });
    });
  }

  private sendGathered(): void {
    const claims = this.gathered;
    const shared = this.gatheredFor!;
    this.gathered = [];
    this.gatheredFor = undefined;
    shared.claimMany(claims.map(({ key }) => ({ key: this.keyOf(key), value: PENDING, ttlMs: CLAIM_TTL_MS }))).then(
      (answers) => claims.forEach((claim, index) => claim.resolve(answers[index]!)),
      (error: unknown) => claims.forEach((claim) => claim.reject(error)),
    );
  }

  /** The deliveries are committed: later copies are duplicates for 72 h. Best effort; the receipt stays the record. */
  async accepted(keys: ClaimKey[]): Promise<void> {
    for (const key of keys) this.localClaims.delete(this.keyOf(key));
    const shared = this.sharedReady;
    if (!shared || keys.length === 0) return;
    try {
      await shared.setMany(keys.map((key) => ({ key: this.keyOf(key), value: ACCEPTED, ttlMs: DEDUPE_TTL_MS })));
    } catch (error) {
      this.logger.warn(
        'could not mark webhook deliveries as accepted in redis; receipts in Cosmos settle their retries',
        { count: keys.length, error },
      );
    }
  }

  /** The commit failed: forget the claim so the provider's retry is processed. */
  async release(key: ClaimKey): Promise<void> {
    this.localClaims.delete(this.keyOf(key));
    const shared = this.sharedReady;
    if (!shared) return;
    await shared
      .delete(this.keyOf(key))
      .catch((error: unknown) =>
        this.logger.warn('could not release a webhook dedupe claim; it expires by itself', { error }),
      );
  }
}
