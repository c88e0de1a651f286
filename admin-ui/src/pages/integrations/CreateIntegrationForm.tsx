/**
 * The create form: name, provider, entities, direction, schedule, and the provider's connection settings
 * (API base URL, provider options). Errors from the API appear next to the field its `target` names. In a
 * tenant that already has an integration of the chosen provider, its connection settings are offered as a
 * starting point (the demo tenant's sandboxes, for instance).
 */
import { useState, type FormEvent } from 'react';
import type {
  CreateIntegrationRequest,
  Direction,
  IntegrationView,
  ProviderId,
} from '../../../../shared/admin/contracts/integrations';
import { api, ApiError, asApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';
import { PROVIDERS } from '../../providers';

interface Draft {
  name: string;
  provider: ProviderId;
  entities: string[];
  extraEntities: string;
  direction: Direction;
  intervalMinutes: string;
  baseUrl: string;
  providerOptions: string;
}

function draftFor(provider: ProviderId, existing: IntegrationView[], name = ''): Draft {
  const template = existing.find((integration) => integration.provider === provider);
  return {
    name,
    provider,
    entities: [...(PROVIDERS.find((p) => p.id === provider)?.entities ?? [])],
    extraEntities: '',
    direction: 'inbound',
    intervalMinutes: '60',
    baseUrl: template?.baseUrl ?? '',
    providerOptions:
      template && Object.keys(template.providerOptions).length
        ? JSON.stringify(template.providerOptions, null, 2)
        : '{}',
  };
}

export function CreateIntegrationForm({
  tenantId,
  existing,
  onCreated,
  onCancel,
}: {
  tenantId: string;
  existing: IntegrationView[];
  onCreated(created: IntegrationView): void;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftFor('github', existing));
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const template = existing.find((integration) => integration.provider === draft.provider);
  const suggested = PROVIDERS.find((p) => p.id === draft.provider)?.entities ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    let providerOptions: Record<string, unknown>;
    try {
      providerOptions = JSON.parse(draft.providerOptions || '{}') as Record<string, unknown>;
      if (typeof providerOptions !== 'object' || providerOptions === null || Array.isArray(providerOptions))
        throw new Error('not an object');
    } catch {
      setError(
        new ApiError(
          400,
          'bad_request',
          'provider options must be a JSON object, e.g. {"repositories": ["owner/repo"]}',
          'providerOptions',
        ),
      );
      return;
    }
    const entities = [
      ...draft.entities,
      ...draft.extraEntities
        .split(',')
        .map((entity) => entity.trim())
        .filter(Boolean),
    ];
    const interval = Number(draft.intervalMinutes);
    const body: CreateIntegrationRequest = {
      name: draft.name,
      provider: draft.provider,
      direction: draft.direction,
      providerOptions,
      ...(entities.length ? { entities } : {}),
      ...(draft.intervalMinutes.trim()
        ? { schedule: { intervalMinutes: Number.isFinite(interval) ? interval : Number.NaN } }
        : {}),
      ...(draft.baseUrl.trim() ? { baseUrl: draft.baseUrl.trim() } : {}),
    };
    setSaving(true);
    try {
      onCreated(await api.send<IntegrationView>('POST', `tenants/${encodeURIComponent(tenantId)}/integrations`, body));
    } catch (thrown) {
      setError(asApiError(thrown));
    } finally {
      setSaving(false);
    }
  };

  const fieldMessage = (field: string) => errorFor(error, field);
  const unplaced =
    error &&
    !['name', 'provider', 'entities', 'direction', 'schedule', 'baseUrl', 'providerOptions'].some((field) =>
      fieldMessage(field),
    )
      ? error
      : undefined;

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-title" noValidate>
      <h2 id="create-title">New integration</h2>
      <ErrorBanner error={unplaced} title="Not created" />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="new-name">Name</label>
          <input
            id="new-name"
            value={draft.name}
            onChange={(event) => set('name', event.target.value)}
            required
            {...invalidProps(fieldMessage('name'), 'new-name')}
          />
          <FieldError id="new-name" message={fieldMessage('name')} />
        </div>
        <div className="field">
          <label htmlFor="new-provider">Provider</label>
          <select
            id="new-provider"
            value={draft.provider}
            onChange={(event) => setDraft(draftFor(event.target.value as ProviderId, existing, draft.name))}
            {...invalidProps(fieldMessage('provider'), 'new-provider')}
          >
            {PROVIDERS.map((provider) => (
              <option key={provider.id} value={provider.id}>
                {provider.label}
              </option>
            ))}
          </select>
          <FieldError id="new-provider" message={fieldMessage('provider')} />
        </div>
        <div className="field">
          <label htmlFor="new-direction">Direction</label>
          <select
            id="new-direction"
            value={draft.direction}
            onChange={(event) => set('direction', event.target.value as Direction)}
            {...invalidProps(fieldMessage('direction'), 'new-direction')}
          >
            <option value="inbound">Inbound (provider → shards)</option>
            <option value="outbound">Outbound (shards → provider)</option>
            <option value="bidirectional">Both ways</option>
          </select>
          <FieldError id="new-direction" message={fieldMessage('direction')} />
        </div>
        <div className="field">
          <label htmlFor="new-interval">
            Sync every (minutes)
            <span className="hint">1 to 10080 (a week)</span>
          </label>
          <input
            id="new-interval"
            type="number"
            inputMode="numeric"
            min={1}
            max={10080}
            value={draft.intervalMinutes}
            onChange={(event) => set('intervalMinutes', event.target.value)}
            {...invalidProps(fieldMessage('schedule'), 'new-interval')}
          />
          <FieldError id="new-interval" message={fieldMessage('schedule')} />
        </div>
      </div>
      <fieldset {...invalidProps(fieldMessage('entities'), 'new-entities')}>
        <legend>Entities</legend>
        <div className="checkbox-row">
          {suggested.map((entity) => (
            <label key={entity}>
              <input
                type="checkbox"
                checked={draft.entities.includes(entity)}
                onChange={(event) =>
                  set(
                    'entities',
                    event.target.checked ? [...draft.entities, entity] : draft.entities.filter((e) => e !== entity),
                  )
                }
              />
              {entity}
            </label>
          ))}
        </div>
        <div className="field">
          <label htmlFor="new-extra-entities">
            Other entities <span className="hint">comma-separated, e.g. Lead, Case</span>
          </label>
          <input
            id="new-extra-entities"
            value={draft.extraEntities}
            onChange={(event) => set('extraEntities', event.target.value)}
          />
        </div>
        <FieldError id="new-entities" message={fieldMessage('entities')} />
      </fieldset>
      <details open={Boolean(template)}>
        <summary>Connection settings</summary>
        {template && (
          <p className="muted">Prefilled from “{template.name}”, which uses the same provider in this tenant.</p>
        )}
        <div className="field">
          <label htmlFor="new-base-url">
            API base URL <span className="hint">empty: the provider&apos;s public API</span>
          </label>
          <input
            id="new-base-url"
            type="url"
            value={draft.baseUrl}
            onChange={(event) => set('baseUrl', event.target.value)}
            placeholder="https://api.github.com"
            className="wide"
            {...invalidProps(fieldMessage('baseUrl'), 'new-base-url')}
          />
          <FieldError id="new-base-url" message={fieldMessage('baseUrl')} />
        </div>
        <div className="field">
          <label htmlFor="new-provider-options">
            Provider options (JSON) <span className="hint">repositories, channels, data source id, calendar id…</span>
          </label>
          <textarea
            id="new-provider-options"
            value={draft.providerOptions}
            onChange={(event) => set('providerOptions', event.target.value)}
            rows={4}
            {...invalidProps(fieldMessage('providerOptions'), 'new-provider-options')}
          />
          <FieldError id="new-provider-options" message={fieldMessage('providerOptions')} />
        </div>
      </details>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create integration'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
