/**
 * Channel secrets (webhook URLs, bot tokens) in the credential store, one per channel under
 * { tenantId, integrationId: notify-<channelId>, name: channel }. Webhook URLs are `custom` credentials
 * ({ url }), bot tokens `bearer_token`. Nothing else in the notifications library ever holds them for
 * longer than one send.
 */
import { AppError } from '../core/app-error';
import type { CredentialRef, CredentialService } from '../credentials';
import type { ChannelDoc, ChannelInput, ChannelTarget } from './types';

export function channelSecretRef(tenantId: string, channelId: string): CredentialRef {
  return { tenantId, integrationId: `notify-${channelId}`, name: 'channel' };
}

export async function storeChannelSecret(
  service: CredentialService,
  tenantId: string,
  channelId: string,
  input: ChannelInput,
  signal?: AbortSignal,
): Promise<void> {
  const ref = channelSecretRef(tenantId, channelId);
  if (input.type === 'slack_bot') await service.put(ref, { type: 'bearer_token', token: input.token }, { signal });
  else await service.put(ref, { type: 'custom', values: { url: input.url } }, { signal });
}

/** The channel ready to send, or a configuration error when its secret is missing or of the wrong type. */
export async function loadTarget(
  service: CredentialService,
  channel: ChannelDoc,
  slackApiUrl: string,
  signal?: AbortSignal,
): Promise<ChannelTarget> {
  const read = await service.read(channelSecretRef(channel.tenantId, channel.id), { signal });
  const credential = read?.doc.credential;
  if (channel.type === 'slack_bot' && credential?.type === 'bearer_token')
    return { type: 'slack_bot', token: credential.token, channel: channel.slackChannel ?? '', apiUrl: slackApiUrl };
  if (channel.type !== 'slack_bot' && credential?.type === 'custom' && credential.values.url)
    return { type: channel.type, url: credential.values.url };
  throw new AppError('configuration', `channel ${channel.id} has no usable secret; set the channel again`, {
    target: 'channel',
  });
}
