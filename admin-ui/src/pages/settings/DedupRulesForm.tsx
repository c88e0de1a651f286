/**
 * Per-entity dedup rules (natural key / fuzzy match) as JSON, one entity at a time, saved with PATCH
 * {dedup: {entity: [...]}}. The shapes are those of shared/dedup/config.ts; the API names a bad field.
 */
import { useState, type FormEvent } from 'react';
import type { IntegrationView } from '../../../../shared/admin/contracts/integrations';
import { api, ApiError, asApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';

const EXAMPLE =
  '[\n  { "kind": "external_id" },\n  { "kind": "natural_key", "name": "email", "parts": [{ "field": "email", "normalise": { "kind": "email" } }] }\n]';

export function DedupRulesForm({
  integration,
  path,
  onSaved,
}: {
  integration: IntegrationView;
  path: string;
  onSaved(next: IntegrationView): void;
}) {
  const [entity, setEntity] = useState(integration.entities[0] ?? '');
  const current = integration.dedup?.[entity];
  const [text, setText] = useState(current ? JSON.stringify(current, null, 2) : '');
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);

  const choose = (next: string) => {
    setEntity(next);
    const rules = integration.dedup?.[next];
    setText(rules ? JSON.stringify(rules, null, 2) : '');
    setError(undefined);
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    let rules: unknown;
    try {
      rules = text.trim() ? JSON.parse(text) : [];
    } catch {
      setError(new ApiError(400, 'bad_request', 'not valid JSON: give a list of strategies', `dedup.${entity}`));
      return;
    }
    try {
      const next = await api.send<IntegrationView>('PATCH', path, { dedup: { ...integration.dedup, [entity]: rules } });
      setSaved(true);
      onSaved(next);
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  };

  const message = errorFor(error, `dedup.${entity}`) ?? errorFor(error, 'dedup');
  return (
    <form className="card" onSubmit={submit} aria-labelledby="dedup-title" noValidate>
      <h2 id="dedup-title">Dedup rules per entity</h2>
      <p className="muted">
        Ordered strategies for matching records across this tenant&apos;s integrations. Empty: external id and content
        hash only.
      </p>
      {!message && <ErrorBanner error={error} title="Not saved" />}
      {saved && (
        <p className="notice" role="status">
          Dedup rules saved.
        </p>
      )}
      <div className="field">
        <label htmlFor="dedup-entity">Entity</label>
        <select id="dedup-entity" value={entity} onChange={(event) => choose(event.target.value)}>
          {integration.entities.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="dedup-rules">
          Strategies (JSON list){' '}
          <span className="hint">
            kinds: external_id, content_hash, natural_key, fuzzy (the placeholder shows an example)
          </span>
        </label>
        <textarea
          id="dedup-rules"
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={6}
          placeholder={EXAMPLE}
          {...invalidProps(message, 'dedup-rules')}
        />
        <FieldError id="dedup-rules" message={message} />
      </div>
      <div className="form-actions">
        <button type="submit">Save dedup rules</button>
      </div>
    </form>
  );
}
