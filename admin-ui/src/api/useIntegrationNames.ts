/**
 * Integration names by id for the current tenant, so cards and headers show "Engineering" rather than a UUID.
 * While the list loads, or for an id it does not hold (a deleted integration), the id itself is shown.
 */
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import type { ListEnvelope } from '../../../shared/admin/contracts/common';
import { useTenant } from '../state/session';
import { useResource } from './hooks';

export function useIntegrationNames(): (integrationId: string) => string {
  const { tenantId } = useTenant();
  const { data } = useResource<ListEnvelope<IntegrationView>>(`tenants/${encodeURIComponent(tenantId)}/integrations`);
  const names = new Map((data?.items ?? []).map((item) => [item.id, item.name]));
  return (integrationId) => names.get(integrationId) ?? integrationId;
}
