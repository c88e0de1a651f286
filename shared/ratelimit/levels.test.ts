import { LevelResolver, type CallTarget } from './levels';
import { MemoryOverrideStore, type LimitOverride } from './overrides';
import { DEFAULT_TENANT_RULE, PROVIDER_LIMITS } from './provider-limits';
import type { LevelSpec } from './types';

const target: CallTarget = { tenantId: 't1', integrationId: 'i1', provider: 'notion', operation: 'pages.query' };
const tenantLimit = (levels: readonly LevelSpec[]) => {
  const tenant = levels.find((level) => level.name === 'tenant')!.rule;
  return tenant.kind === 'rate' ? tenant.limit : undefined;
};

function setUp(cacheMs: number, options: { changeCounter?: boolean } = {}) {
  const store = new MemoryOverrideStore();
  let reads = 0;
  let clock = 0;
  let holding = false;
  const held: Array<() => void> = [];
  const counting = Object.assign(Object.create(store) as MemoryOverrideStore, {
    // Reads the store at once, answers when released while holding: a slow read that saw the past.
    getPair: async (tenantId: string, integrationId: string) => {
      reads++;
      const pair = await store.getPair(tenantId, integrationId);
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      return pair;
    },
    // Without a change counter the cache time alone bounds staleness (the store's counter is tested below).
    changeCounter: options.changeCounter ? () => store.changeCounter() : undefined,
  });
  const resolver = new LevelResolver({
    keyPrefix: 'p:',
    providerLimits: PROVIDER_LIMITS,
    tenantRule: DEFAULT_TENANT_RULE,
    overrides: counting,
    overrideCacheMs: cacheMs,
    now: () => clock,
  });
  return {
    store,
    resolver,
    reads: () => reads,
    advance: (ms: number) => (clock += ms),
    holdReads: () => (holding = true),
    stopHolding: () => (holding = false),
    releaseHeld: async () => {
      for (const release of held.splice(0)) release();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const override = (limit: number): LimitOverride => ({ tenant: { kind: 'rate', limit, windowMs: 1000, burst: limit } });

describe('LevelResolver override cache', () => {
  it('answers from the cache while a stale pair is re-read beside the call, and applies a change found by the re-read', async () => {
    const t = setUp(1000);
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(DEFAULT_TENANT_RULE.limit);
    expect(t.reads()).toBe(1);
    // Another instance changes the override; this one sees it only once the cache is stale and re-read.
    await t.store.set({ tenantId: 't1' }, override(7));
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(DEFAULT_TENANT_RULE.limit);
    t.advance(1000);
    t.holdReads();
    // Stale: the call does not wait for the re-read, which is running.
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(DEFAULT_TENANT_RULE.limit);
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(DEFAULT_TENANT_RULE.limit);
    expect(t.reads()).toBe(2);
    t.stopHolding();
    await t.releaseHeld();
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(7);
    expect(t.reads()).toBe(2);
  });

  it('keeps the resolved levels when a re-read finds nothing changed', async () => {
    const t = setUp(1000);
    await t.store.set({ tenantId: 't1' }, override(9));
    const first = await t.resolver.resolve(target);
    t.advance(1000);
    await t.resolver.resolve(target);
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.reads()).toBe(2);
    expect(await t.resolver.resolve(target)).toBe(first);
  });

  it('a change made through this process applies at once, and an older re-read finishing later does not undo it', async () => {
    const t = setUp(1000);
    await t.resolver.resolve(target);
    await t.store.set({ tenantId: 't1' }, override(5)); // another instance's change
    t.advance(1000);
    t.holdReads();
    await t.resolver.resolve(target); // starts a re-read, which reads 5 and is held
    t.stopHolding();
    await t.store.set({ tenantId: 't1' }, override(6)); // this process's change, after it
    t.resolver.invalidate('t1');
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(6);
    await t.releaseHeld(); // the older re-read ends now, with 5
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(6);
    t.advance(999);
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(6);
  });

  it('with no cache time, reads every call', async () => {
    const t = setUp(0);
    await t.resolver.resolve(target);
    await t.store.set({ tenantId: 't1' }, override(3));
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(3);
    expect(t.reads()).toBe(2);
  });

  it("drops the cache when the store's change counter moved: another instance's change applies within a check", async () => {
    const t = setUp(60_000, { changeCounter: true });
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(DEFAULT_TENANT_RULE.limit);
    await new Promise((resolve) => setImmediate(resolve)); // the first counter reading: the baseline
    await t.store.set({ tenantId: 't1' }, override(4)); // through another instance
    // Within the check interval the cached pair still answers, without reads.
    t.advance(500);
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(DEFAULT_TENANT_RULE.limit);
    expect(t.reads()).toBe(1);
    // The next check sees the counter moved: the cache is dropped and the pair read again.
    t.advance(600);
    await t.resolver.resolve(target);
    await new Promise((resolve) => setImmediate(resolve));
    expect(tenantLimit(await t.resolver.resolve(target))).toBe(4);
    expect(t.reads()).toBe(2);
    // Nothing changed since: no more reads, however often asked, until the cache time runs out.
    for (let i = 0; i < 5; i++) {
      t.advance(1000);
      await t.resolver.resolve(target);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(t.reads()).toBe(2);
  });
});
