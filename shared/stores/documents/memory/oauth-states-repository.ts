/** The OAuth state markers port in memory (tests): markers by integration, spent once. */
import type { OAuthStateMarker, OAuthStatesRepository } from '../oauth-states-repository';
import { MemoryContainer } from './memory-container';

export class MemoryOAuthStatesRepository implements OAuthStatesRepository {
  private readonly container = new MemoryContainer<OAuthStateMarker>();

  async create(marker: OAuthStateMarker): Promise<void> {
    this.container.create(marker.integrationId, marker, 'oauth state');
  }

  async spend(integrationId: string, markerId: string): Promise<boolean> {
    return this.container.delete(integrationId, markerId);
  }
}
