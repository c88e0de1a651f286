/**
 * Property tests of the GCRA semantics on the in-memory backend with a controlled clock (the Redis backend
 * is held to the same decisions by the conformance suite and to the same bound by the multi-process test).
 */
import fc from 'fast-check';
import { LocalLimiterBackend } from '../../shared/ratelimit/local-backend';
import type { LevelSpec } from '../../shared/ratelimit/types';

/** Most grants inside any window [t, t + lengthMs) of the sorted times. */
function maxInWindow(times: number[], lengthMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= lengthMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('GCRA bounds', () => {
  it('never grants more than burst + window/interval in any window, per level, over several levels', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          limits: fc.array(
            fc.record({
              limit: fc.integer({ min: 1, max: 20 }),
              windowMs: fc.integer({ min: 10, max: 1000 }),
              burst: fc.integer({ min: 1, max: 5 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          calls: fc.array(
            fc.record({ gapMs: fc.double({ min: 0, max: 50, noNaN: true }), mask: fc.integer({ min: 1, max: 7 }) }),
            { maxLength: 300 },
          ),
        }),
        async ({ limits, calls }) => {
          let clock = 1_000_000;
          const backend = new LocalLimiterBackend(() => clock);
          const levels: LevelSpec[] = limits.map((rule, i) => ({
            name: 'integration',
            key: `k${i}`,
            rule: { kind: 'rate', ...rule },
          }));
          const granted: number[][] = levels.map(() => []);
          for (const call of calls) {
            clock += call.gapMs;
            const chosen = levels.filter((_, i) => (call.mask >> i) & 1);
            if (chosen.length === 0) continue;
            const decision = await backend.decide(chosen, { maxWaitMs: 0, leaseId: '' });
            if (decision.allowed) for (const level of chosen) granted[levels.indexOf(level)]!.push(clock);
          }
          levels.forEach((level, i) => {
            if (level.rule.kind !== 'rate') return;
            const interval = level.rule.windowMs / level.rule.limit;
            // Strict form: no window of windowMs holds more than limit + burst - 1 (limit exactly when burst is 1).
            expect(maxInWindow(granted[i]!, level.rule.windowMs)).toBeLessThanOrEqual(
              level.rule.limit + (level.rule.burst ?? 1) - 1,
            );
            // Any shorter window: at most burst + its length in intervals.
            const shortWindow = interval * 2.5;
            expect(maxInWindow(granted[i]!, shortWindow)).toBeLessThanOrEqual(
              (level.rule.burst ?? 1) + Math.ceil(shortWindow / interval) - 1,
            );
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a refused decision changes nothing: the same calls without the refused ones decide the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 40 }), mask: fc.integer({ min: 1, max: 3 }) }), {
          maxLength: 200,
        }),
        async (calls) => {
          const levels: LevelSpec[] = [
            { name: 'tenant', key: 'a', rule: { kind: 'rate', limit: 3, windowMs: 100, burst: 2 } },
            { name: 'integration', key: 'b', rule: { kind: 'rate', limit: 2, windowMs: 100, burst: 1 } },
          ];
          let clock = 0;
          const full = new LocalLimiterBackend(() => clock);
          const results: boolean[] = [];
          for (const call of calls) {
            clock += call.gapMs;
            results.push(
              (
                await full.decide(
                  levels.filter((_, i) => (call.mask >> i) & 1),
                  { maxWaitMs: 0, leaseId: '' },
                )
              ).allowed,
            );
          }
          // Replay only the granted calls: every one of them must still be granted.
          clock = 0;
          const replay = new LocalLimiterBackend(() => clock);
          for (let i = 0; i < calls.length; i++) {
            clock += calls[i]!.gapMs;
            if (!results[i]) continue;
            expect(
              (
                await replay.decide(
                  levels.filter((_, j) => (calls[i]!.mask >> j) & 1),
                  { maxWaitMs: 0, leaseId: '' },
                )
              ).allowed,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
