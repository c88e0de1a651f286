/**
 * The duplicate check on the request path. A verified delivery first claims its id: Redis `SET NX` of a
 * short-lived "pending" marker, promoted to "accepted" for 72 h once the delivery is committed (archive,
 * runs, queue message, receipt), or deleted when the commit failed so the provider's retry is processed.
 *
 * A marker left "pending" by a process that died after committing is settled by the receipt in Cosmos: an
 * accepted receipt means a duplicate. Without Redis (not configured, or failing) the receipt in Cosmos is the
 * record, and claims in flight in this process are kept in memory; the queue's duplicate detection on the
 * message id (derived from the delivery id) is the second guard. In memory, a copy that arrives while another
 * copy's receipt lookup runs waits for that lookup instead of being told "in flight": copies of a delivery
 * committed long ago get the duplicate answer, as they do with Redis.
 */
import type { RedisClient } from '../../stores/kv/redis/redis-client';
import type { Logger } from '../../platform/observability/logger';

export const DEDUPE_TTL_SECONDS = 72 * 3600;
/** Long enough for any commit to finish; short enough that a crashed claim does not block retries for long. */
export const CLAIM_TTL_SECONDS = 120;

/** `claimed`: go on and commit. `duplicate`: accepted before; acknowledge. `in_flight`: the same delivery is being committed now. */
export type ClaimResult = 'claimed' | 'duplicate' | 'in_flight';

export interface ClaimKey {
  integrationId: string;
  /** The receipt id (a hash of the provider's delivery id). */
  receiptId: string;
}

/** Whether the receipt of this delivery says it was accepted (the durable record). */
export type AcceptedLookup = (key: ClaimKey) => Promise<boolean>;

/** A claim in this process: its receipt lookup (true: accepted before) while it runs, then `claimed` while it commits. */
type LocalClaim = Promise<boolean> | 'claimed';

export class DeliveryClaims {
  /** Claims this process holds while Redis is not used, so concurrent duplicates here are still caught. */
  private readonly localClaims = new Map<string, LocalClaim>();

  constructor(
    private readonly redis: RedisClient | undefined,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    private readonly wasAccepted: AcceptedLookup,
  ) {}

  private redisKey(key: ClaimKey): string {
    return `${this.keyPrefix}wh:${key.integrationId}:${key.receiptId}`;
  }

  private get redisReady(): boolean {
    return this.redis !== undefined && this.redis.status === 'ready';
  }

  async claim(key: ClaimKey): Promise<ClaimResult> {
    if (this.redisReady) {
      try {
        return await this.claimInRedis(key);
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
    const name = this.redisKey(key);
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

  private async claimInRedis(key: ClaimKey, attempt = 1): Promise<ClaimResult> {
    const redis = this.redis!;
    const name = this.redisKey(key);
    if ((await redis.set(name, 'pending', 'EX', CLAIM_TTL_SECONDS, 'NX')) === 'OK') return 'claimed';
    const state = await redis.get(name);
    if (state === 'accepted') return 'duplicate';
    // The marker expired between the two commands: claim again, once.
    if (state === null) return attempt === 1 ? this.claimInRedis(key, 2) : 'in_flight';
    if (await this.wasAccepted(key)) {
      await redis.set(name, 'accepted', 'EX', DEDUPE_TTL_SECONDS);
      return 'duplicate';
    }
    return 'in_flight';
  }

  /** The delivery is committed: later copies are duplicates for 72 h. Best effort; the receipt stays the record. */
  async accepted(keys: ClaimKey[]): Promise<void> {
    for (const key of keys) this.localClaims.delete(this.redisKey(key));
    if (!this.redisReady || keys.length === 0) return;
    // Issued together: auto-pipelining sends them in one write.
    const results = await Promise.allSettled(
      keys.map((key) => this.redis!.set(this.redisKey(key), 'accepted', 'EX', DEDUPE_TTL_SECONDS)),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    if (failed.length > 0)
      this.logger.warn(
        'could not mark webhook deliveries as accepted in redis; receipts in Cosmos settle their retries',
        { count: failed.length, error: failed[0]!.reason },
      );
  }

  /** The commit failed: forget the claim so the provider's retry is processed. */
  async release(key: ClaimKey): Promise<void> {
    this.localClaims.delete(this.redisKey(key));
    if (!this.redisReady) return;
    await this.redis!.del(this.redisKey(key)).catch((error: unknown) =>
      this.logger.warn('could not release a webhook dedupe claim; it expires by itself', { error }),
    );
  }
}
