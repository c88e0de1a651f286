/**
 * The raw Cosmos database behind a test's services, for the few tests that look underneath the document store:
 * counting every container, spying on the SDK's calls, listing the containers. Product code never sees it (its
 * features get repositories); a test opens its own client on the same database and disposes of it.
 */
import type { Settings } from '../../shared/config/settings';
import { openCosmosDatabase, type CosmosDatabase } from '../../shared/stores/documents/cosmos/cosmos-client';

export function openTestDatabase(settings: Settings): Promise<CosmosDatabase> {
  return openCosmosDatabase(settings.cosmos, settings.azureClientId);
}
