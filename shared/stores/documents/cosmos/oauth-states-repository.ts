/**
 * The OAuth state markers port on Cosmos: documents of kind "oauth-state" in the `sync-state` container,
 * partition /integrationId. Spending a marker is deleting it, which Cosmos does once.
 */
import type { Container } from '@azure/cosmos';
import type { OAuthStateMarker, OAuthStatesRepository } from '../oauth-states-repository';
import { statusOf, translateCosmosError } from './cosmos-client';

export class CosmosOAuthStatesRepository implements OAuthStatesRepository {
  constructor(private readonly container: Container) {}

  async create(marker: OAuthStateMarker): Promise<void> {
    try {
      await this.container.items.create(marker);
    } catch (error) {
      throw translateCosmosError(error, 'oauth state');
    }
  }

  async spend(integrationId: string, markerId: string): Promise<boolean> {
    try {
      await this.container.item(markerId, integrationId).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw translateCosmosError(error, 'oauth state');
    }
  }
}
