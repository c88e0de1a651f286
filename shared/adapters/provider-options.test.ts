import { isAppError } from '../core/app-error';
import { DEFAULT_ENTITIES } from '../core/integration';
import type { ProviderId } from '../core/providers';
import { checkProviderOptions } from './provider-options';

const refusal = (provider: ProviderId, options: Record<string, unknown> | undefined, entities?: string[]) => {
  try {
    checkProviderOptions(provider, options, entities ?? DEFAULT_ENTITIES[provider]);
  } catch (error) {
    return isAppError(error) ? { code: error.code, status: error.httpStatus, target: error.target } : error;
  }
  return undefined;
};
const naming = (target: string) => ({ code: 'bad_request', status: 400, target });

describe('provider options', () => {
  it('accepts Google permanentDeletes as a boolean and passes other keys through', () => {
    expect(refusal('google', { permanentDeletes: true, calendarId: 'x' })).toBeUndefined();
    expect(refusal('google', {})).toBeUndefined();
    expect(refusal('google', undefined)).toBeUndefined();
    expect(refusal('google', { permanentDeletes: 'yes' })).toEqual(naming('providerOptions.permanentDeletes'));
  });

  it('requires GitHub repositories as a non-empty list of "owner/repo"', () => {
    expect(refusal('github', undefined)).toEqual(naming('providerOptions.repositories'));
    expect(refusal('github', {})).toEqual(naming('providerOptions.repositories'));
    expect(refusal('github', { repositories: [] })).toEqual(naming('providerOptions.repositories'));
    expect(refusal('github', { repositories: ['acme/widgets', 'nope'] })).toEqual(
      naming('providerOptions.repositories.1'),
    );
    expect(refusal('github', { repositories: ['acme/widgets'], other: 1 })).toBeUndefined();
  });

  it('requires the Notion data source id', () => {
    expect(refusal('notion', {})).toEqual(naming('providerOptions.dataSourceId'));
    expect(refusal('notion', { dataSourceId: 'wiki' })).toEqual(naming('providerOptions.dataSourceId'));
    expect(refusal('notion', { dataSourceId: '0f3c2f3e-5a1b-4c2d-9e8f-123456789abc' })).toBeUndefined();
  });

  it('requires Slack channels only when the integration syncs messages', () => {
    expect(refusal('slack', {})).toEqual(naming('providerOptions.channels'));
    expect(refusal('slack', { channels: [] }, ['messages'])).toEqual(naming('providerOptions.channels'));
    expect(refusal('slack', {}, ['users'])).toBeUndefined();
    expect(refusal('slack', { channels: ['C0123'] })).toBeUndefined();
    expect(refusal('slack', { channels: ['C0123'], editLookbackMs: -1 })).toEqual(
      naming('providerOptions.editLookbackMs'),
    );
  });

  it('checks the Salesforce API version when given', () => {
    expect(refusal('salesforce', undefined)).toBeUndefined();
    expect(refusal('salesforce', { apiVersion: 'v60.0' })).toBeUndefined();
    expect(refusal('salesforce', { apiVersion: '60' })).toEqual(naming('providerOptions.apiVersion'));
  });
});
