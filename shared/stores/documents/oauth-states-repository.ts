/**
 * The OAuth state markers port (documents `sync-state`, partition /integrationId, kind "oauth-state"): one
 * marker per connect link, saying only "not used yet", so a link can be spent once. Implementations:
 * cosmos/oauth-states-repository.ts, memory/oauth-states-repository.ts.
 */
export interface OAuthStateMarker {
  id: string;
  kind: 'oauth-state';
  integrationId: string;
  tenantId: string;
  expiresAt: string;
}

export interface OAuthStatesRepository {
  /** Fails with conflict when the marker exists already. */
  create(marker: OAuthStateMarker): Promise<void>;
  /** Removes the marker: true the first time, false when it was spent already (or never made). */
  spend(integrationId: string, markerId: string): Promise<boolean>;
}
