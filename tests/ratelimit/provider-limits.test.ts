/** Provider defaults are valid rules, and operation patterns match the way people read them. */
import fc from 'fast-check';
import { PROVIDER_IDS } from '../../shared/core/providers';
import { parseOverride } from '../../shared/ratelimit/overrides';
import { matchesGlob, matchOperation, PROVIDER_LIMITS } from '../../shared/ratelimit/provider-limits';

describe('provider defaults', () => {
  it.each(PROVIDER_IDS)('%s: every rule passes the override schema', (provider) => {
    const limits = PROVIDER_LIMITS[provider];
    const operations = Object.fromEntries(limits.operations.map((rule, i) => [`op${i}`, rule.rule]));
    expect(() =>
      parseOverride({
        integration: limits.integration,
        tenant: limits.app,
        operations,
        concurrency: limits.concurrency,
      }),
    ).not.toThrow();
  });

  it('puts GitHub mutations in one group and reads in their own budgets', () => {
    const rules = PROVIDER_LIMITS.github.operations;
    expect(matchOperation(rules, 'issues.create')?.keyPart).toBe('group:mutations');
    expect(matchOperation(rules, 'labels.addToIssue')?.keyPart).toBe('group:mutations');
    expect(matchOperation(rules, 'issues.list')?.keyPart).toBe('issues.list');
  });

  it('gives Slack methods their tiers', () => {
    const rules = PROVIDER_LIMITS.slack.operations;
    const perMinute = (method: string) => {
      const rule = matchOperation(rules, method)!.rule;
      return rule.kind === 'rate' ? (rule.limit * 60_000) / rule.windowMs : NaN;
    };
    expect(perMinute('chat.postMessage')).toBe(60);
    expect(perMinute('admin.users.list')).toBe(1);
    expect(perMinute('conversations.list')).toBe(20);
    expect(perMinute('conversations.history')).toBe(50);
    expect(perMinute('some.newMethod')).toBe(50);
  });
});

describe('matchesGlob', () => {
  const part = fc.string({ maxLength: 6 }).filter((s) => !s.includes('*'));
  it('without a star is equality; a lone star matches anything', () => {
    fc.assert(fc.property(part, part, (a, b) => matchesGlob(a, b) === (a === b) && matchesGlob('*', b)));
  });
  it('prefix*suffix matches exactly the strings with that prefix and suffix, not overlapping', () => {
    fc.assert(
      fc.property(part, part, fc.string({ maxLength: 8 }), (prefix, suffix, value) => {
        const expected =
          value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
        return matchesGlob(`${prefix}*${suffix}`, value) === expected;
      }),
    );
  });
  it('a*b*c needs the middle in between', () => {
    expect(matchesGlob('a*b*c', 'axbyc')).toBe(true);
    expect(matchesGlob('a*b*c', 'acb')).toBe(false);
    expect(matchesGlob('a*b*c', 'abc')).toBe(true);
  });
});
