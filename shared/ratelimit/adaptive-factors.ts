/**
 * The adaptive factors in force, as this process knows them: the backend's list of throttled levels, read
 * once per `refreshMs` (one call however many levels exist, since only throttled ones are listed) and
 * updated at once by this process's own penalties. Decisions never wait for it after the first load.
 */
import { effectiveFactor, type AdaptivePolicy, type AdaptiveState, type LimiterBackend } from './types';

export class AdaptiveFactors {
  private states = new Map<string, AdaptiveState>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly backend: LimiterBackend,
    private readonly policy: AdaptivePolicy,
    private readonly refreshMs: number,
    private readonly now: () => number,
  ) {}

  /** The factor of each key (1: not throttled). Waits only for the very first load. */
  async factors(keys: readonly string[]): Promise<number[]> {
    const factorOf = await this.current();
    return keys.map(factorOf);
  }

  /**
   * A reader of the factors in force now (1: not throttled), for a caller that looks up keys one by one
   * without building arrays (the decision path). Waits only for the very first load.
   */
  async current(): Promise<(key: string) => number> {
    const reader = this.currentNow();
    if (reader) return reader;
    await this.refresh();
    return this.currentNow()!;
  }

  /** The same without waiting; undefined only before the first load has finished (a refresh is then started). */
  currentNow(): ((key: string) => number) | undefined {
    const now = this.now();
    if (now - this.loadedAt >= this.refreshMs) {
      void this.refresh();
      if (this.loadedAt === Number.NEGATIVE_INFINITY) return undefined;
    }
    // Most levels are not throttled: answer 1 without the policy arithmetic.
    return this.states.size === 0 ? one : (key) => effectiveFactor(this.states.get(key), now, this.policy);
  }

  /** Records a state this process just wrote, so its next decision uses it without a read. */
  remember(key: string, state: AdaptiveState): void {
    this.states.set(key, state);
  }

  private refresh(): Promise<void> {
    this.loading ??= this.backend
      .readAdaptive(this.policy)
      .then((states) => {
        this.states = states;
        this.loadedAt = this.now();
      })
      // Unreadable (Redis down): keep what we know and try again at the next refresh.
      .catch(() => {
        this.loadedAt = this.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}

const one = (): number => 1;
