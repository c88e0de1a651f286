/** The Salesforce adapter against the Salesforce sandbox: the shared contract plus Salesforce-only behaviours. */
import { salesforceAdapterFactory } from '../../shared/adapters/salesforce';
import { refreshSalesforceToken } from '../../shared/adapters/salesforce/oauth';
import { SANDBOX_CLIENT } from '../../shared/sandboxes/common/oauth';
import { startSalesforceSandbox } from '../../shared/sandboxes/salesforce';
import { sobjectId } from '../../shared/sandboxes/salesforce/schema';
import { runAdapterContract } from './contract-suite';

runAdapterContract('salesforce', {
  factory: salesforceAdapterFactory,
  start: (options) => startSalesforceSandbox(options),
  adapterOptions: () => ({}),
  entity: 'Account',
  refresh: async (sandbox, refreshToken, signal) => {
    const tokens = await refreshSalesforceToken({ loginUrl: sandbox.url, clientId: SANDBOX_CLIENT.clientId, clientSecret: SANDBOX_CLIENT.clientSecret, refreshToken, timeoutMs: 5000, signal });
    // Without rotation (the org default) the same refresh token stays valid.
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken };
  },
  createData: (tag) => ({ Name: tag, Industry: 'Technology' }),
  updateData: (tag) => ({ Name: tag }),
  invalidCreateData: () => ({ Industry: 'Technology' }),
  missingId: () => sobjectId('Account', 999_999),
  tagOf: (raw) => (typeof raw.Name === 'string' ? raw.Name : undefined),
  isDeletedInSandbox: (raw) => raw === undefined || raw.IsDeleted === true,
  signalsOnSuccess: true,
});
