/**
 * Inbound limit checks arriving together, decided together. Under load a webhook endpoint reads many requests
 * in one turn of the event loop, each asking its tenant's inbound level for one call; one Redis script call per
 * request was about a tenth of the receiver's CPU (the command, its reply and a socket write each). Checks of
 * the same level gathered until the loop's I/O is handled (setImmediate) are asked for as one decision of
 * `cost` n (types.ts, gcraParamsForCost): when the level admits all n now, each gets its yes, exactly as n
 * single decisions would have; when it does not, each is decided on its own, so the answers stay exact (those
 * decisions leave in one write as well). Rate levels only: a concurrency level holds a lease per call.
 */
import type { Decision, LevelSpec, LimiterBackend } from './types';

interface Waiting {
  resolve(decision: Decision): void;
  reject(error: unknown): void;
}

const NO_LEASE = '';

export class InboundDecisions {
  private readonly gathering = new Map<string, { level: LevelSpec; waiting: Waiting[] }>();
  private scheduled = false;

  constructor(private readonly backend: Pick<LimiterBackend, 'decide'>) {}

  /** One call against `level`, never waiting for a turn: allowed now or refused with a retry time. */
  decide(level: LevelSpec): Promise<Decision> {
    if (level.rule.kind !== 'rate') return this.backend.decide([level], { maxWaitMs: 0, leaseId: NO_LEASE });
    return new Promise<Decision>((resolve, reject) => {
      const group = this.gathering.get(level.key);
      if (group) group.waiting.push({ resolve, reject });
      else this.gathering.set(level.key, { level, waiting: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.decideGathered());
      }
    });
  }

  private decideGathered(): void {
    this.scheduled = false;
    const groups = [...this.gathering.values()];
    this.gathering.clear();
    for (const { level, waiting } of groups) void this.decideGroup(level, waiting);
  }

  private async decideGroup(level: LevelSpec, waiting: Waiting[]): Promise<void> {
    try {
      if (waiting.length > 1) {
        const together = await this.backend.decide([level], {
          maxWaitMs: 0,
          leaseId: NO_LEASE,
          cost: waiting.length,
        });
        if (together.allowed) {
          for (const one of waiting) one.resolve(together);
          return;
        }
      }
    } catch (error) {
      for (const one of waiting) one.reject(error);
      return;
    }
    for (const one of waiting)
      this.backend.decide([level], { maxWaitMs: 0, leaseId: NO_LEASE }).then(one.resolve, one.reject);
  }
}
