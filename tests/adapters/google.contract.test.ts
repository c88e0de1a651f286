/** The Google adapter against the Google sandbox: the shared contract on Calendar events. */
import { googleAdapterFactory } from '../../shared/adapters/google';
import { refreshGoogleToken } from '../../shared/adapters/google/oauth';
import { SANDBOX_CLIENT } from '../../shared/sandboxes/common/oauth';
import { startGoogleSandbox } from '../../shared/sandboxes/google';
import { runAdapterContract } from './contract-suite';

const inOneHour = () => {
  const start = Date.now() + 3600_000;
  return { start: { dateTime: new Date(start).toISOString() }, end: { dateTime: new Date(start + 1_800_000).toISOString() } };
};

runAdapterContract('google', {
  factory: googleAdapterFactory,
  start: (options) => startGoogleSandbox(options),
  adapterOptions: () => ({ calendarId: 'primary' }),
  entity: 'events',
  refresh: async (sandbox, refreshToken, signal) => {
    const tokens = await refreshGoogleToken({ tokenUrl: `${sandbox.url}/token`, clientId: SANDBOX_CLIENT.clientId, clientSecret: SANDBOX_CLIENT.clientSecret, refreshToken, timeoutMs: 5000, signal });
    // Google keeps the refresh token: the answer carries a new access token only.
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken };
  },
  createData: (tag) => ({ summary: tag, ...inOneHour() }),
  updateData: (tag) => ({ summary: tag }),
  invalidCreateData: () => ({ summary: 'no times' }),
  missingId: () => 'evtvvvvvvvv',
  tagOf: (raw) => (typeof raw.summary === 'string' ? raw.summary : undefined),
  isDeletedInSandbox: (raw) => raw === undefined || raw.status === 'cancelled',
  signalsOnSuccess: false,
});
