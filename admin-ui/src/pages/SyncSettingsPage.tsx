/**
 * Sync settings of one integration: schedule, entities, direction, dedup and conflict strategies, per-field
 * conflict overrides, per-entity dedup rules, and the field-mapping editor with a live preview, one entity at a time.
 */
import { useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { providerLabel } from '../providers';
import { useTenant } from '../state/session';
import { ConflictOverridesForm } from './settings/ConflictOverridesForm';
import { DedupRulesForm } from './settings/DedupRulesForm';
import { GeneralSettingsForm } from './settings/GeneralSettingsForm';
import { MappingEditor } from './settings/MappingEditor';

export default function SyncSettingsPage() {
  const { integrationId = '' } = useParams();
  const { tenantId } = useTenant();
  const path = `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}`;
  const { data, error, loading, reload } = useResource<IntegrationView>(path);
  // Saved answers replace the loaded document, so every form sees the stored state without a refetch.
  const [saved, setSaved] = useState<IntegrationView>();
  const integration = saved && saved.id === data?.id ? saved : data;

  return (
    <section aria-labelledby="settings-title">
      <p>
        <Link to="/integrations">← Integrations</Link>
        {' · '}
        <Link to={`/integrations/${encodeURIComponent(integrationId)}/connection`}>
          Connection (base URL, provider options, credential, webhook verification)
        </Link>
      </p>
      <div className="page-header">
        <h1 id="settings-title">{integration ? `${integration.name}: settings` : 'Integration settings'}</h1>
        {integration && (
          <>
            <span className="muted">{providerLabel(integration.provider)}</span>
            <StatusBadge status={integration.status} />
          </>
        )}
      </div>
      <ErrorBanner error={error} onRetry={reload} title="The integration could not be loaded" />
      {loading && !integration && <Loading label="Loading settings…" />}
      {integration && (
        <>
          <GeneralSettingsForm integration={integration} path={path} onSaved={setSaved} />
          <ConflictOverridesForm integration={integration} path={path} onSaved={setSaved} />
          <MappingSection integration={integration} path={path} />
          <DedupRulesForm integration={integration} path={path} onSaved={setSaved} />
        </>
      )}
    </section>
  );
}

function MappingSection({ integration, path }: { integration: IntegrationView; path: string }) {
  const [chosen, setChosen] = useState(integration.entities[0]);
  const entity = chosen && integration.entities.includes(chosen) ? chosen : integration.entities[0];

  // Arrow keys move between tabs, as in the WAI-ARIA tabs pattern.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = integration.entities.indexOf(entity ?? '');
    const next =
      integration.entities[
        (index + (event.key === 'ArrowRight' ? 1 : -1) + integration.entities.length) % integration.entities.length
      ];
    if (next) {
      setChosen(next);
      event.currentTarget.querySelector<HTMLButtonElement>(`[data-entity="${CSS.escape(next)}"]`)?.focus();
    }
  };

  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">Field mappings</h2>
      <div className="tabs" role="tablist" aria-label="Entity" onKeyDown={onKeyDown}>
        {integration.entities.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`tab-${name}`}
            data-entity={name}
            aria-selected={name === entity}
            aria-controls="mapping-panel"
            tabIndex={name === entity ? 0 : -1}
            onClick={() => setChosen(name)}
          >
            {name}
          </button>
        ))}
      </div>
      {entity && (
        <div role="tabpanel" id="mapping-panel" aria-labelledby={`tab-${entity}`}>
          <MappingEditor key={entity} integration={integration} entity={entity} path={path} />
        </div>
      )}
    </section>
  );
}
