/**
 * Per-field conflict overrides: a table of field, strategy and (for `custom`) the rule, saved as the
 * integration's conflictPolicy with one PATCH. The policy's default stays the strategy chosen in the sync
 * settings above (the API keeps the two in step); an API error naming a row's field shows on that row.
 */
import { useState, type FormEvent } from 'react';
import type {
  ConflictPolicyView,
  ConflictStrategyName,
  ConflictStrategyView,
  IntegrationView,
} from '../../../../shared/admin/contracts/integrations';
import { api, asApiError, type ApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';
import { CONFLICT_STRATEGIES } from './GeneralSettingsForm';

interface OverrideRow {
  /** Stable React key: rows are added and removed in place. */
  key: number;
  field: string;
  kind: ConflictStrategyName;
  rule: string;
  /** field_merge's priority as stored, kept when the row is not changed. */
  priority?: Extract<ConflictStrategyView, { kind: 'field_merge' }>['priority'];
}

let nextKey = 0;

function rowsOf(policy: ConflictPolicyView | undefined): OverrideRow[] {
  return Object.entries(policy?.fields ?? {}).map(([field, strategy]) => ({
    key: nextKey++,
    field,
    kind: strategy.kind,
    rule: strategy.kind === 'custom' ? strategy.rule : '',
    ...(strategy.kind === 'field_merge' ? { priority: strategy.priority } : {}),
  }));
}

function strategyOf(row: OverrideRow): ConflictStrategyView {
  if (row.kind === 'custom') return { kind: 'custom', rule: row.rule };
  // Field by field, overlapping changes go to the provider unless a stored priority says otherwise.
  if (row.kind === 'field_merge') return { kind: 'field_merge', priority: row.priority ?? 'source' };
  return { kind: row.kind };
}

/** The policy's default: the stored one, else what the one-word conflictStrategy stands for. */
function defaultOf(integration: IntegrationView): ConflictStrategyView {
  if (integration.conflictPolicy) return integration.conflictPolicy.default;
  const kind = integration.conflictStrategy;
  if (kind === 'field_merge') return { kind, priority: 'source' };
  if (kind === 'custom') return { kind, rule: '' };
  return { kind };
}

const label = (kind: ConflictStrategyName) =>
  CONFLICT_STRATEGIES.find((option) => option.value === kind)?.label ?? kind;

export function ConflictOverridesForm({
  integration,
  path,
  onSaved,
}: {
  integration: IntegrationView;
  path: string;
  onSaved(next: IntegrationView): void;
}) {
  const [rows, setRows] = useState<OverrideRow[]>(() => rowsOf(integration.conflictPolicy));
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  const change = (key: number, next: Partial<OverrideRow>) =>
    setRows((current) =>
      current.map((row) =>
        row.key === key ? { ...row, ...next, ...(next.kind ? { priority: undefined } : {}) } : row,
      ),
    );
  const add = () => setRows((current) => [...current, { key: nextKey++, field: '', kind: 'target_wins', rule: '' }]);
  const remove = (key: number) => setRows((current) => current.filter((row) => row.key !== key));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    const fields: Record<string, ConflictStrategyView> = {};
    for (const row of rows) fields[row.field.trim()] = strategyOf(row);
    setSaving(true);
    try {
      const next = await api.send<IntegrationView>('PATCH', path, {
        conflictPolicy: { default: defaultOf(integration), ...(rows.length ? { fields } : {}) },
      });
      setRows(rowsOf(next.conflictPolicy));
      setSaved(true);
      onSaved(next);
    } catch (thrown) {
      setError(asApiError(thrown));
    } finally {
      setSaving(false);
    }
  };

  const rowMessage = (row: OverrideRow) =>
    row.field.trim() ? errorFor(error, `conflictPolicy.fields.${row.field.trim()}`) : undefined;
  const placed = rows.some((row) => rowMessage(row));

  return (
    <form className="card" onSubmit={submit} aria-labelledby="overrides-title" noValidate>
      <h2 id="overrides-title">Conflict overrides per field</h2>
      <p className="muted">
        Fields changed on both sides follow <strong>{label(integration.conflictStrategy)}</strong> (the conflict
        strategy above) unless a row here names them. A field path also covers the fields under it (“address” covers
        “address.city”). A custom rule is a JSONata expression over <code>base</code>, <code>local</code> and{' '}
        <code>remote</code> that returns the value to keep.
      </p>
      {!placed && <ErrorBanner error={error} title="Overrides not saved" />}
      {saved && (
        <p className="notice" role="status">
          Overrides saved.
        </p>
      )}
      {rows.length === 0 ? (
        <p>No overrides: every field follows the conflict strategy.</p>
      ) : (
        <div className="table-wrap">
          <table className="overrides-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Strategy</th>
                <th scope="col">Custom rule</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const id = `override-${row.key}`;
                const message = rowMessage(row);
                const name = row.field.trim() || `row ${index + 1}`;
                return (
                  <tr key={row.key}>
                    <td>
                      <input
                        aria-label={`Field of override ${index + 1}`}
                        value={row.field}
                        placeholder="e.g. title"
                        onChange={(event) => change(row.key, { field: event.target.value })}
                        {...invalidProps(message, id)}
                      />
                      <FieldError id={id} message={message} />
                    </td>
                    <td>
                      <select
                        aria-label={`Strategy for ${name}`}
                        value={row.kind}
                        onChange={(event) => change(row.key, { kind: event.target.value as ConflictStrategyName })}
                      >
                        {CONFLICT_STRATEGIES.map((option) => (
                          <option key={option.value} value={option.value}>
                            {option.label}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {row.kind === 'custom' && (
                        <input
                          aria-label={`Custom rule for ${name}`}
                          value={row.rule}
                          placeholder="$max([local, remote])"
                          onChange={(event) => change(row.key, { rule: event.target.value })}
                        />
                      )}
                    </td>
                    <td>
                      <button type="button" onClick={() => remove(row.key)}>
                        Remove<span className="visually-hidden"> override for {name}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button type="button" onClick={add}>
          Add override
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save overrides'}
        </button>
      </div>
    </form>
  );
}
