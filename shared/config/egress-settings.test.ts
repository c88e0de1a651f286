/** OUTBOUND_ALLOWED_HOSTS and OUTBOUND_ALLOW_LOOPBACK: parsed once, the local exception never in Azure. */
import { isAppError } from '../core/app-error';
import { parseSettings } from './settings';

function refusedSetting(env: Record<string, string>): string | undefined {
  try {
    parseSettings(env);
  } catch (error) {
    if (isAppError(error)) return error.target;
    throw error;
  }
  return undefined;
}

const AZURE = { FUNCTIONS_WORKER_RUNTIME: 'node', ADMIN_API_KEY: 'an-admin-key-of-32-characters-00' };

describe('outbound settings', () => {
  it('loopback is allowed by default only with the local demo, and explicitly', () => {
    expect(parseSettings({}).egress).toEqual({ allowLoopback: true, allowedHosts: [] });
    expect(parseSettings({ DEMO_MODE: 'false' }).egress.allowLoopback).toBe(false);
    expect(parseSettings({ DEMO_MODE: 'false', OUTBOUND_ALLOW_LOOPBACK: 'true' }).egress.allowLoopback).toBe(true);
    expect(parseSettings({ OUTBOUND_ALLOW_LOOPBACK: 'false' }).egress.allowLoopback).toBe(false);
    expect(parseSettings(AZURE).egress.allowLoopback).toBe(false);
  });

  it('refuses OUTBOUND_ALLOW_LOOPBACK=true in Azure, naming it', () => {
    expect(refusedSetting({ ...AZURE, OUTBOUND_ALLOW_LOOPBACK: 'true' })).toBe('OUTBOUND_ALLOW_LOOPBACK');
  });

  it('reads the operator allow-list and refuses entries that are no host names', () => {
    expect(parseSettings({ OUTBOUND_ALLOWED_HOSTS: 'github.example.com, *.corp.example' }).egress.allowedHosts).toEqual(
      ['github.example.com', '*.corp.example'],
    );
    for (const bad of ['169.254.169.254', 'https://github.example.com', 'github.example.com:8443', 'localhost']) {
      expect(refusedSetting({ OUTBOUND_ALLOWED_HOSTS: bad })).toBe('OUTBOUND_ALLOWED_HOSTS');
    }
  });
});
