import { isAppError } from '../core/app-error';
import { policyForStrategyName, strategyFor, validatePolicy } from './policy';

function validationError(input: unknown) {
  try {
    validatePolicy(input);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected validatePolicy to throw');
}

describe('validatePolicy', () => {
  it('accepts every strategy kind and compiles custom rules', () => {
    const compiled = validatePolicy({
      default: { kind: 'latest_wins' },
      fields: {
        a: { kind: 'source_wins' },
        b: { kind: 'target_wins' },
        c: { kind: 'field_merge', priority: { c: 'target' } },
        d: { kind: 'manual' },
        e: { kind: 'custom', rule: '$max([local, remote])' },
      },
    });
    expect([...compiled.rules.keys()]).toEqual(['e']);
  });

  it('turns a rule that does not compile into a validation error naming the field', () => {
    const error = validationError({
      default: { kind: 'source_wins' },
      fields: { amount: { kind: 'custom', rule: '$max([local, ' } },
    });
    expect(error.code).toBe('validation');
    expect(error.target).toBe('fields.amount.rule');
    expect(error.message).toMatch(/fields\.amount\.rule does not compile/);
  });

  it('refuses rules that read the clock or random numbers, since redelivered pages must merge the same way', () => {
    const error = validationError({
      default: { kind: 'source_wins' },
      fields: { due: { kind: 'custom', rule: 'local > $now() ? local : remote' } },
    });
    expect(error.target).toBe('fields.due.rule');
    expect(error.message).toMatch(/\$now/);
    expect(validationError({ default: { kind: 'custom', rule: '$random() > 0.5 ? local : remote' } }).message).toMatch(
      /\$random/,
    );
  });

  it('names a broken default rule too', () => {
    expect(validationError({ default: { kind: 'custom', rule: 'local +' } }).target).toBe('default.rule');
  });

  it('rejects unknown kinds and misplaced settings, naming the setting', () => {
    expect(validationError({ default: { kind: 'newest' } }).target).toBe('default.kind');
    expect(validationError({ default: { kind: 'source_wins', rule: 'x' } }).code).toBe('validation');
    expect(validationError({ default: { kind: 'field_merge', priority: 'left' } }).target).toMatch(
      /^default\.priority/,
    );
    expect(validationError({ default: { kind: 'source_wins' }, fields: { 'a..b': { kind: 'manual' } } }).target).toBe(
      'fields.a..b',
    );
  });

  it('maps the integration one-word setting to a policy, except custom which needs rules', () => {
    expect(policyForStrategyName('field_merge').policy.default).toEqual({ kind: 'field_merge', priority: 'source' });
    expect(policyForStrategyName('manual').policy.default).toEqual({ kind: 'manual' });
    expect(() => policyForStrategyName('custom')).toThrow(/needs a conflict policy with rules/);
  });
});

describe('strategyFor', () => {
  const policy = validatePolicy({
    default: { kind: 'source_wins' },
    fields: { address: { kind: 'target_wins' }, 'address.city': { kind: 'manual' } },
  });

  it('uses the longest override key that covers the field, else the default', () => {
    expect(strategyFor(policy, 'address.city')).toMatchObject({
      strategy: { kind: 'manual' },
      via: 'fields.address.city',
    });
    expect(strategyFor(policy, 'address.zip')).toMatchObject({
      strategy: { kind: 'target_wins' },
      via: 'fields.address',
    });
    expect(strategyFor(policy, 'addressLine')).toMatchObject({ strategy: { kind: 'source_wins' }, via: 'default' });
  });
});
