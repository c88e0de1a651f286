/** Slack provider options: appDistribution is checked (400 naming the field) and decides the read pace. */
import { isAppError } from '../../core/app-error';
import { checkProviderOptions } from '../provider-options';
import { readPace, slackOptions } from './options';

describe('Slack provider options', () => {
  it('accepts the three distributions and no distribution; refuses anything else naming providerOptions.appDistribution', () => {
    for (const appDistribution of ['non_marketplace', 'marketplace', 'internal'])
      expect(() => checkProviderOptions('slack', { channels: ['C1'], appDistribution }, ['messages'])).not.toThrow();
    expect(() => checkProviderOptions('slack', { channels: ['C1'] }, ['messages'])).not.toThrow();
    for (const appDistribution of ['gold', 'Marketplace', true, 3]) {
      let thrown: unknown;
      try {
        checkProviderOptions('slack', { appDistribution }, ['users']);
      } catch (error) {
        thrown = error;
      }
      expect(isAppError(thrown) && [thrown.code, thrown.target]).toEqual([
        'bad_request',
        'providerOptions.appDistribution',
      ]);
    }
  });

  it('defaults to the non-Marketplace limits: 15 messages a call, one call a minute per read method', () => {
    expect(slackOptions({ channels: ['C1'] }).appDistribution).toBe('non_marketplace');
    expect(readPace('non_marketplace')).toEqual({ maxPerCall: 15, intervalMs: 60_000 });
    expect(readPace('marketplace')).toEqual({ maxPerCall: 200 });
    expect(readPace('internal')).toEqual({ maxPerCall: 200 });
  });
});
