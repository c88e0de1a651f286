/** The OAuth connect flow bound to the app's services and settings. */
import type { Settings } from '../../config/settings';
import type { AppServices } from '../../app/services';
import type { ConnectDeps } from './connect';

export function oauthRedirectUri(settings: Settings): string {
  return `${settings.publicBaseUrl.replace(/\/$/, '')}/api/oauth/callback`;
}

export function connectDeps(
  services: Pick<AppServices, 'credentials' | 'integrations' | 'documents' | 'now' | 'settings'>,
): ConnectDeps {
  return {
    credentials: services.credentials,
    integrations: services.integrations,
    states: services.documents.oauthStates,
    now: services.now,
    requestTimeoutMs: services.settings.pipeline.requestTimeoutMs,
  };
}
