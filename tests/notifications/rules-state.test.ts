/**
 * Routing rules and notification state as units: quiet hours across midnight and time zones, rule matching,
 * and the dedupe window of both state stores (memory on a fake clock, real Redis), which must agree.
 */
import { randomUUID } from 'node:crypto';
import { createRedisClient } from '../../shared/stores/kv/redis/redis-client';
import { inQuietHours, matchingRules } from '../../shared/notifications/rules';
import { NOTIFY_STATE_FALLBACK, notifyStateOn, type NotifyState } from '../../shared/notifications/state';
import { openKeyValueStores } from '../../shared/stores/kv';
import { MemoryKeyValueStore } from '../../shared/stores/kv/memory/memory-kv-store';
import { ruleInputSchema, type RuleDoc } from '../../shared/notifications/types';
import { event } from './support';

const quiet = (start: string, end: string, timeZone = 'UTC') => ({ start, end, timeZone, allowCritical: true });

describe('quiet hours', () => {
  it('wraps midnight and follows the time zone', () => {
    const night = quiet('22:00', '07:00', 'Europe/Berlin');
    expect(inQuietHours(night, new Date('2026-01-10T21:30:00Z'))).toBe(true); // 22:30 in Berlin (CET)
    expect(inQuietHours(night, new Date('2026-01-10T05:59:00Z'))).toBe(true); // 06:59
    expect(inQuietHours(night, new Date('2026-01-10T06:00:00Z'))).toBe(false); // 07:00
    expect(inQuietHours(night, new Date('2026-07-10T20:30:00Z'))).toBe(true); // 22:30 in summer (CEST)
    expect(inQuietHours(quiet('09:00', '17:00'), new Date('2026-01-10T12:00:00Z'))).toBe(true);
    expect(inQuietHours(quiet('09:00', '17:00'), new Date('2026-01-10T17:00:00Z'))).toBe(false);
    expect(inQuietHours(quiet('09:00', '09:00'), new Date('2026-01-10T09:00:00Z'))).toBe(false);
    expect(inQuietHours(undefined, new Date())).toBe(false);
  });
});

describe('rule matching', () => {
  const rule = (input: object): RuleDoc => ({
    ...ruleInputSchema.parse({ name: 'r', channelIds: ['c'], ...input }),
    id: randomUUID(),
    tenantId: 't',
    kind: 'rule',
    createdAt: '',
    updatedAt: '',
  });
  it('matches on type, minimum severity, integration and enabled', () => {
    const rules = [
      rule({ eventTypes: ['sync.run_failed'], minSeverity: 'error' }),
      rule({ eventTypes: ['*'], minSeverity: 'critical' }),
      rule({ eventTypes: ['*'], integrationIds: ['only-this'] }),
      rule({ eventTypes: ['*'], enabled: false }),
    ];
    expect(matchingRules(rules, event('t', 'sync.run_failed', { severity: 'error' }))).toEqual([rules[0]]);
    expect(matchingRules(rules, event('t', 'sync.run_failed', { severity: 'warning' }))).toEqual([]);
    expect(matchingRules(rules, event('t', 'credential.expired', { severity: 'critical' }))).toEqual([rules[1]]);
    expect(
      matchingRules(rules, event('t', 'credential.expired', { severity: 'warning', integrationId: 'only-this' })),
    ).toEqual([rules[2]]);
  });
});

function stateSuite(name: string, make: () => { state: NotifyState; advance(ms: number): Promise<void> }) {
  describe(`${name} notification state`, () => {
    it('counts occurrences within the window and starts again after it', async () => {
      const { state, advance } = make();
      const key = `k-${randomUUID()}`;
      expect([
        await state.increment(key, 200),
        await state.increment(key, 200),
        await state.increment(key, 200),
      ]).toEqual([1, 2, 3]);
      await advance(260);
      expect(await state.increment(key, 200)).toBe(1);
    });
    it('claims a key once per window', async () => {
      const { state, advance } = make();
      const key = `c-${randomUUID()}`;
      expect([await state.claim(key, 200), await state.claim(key, 200)]).toEqual([true, false]);
      await advance(260);
      expect(await state.claim(key, 200)).toBe(true);
    });
  });
}

let nowMs = 0;
stateSuite('memory', () => ({
  state: notifyStateOn(new MemoryKeyValueStore({ now: () => nowMs })),
  advance: async (ms) => void (nowMs += ms),
}));

const redis = createRedisClient(process.env.REDIS_URL!);
afterAll(() => redis.disconnect());
stateSuite('Redis', () => ({
  state: notifyStateOn(
    openKeyValueStores({ redis, keyPrefix: `test-${randomUUID()}:` }).withFallback(NOTIFY_STATE_FALLBACK),
  ),
  advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));
