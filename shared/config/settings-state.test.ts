import { parseSettings } from './settings';
import { loadSettingsState } from './settings-state';

const REFERENCE = '@Microsoft.KeyVault(SecretUri=https://kv-isync.vault.azure.net/secrets/admin-api-key)';

/** Runs `body` with the given variables in process.env (what the Functions host gives the worker). */
function withEnvironment<T>(variables: Record<string, string>, body: () => T): T {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return body();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('unresolved Key Vault references', () => {
  it('are refused as values, naming the setting and not the reference (an admin key equal to it would be guessable)', () => {
    expect(() => parseSettings({ ADMIN_API_KEY: REFERENCE })).toThrow(
      'Invalid setting ADMIN_API_KEY: is an unresolved Key Vault reference',
    );
    try {
      parseSettings({ ADMIN_API_KEY: REFERENCE });
    } catch (error) {
      expect((error as Error).message).not.toContain('vault.azure.net');
    }
  });
});

describe('loadSettingsState (the Azure host)', () => {
  it('gives the settings when they are valid', () => {
    const state = withEnvironment({ SYNC_SCHEDULE: '0 */3 * * * *' }, loadSettingsState);
    expect(state.ok && state.settings.schedules.sync).toBe('0 */3 * * * *');
  });

  it('gives the problem, and settings to register with, when one is bad', () => {
    const state = withEnvironment(
      { REDIS_URL: 'redis.example.net:6380', SYNC_SCHEDULE: '0 */3 * * * *', TOKEN_REFRESH_SCHEDULE: 'hourly' },
      loadSettingsState,
    );
    if (state.ok) throw new Error('expected a problem');
    expect(state.problem).toMatchObject({ code: 'configuration', target: 'REDIS_URL' });
    expect(state.registration.schedules.sync).toBe('0 */3 * * * *');
    // A bad schedule registers on its default; the worker still reports the first problem it met.
    expect(state.registration.schedules.tokenRefresh).toBe(parseSettings({}).schedules.tokenRefresh);
    expect(state.registration.redis.url).toBeUndefined();
  });
});
