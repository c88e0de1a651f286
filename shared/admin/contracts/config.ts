/**
 * Contracts of the configuration routes the console's Provider apps page reads (issue 18 §6). Client secrets
 * are write-only: no answer carries one.
 */

/** One provider's OAuth client registration as GET oauth-apps shows it. */
export interface OAuthAppView {
  provider: string;
  /** True when a client id and secret are stored for this provider. */
  configured: boolean;
  clientId?: string;
  /** Endpoint overrides the operator set (absent: the provider's public endpoints). */
  authorizeUrl?: string;
  tokenUrl?: string;
  /** Scopes registered with the app (absent: the provider's defaults). */
  scopes?: string[];
  /** When the registration was last stored. */
  updatedAt?: string;
}

/** GET oauth-apps */
export interface OAuthAppListResponse {
  items: OAuthAppView[];
}
