/** Provider data with "__proto__" keys (JSON.parse makes them own properties) must stay data. */
import { mergeRecord, policyForStrategyName } from './index';

describe('prototype safety', () => {
  it('never writes through __proto__ into Object.prototype, and keeps such a field as data', async () => {
    const remote = JSON.parse(
      '{"title":"x","__proto__":{"polluted":"yes"},"nested":{"__proto__":{"deep":"yes"}}}',
    ) as Record<string, unknown>;
    const resolution = await mergeRecord({ base: {}, local: {}, remote }, policyForStrategyName('source_wins'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).deep).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(resolution.merged, '__proto__')).toBe(true);
    expect(resolution.merged.title).toBe('x');
  });
});
