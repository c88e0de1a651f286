/** The Slack adapter against the Slack sandbox: the shared contract with messages of two channels. */
import { slackAdapterFactory } from '../../shared/adapters/slack';
import { refreshSlackToken } from '../../shared/adapters/slack/oauth';
import { SANDBOX_CLIENT } from '../../shared/sandboxes/common/oauth';
import { startSlackSandbox } from '../../shared/sandboxes/slack';
import { channelIds } from '../../shared/sandboxes/slack/workspace';
import { runAdapterContract } from './contract-suite';

const CHANNELS = channelIds(2);

runAdapterContract('slack', {
  factory: slackAdapterFactory,
  start: (options) => startSlackSandbox({ ...options, extra: { channels: CHANNELS.length } }),
  adapterOptions: () => ({ channels: CHANNELS }),
  entity: 'messages',
  refresh: async (sandbox, refreshToken, signal) => {
    const tokens = await refreshSlackToken({ apiUrl: sandbox.url, clientId: SANDBOX_CLIENT.clientId, clientSecret: SANDBOX_CLIENT.clientSecret, refreshToken, timeoutMs: 5000, signal });
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  },
  createData: (tag) => ({ text: tag }),
  updateData: (tag) => ({ text: tag }),
  invalidCreateData: () => ({ text: '' }),
  missingId: () => `${CHANNELS[0]}:1000000000.000001`,
  tagOf: (raw) => (typeof raw.text === 'string' ? raw.text : undefined),
  isDeletedInSandbox: (raw) => raw === undefined,
  signalsOnSuccess: false,
});
