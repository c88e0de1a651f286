/**
 * Base URL and provider options of one integration, saved with one PATCH; the API's 400 names the field
 * (`baseUrl`, `providerOptions.repositories`) and the message shows next to it.
 */
import { useState, type FormEvent } from 'react';
import type { IntegrationView } from '../../../../shared/admin/contracts/integrations';
import { api, asApiError, type ApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';
import { fieldText, optionsFrom, PROVIDER_OPTION_FIELDS, type OptionField } from './provider-fields';

export function ProviderForm({
  integration,
  path,
  onSaved,
}: {
  integration: IntegrationView;
  path: string;
  onSaved(next: IntegrationView): void;
}) {
  const fields = PROVIDER_OPTION_FIELDS[integration.provider] ?? [];
  const [baseUrl, setBaseUrl] = useState(integration.baseUrl ?? '');
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((field) => [field.key, fieldText(field, integration.providerOptions[field.key])])),
  );
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    setSaving(true);
    try {
      const body: Record<string, unknown> = {
        providerOptions: optionsFrom(fields, texts, integration.providerOptions),
      };
      if (baseUrl.trim() && baseUrl.trim() !== integration.baseUrl) body.baseUrl = baseUrl.trim();
      onSaved(await api.send<IntegrationView>('PATCH', path, body));
      setSaved(true);
    } catch (thrown) {
      setError(asApiError(thrown));
    } finally {
      setSaving(false);
    }
  };

  const baseUrlError = errorFor(error, 'baseUrl');
  const fieldError = (field: OptionField) => errorFor(error, `providerOptions.${field.key}`);
  const shown = [baseUrlError, ...fields.map(fieldError)].some(Boolean);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="provider-form-title" noValidate>
      <h2 id="provider-form-title">Provider</h2>
      <div className="field">
        <label htmlFor="base-url">
          Base URL <span className="hint">The provider API’s address; empty: its public API.</span>
        </label>
        <input
          id="base-url"
          type="url"
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.target.value)}
          {...invalidProps(baseUrlError, 'base-url')}
        />
        <FieldError id="base-url" message={baseUrlError} />
      </div>
      {fields.map((field) => {
        const id = `option-${field.key}`;
        const message = fieldError(field);
        const value = texts[field.key] ?? '';
        const set = (next: string) => setTexts((current) => ({ ...current, [field.key]: next }));
        return (
          <div className="field" key={field.key}>
            {field.kind === 'boolean' ? (
              <label htmlFor={id}>
                <input
                  id={id}
                  type="checkbox"
                  checked={value === 'true'}
                  onChange={(event) => set(String(event.target.checked))}
                />{' '}
                {field.label} <span className="hint">{field.hint}</span>
              </label>
            ) : (
              <label htmlFor={id}>
                {field.label} <span className="hint">{field.hint}</span>
              </label>
            )}
            {field.kind === 'list' && (
              <textarea
                id={id}
                rows={3}
                value={value}
                onChange={(e) => set(e.target.value)}
                {...invalidProps(message, id)}
              />
            )}
            {(field.kind === 'text' || field.kind === 'number') && (
              <input
                id={id}
                inputMode={field.kind === 'number' ? 'numeric' : undefined}
                value={value}
                onChange={(e) => set(e.target.value)}
                {...invalidProps(message, id)}
              />
            )}
            {field.kind === 'choice' && (
              <select id={id} value={value} onChange={(e) => set(e.target.value)} {...invalidProps(message, id)}>
                <option value="">(default)</option>
                {field.choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            )}
            <FieldError id={id} message={message} />
          </div>
        );
      })}
      {error && !shown && <ErrorBanner error={error} title="Not saved" />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save provider settings'}
        </button>
        {saved && (
          <span role="status" className="notice">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
