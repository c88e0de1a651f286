/**
 * The app's managed identity (DefaultAzureCredential, with the user-assigned identity's client id when one is
 * set), for the Azure services reached without a key. @azure/identity is loaded on first use only: it is one of
 * the largest SDKs in the app (about 20 MB resident), and a run on keys, connection strings and the local
 * stand-ins never needs it.
 */
import type { TokenCredential } from '@azure/core-auth';

export async function managedIdentity(clientId?: string): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}
