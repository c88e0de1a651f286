/**
 * What the create form offers per provider: its label and the entities its adapter syncs by default, read
 * from the provider descriptors (shared/core/providers: pure data, bundled as they are). The API has the final
 * word and names a bad entity.
 */
import { PROVIDERS as DESCRIPTORS, type ProviderId } from '../../shared/core/providers';

export const PROVIDERS: ReadonlyArray<{ id: ProviderId; label: string; entities: readonly string[] }> = DESCRIPTORS.map(
  (provider) => ({ id: provider.id, label: provider.label, entities: provider.entities.defaults }),
);

export function providerLabel(id: string): string {
  return PROVIDERS.find((provider) => provider.id === id)?.label ?? id;
}
