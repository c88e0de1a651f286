/**
 * Tells the logger's secret registry (observability/secret-registry.ts) the secret values of a credential as
 * it is loaded, stored or refreshed, so those values are scrubbed from every log line wherever they turn up
 * (an echoed provider error body, a URL in a message). Values stay in this process's memory only.
 */
import { registerSecrets } from '../platform/observability/secret-registry';
import type { Credential } from './types';

/** The fields of each credential type that hold secret material (ids, names, dates and scopes do not). */
export function secretValuesOf(credential: Credential): Array<string | undefined> {
  switch (credential.type) {
    case 'oauth2_authorization_code':
      return [credential.accessToken, credential.refreshToken, credential.clientSecret];
    case 'oauth2_client_credentials':
      return [credential.clientSecret];
    case 'jwt_bearer':
      return [credential.privateKeyPem];
    case 'api_key':
      return [credential.key];
    case 'bearer_token':
      return [credential.token];
    case 'basic_auth':
      return [credential.password];
    case 'webhook_secret':
      return [credential.secret, credential.previousSecret];
    case 'certificate':
      return [
        credential.material.format === 'pem' ? credential.material.privateKeyPem : credential.material.pfxBase64,
        credential.passphrase,
      ];
    case 'custom':
      return Object.values(credential.values);
  }
}

export function registerCredentialSecrets(credential: Credential): void {
  registerSecrets(...secretValuesOf(credential));
}
