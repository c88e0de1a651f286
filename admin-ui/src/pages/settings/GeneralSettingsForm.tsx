/**
 * An integration's sync settings: schedule, entities, direction, dedup and conflict strategies. Saved with one
 * PATCH; the API's validation error shows next to the field it names.
 */
import { useState, type FormEvent } from 'react';
import type {
  ConflictStrategyName,
  DedupStrategyName,
  Direction,
  IntegrationView,
  PatchIntegrationRequest,
} from '../../../../shared/admin/contracts/integrations';
import { api, asApiError, type ApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';
import { PROVIDERS } from '../../providers';

const DEDUP: Array<{ value: DedupStrategyName; label: string }> = [
  { value: 'external_id', label: 'External id (the provider’s record id)' },
  { value: 'content_hash', label: 'Content hash (identical content is one record)' },
  { value: 'natural_key', label: 'Natural key (per-entity key fields, below)' },
  { value: 'fuzzy', label: 'Fuzzy match (per-entity rules, below)' },
];

export const CONFLICT_STRATEGIES: Array<{ value: ConflictStrategyName; label: string }> = [
  { value: 'source_wins', label: 'Provider wins' },
  { value: 'target_wins', label: 'Local shard wins' },
  { value: 'latest_wins', label: 'Latest change wins' },
  { value: 'field_merge', label: 'Merge field by field' },
  { value: 'manual', label: 'Ask me (conflicts inbox)' },
  { value: 'custom', label: 'Custom rule' },
];

export function GeneralSettingsForm({
  integration,
  path,
  onSaved,
}: {
  integration: IntegrationView;
  path: string;
  onSaved(next: IntegrationView): void;
}) {
  const [interval, setIntervalMinutes] = useState(String(integration.schedule.intervalMinutes));
  const [entities, setEntities] = useState<string[]>(integration.entities);
  const [extra, setExtra] = useState('');
  const [direction, setDirection] = useState<Direction>(integration.direction);
  const [dedupStrategy, setDedup] = useState<DedupStrategyName>(integration.dedupStrategy);
  const [conflictStrategy, setConflict] = useState<ConflictStrategyName>(integration.conflictStrategy);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const known = Array.from(
    new Set([...(PROVIDERS.find((p) => p.id === integration.provider)?.entities ?? []), ...integration.entities]),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    const patch: PatchIntegrationRequest = {
      schedule: { intervalMinutes: interval.trim() === '' ? Number.NaN : Number(interval) },
      entities: [
        ...entities,
        ...extra
          .split(',')
          .map((entity) => entity.trim())
          .filter(Boolean),
      ],
      direction,
      dedupStrategy,
      conflictStrategy,
    };
    setSaving(true);
    try {
      const next = await api.send<IntegrationView>('PATCH', path, patch);
      setExtra('');
      setEntities(next.entities);
      setSaved(true);
      onSaved(next);
    } catch (thrown) {
      setError(asApiError(thrown));
    } finally {
      setSaving(false);
    }
  };

  const message = (field: string) => errorFor(error, field);
  const placed = ['schedule', 'entities', 'direction', 'dedupStrategy', 'conflictStrategy'].some((field) =>
    message(field),
  );

  return (
    <form className="card" onSubmit={submit} aria-labelledby="general-title" noValidate>
      <h2 id="general-title">Sync settings</h2>
      {!placed && <ErrorBanner error={error} title="Not saved" />}
      {saved && (
        <p className="notice" role="status">
          Saved.
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="set-interval">
            Sync every (minutes) <span className="hint">1 to 10080</span>
          </label>
          <input
            id="set-interval"
            type="number"
            inputMode="numeric"
            min={1}
            max={10080}
            value={interval}
            onChange={(event) => setIntervalMinutes(event.target.value)}
            {...invalidProps(message('schedule'), 'set-interval')}
          />
          <FieldError id="set-interval" message={message('schedule')} />
        </div>
        <div className="field">
          <label htmlFor="set-direction">Direction</label>
          <select
            id="set-direction"
            value={direction}
            onChange={(event) => setDirection(event.target.value as Direction)}
            {...invalidProps(message('direction'), 'set-direction')}
          >
            <option value="inbound">Inbound (provider → shards)</option>
            <option value="outbound">Outbound (shards → provider)</option>
            <option value="bidirectional">Both ways</option>
          </select>
          <FieldError id="set-direction" message={message('direction')} />
        </div>
        <div className="field">
          <label htmlFor="set-dedup">Dedup strategy</label>
          <select
            id="set-dedup"
            value={dedupStrategy}
            onChange={(event) => setDedup(event.target.value as DedupStrategyName)}
            {...invalidProps(message('dedupStrategy'), 'set-dedup')}
          >
            {DEDUP.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <FieldError id="set-dedup" message={message('dedupStrategy')} />
        </div>
        <div className="field">
          <label htmlFor="set-conflict">Conflict strategy</label>
          <select
            id="set-conflict"
            value={conflictStrategy}
            onChange={(event) => setConflict(event.target.value as ConflictStrategyName)}
            {...invalidProps(message('conflictStrategy'), 'set-conflict')}
          >
            {CONFLICT_STRATEGIES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <FieldError id="set-conflict" message={message('conflictStrategy')} />
        </div>
      </div>
      <fieldset {...invalidProps(message('entities'), 'set-entities')}>
        <legend>Entities</legend>
        <div className="checkbox-row">
          {known.map((entity) => (
            <label key={entity}>
              <input
                type="checkbox"
                checked={entities.includes(entity)}
                onChange={(event) =>
                  setEntities(event.target.checked ? [...entities, entity] : entities.filter((e) => e !== entity))
                }
              />
              {entity}
            </label>
          ))}
        </div>
        <div className="field">
          <label htmlFor="set-extra-entities">
            Add entities <span className="hint">comma-separated</span>
          </label>
          <input id="set-extra-entities" value={extra} onChange={(event) => setExtra(event.target.value)} />
        </div>
        <FieldError id="set-entities" message={message('entities')} />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
