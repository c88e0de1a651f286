/**
 * Edits one rate-limit override (the tenant's, or one integration's) as JSON: the API validates it and names
 * the bad field, which is shown under the editor. Remove deletes the override so the defaults apply again.
 */
import { useEffect, useId, useState } from 'react';
import type { RateLimitOverrideResponse } from '../../../../shared/admin/contracts/operations';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { ActionMessages } from './ActionMessages';
import { useAction } from './useAction';

const TEMPLATES = {
  tenant: { tenant: { kind: 'rate', limit: 50, windowMs: 1000, burst: 100 } },
  integration: { integration: { kind: 'rate', limit: 10, windowMs: 1000, burst: 20 } },
};

export function OverrideEditor({
  path,
  scope,
  title,
  onChanged,
}: {
  path: string;
  scope: 'tenant' | 'integration';
  title: string;
  onChanged?(): void;
}) {
  const id = useId();
  const current = useResource<RateLimitOverrideResponse>(path);
  const action = useAction();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string>();
  const loaded = current.data;

  useEffect(() => {
    if (loaded) setText(JSON.stringify(loaded.override ?? TEMPLATES[scope], null, 2));
  }, [loaded, scope]);

  const save = () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
      setParseError(undefined);
    } catch (error) {
      setParseError(`Not valid JSON: ${(error as Error).message}`);
      return;
    }
    void action.run('save', async () => {
      await api.send('PUT', path, body);
      current.reload();
      onChanged?.();
      return `${title} saved; new calls use it at once.`;
    });
  };

  const remove = () =>
    action.run('remove', async () => {
      await api.send('DELETE', path);
      current.reload();
      onChanged?.();
      return `${title} removed; the defaults apply again.`;
    });

  const problem =
    parseError ??
    (action.error ? `${action.error.target ? `${action.error.target}: ` : ''}${action.error.message}` : undefined);
  return (
    <div className="card">
      <h2 id={`${id}-title`}>{title}</h2>
      <ErrorBanner error={current.error} onRetry={current.reload} title="The override could not be loaded" />
      {current.loading && !loaded && <Loading label="Loading the override…" />}
      {loaded && (
        <>
          <p className="muted">
            {loaded.override
              ? 'An override is in force.'
              : 'No override: the defaults apply. The text below is a starting point.'}
          </p>
          <div className="field">
            <label htmlFor={`${id}-json`}>
              Override (JSON){' '}
              <span className="hint">
                Keys: tenant, integration, operations (glob → rule), concurrency. A rule is{' '}
                {'{"kind": "rate", "limit", "windowMs", "burst"}'} or {'{"kind": "concurrency", "limit", "leaseMs"}'}.
              </span>
            </label>
            <textarea
              id={`${id}-json`}
              value={text}
              onChange={(event) => setText(event.target.value)}
              spellCheck={false}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-error` : undefined}
            />
            {problem && (
              <p id={`${id}-error`} className="field-error" role="alert">
                {problem}
              </p>
            )}
          </div>
          <div className="form-actions">
            <button type="button" className="primary" onClick={save} disabled={action.busy !== undefined}>
              {action.busy === 'save' ? 'Saving…' : 'Save override'}
            </button>
            <button
              type="button"
              onClick={() => void remove()}
              disabled={action.busy !== undefined || !loaded.override}
            >
              {action.busy === 'remove' ? 'Removing…' : 'Remove override'}
            </button>
          </div>
          <ActionMessages action={{ notice: action.notice, error: undefined }} />
        </>
      )}
    </div>
  );
}
