/** A labelled select of the current tenant's integrations (used by the Runs and Webhooks pages). */
import { useId } from 'react';
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import type { ListEnvelope } from '../../../shared/admin/contracts/common';
import { useResource } from '../api/hooks';
import { useTenant } from '../state/session';
import { ErrorBanner } from './ErrorBanner';

export interface IntegrationPickerProps {
  value: string | undefined;
  onChange(integrationId: string, integration: IntegrationView | undefined): void;
  label?: string;
  /** Offer an "all integrations" entry with the empty value. */
  allowAll?: boolean;
}

export function IntegrationPicker({ value, onChange, label = 'Integration', allowAll }: IntegrationPickerProps) {
  const id = useId();
  const { tenantId } = useTenant();
  const { data, error, loading, reload } = useResource<ListEnvelope<IntegrationView>>(
    `tenants/${encodeURIComponent(tenantId)}/integrations`,
  );
  const items = data?.items ?? [];
  return (
    <div className="field integration-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        disabled={loading && !data}
        onChange={(event) =>
          onChange(
            event.target.value,
            items.find((item) => item.id === event.target.value),
          )
        }
      >
        {(allowAll || !value) && (
          <option value="">{allowAll ? 'All integrations' : loading ? 'Loading…' : 'Choose an integration'}</option>
        )}
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name} ({item.provider})
          </option>
        ))}
      </select>
      <ErrorBanner error={error} onRetry={reload} title="Integrations could not be loaded" />
    </div>
  );
}
