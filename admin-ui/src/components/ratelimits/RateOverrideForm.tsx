/**
 * A rate-limit override of one integration as a form: the integration's request rate (limit per window, burst)
 * and its concurrency, starting from the override in force or, without one, the provider's real defaults
 * (GET rate-limits/defaults). Saved with PUT …/rate-limits, keeping the override's other parts (tenant,
 * operations); the API's 400 names the field (`integration.limit`) and it shows next to the input.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type {
  LimitOverrideView,
  RateLimitDefaultsResponse,
  RateLimitOverrideResponse,
} from '../../../../shared/admin/contracts/operations';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { ErrorBanner } from '../ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../FieldError';
import { ActionMessages } from '../ops/ActionMessages';
import { useAction } from '../ops/useAction';

interface Draft {
  limit: string;
  windowMs: string;
  burst: string;
  concurrency: string;
  leaseMs: string;
}

function draftFrom(
  override: LimitOverrideView | null,
  defaults: RateLimitDefaultsResponse['providers'][string],
): Draft {
  const rate = override?.integration ?? defaults.integration;
  const concurrency = override?.concurrency ?? defaults.concurrency;
  return {
    limit: String(rate.limit),
    windowMs: String(rate.windowMs),
    burst: rate.burst !== undefined ? String(rate.burst) : '',
    concurrency: concurrency ? String(concurrency.limit) : '',
    leaseMs: concurrency ? String(concurrency.leaseMs) : '',
  };
}

/** Numbers as typed; what is not a number goes as text, so the API names it. */
const numberOr = (text: string): number | string =>
  text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

export function RateOverrideForm({
  path,
  provider,
  onChanged,
}: {
  path: string;
  provider: string | undefined;
  onChanged?(): void;
}) {
  const current = useResource<RateLimitOverrideResponse>(path);
  const defaults = useResource<RateLimitDefaultsResponse>('rate-limits/defaults');
  const providerDefaults = provider ? defaults.data?.providers[provider] : undefined;
  const action = useAction();
  const [draft, setDraft] = useState<Draft>();
  const loaded = current.data;

  useEffect(() => {
    if (loaded && providerDefaults) setDraft(draftFrom(loaded.override, providerDefaults));
  }, [loaded, providerDefaults]);

  if (!draft || !loaded || !providerDefaults)
    return (
      <div className="card">
        <h2>Override form</h2>
        <ErrorBanner error={current.error ?? defaults.error} title="The override could not be loaded" />
      </div>
    );

  const set = (key: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft((now) => ({ ...now!, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {
      ...(loaded.override ?? {}),
      integration: {
        kind: 'rate',
        limit: numberOr(draft.limit),
        windowMs: numberOr(draft.windowMs),
        ...(draft.burst.trim() ? { burst: numberOr(draft.burst) } : {}),
      },
    };
    if (draft.concurrency.trim())
      body.concurrency = { kind: 'concurrency', limit: numberOr(draft.concurrency), leaseMs: numberOr(draft.leaseMs) };
    else delete body.concurrency;
    void action.run('save', async () => {
      await api.send('PUT', path, body);
      current.reload();
      onChanged?.();
      return 'Override saved; new calls use it at once.';
    });
  };
  const reset = () => setDraft(draftFrom(null, providerDefaults));
  const err = (field: string) => errorFor(action.error, field);
  const input = (id: string, key: keyof Draft, field: string, label: string, hint: string) => (
    <div className="field">
      <label htmlFor={id}>
        {label} <span className="hint">{hint}</span>
      </label>
      <input id={id} inputMode="numeric" value={draft[key]} onChange={set(key)} {...invalidProps(err(field), id)} />
      <FieldError id={id} message={err(field)} />
    </div>
  );
  const named = ['integration', 'concurrency'].some((field) => err(field));
  return (
    <form className="card" onSubmit={submit} aria-labelledby="rate-form-title" noValidate>
      <h2 id="rate-form-title">Integration limits</h2>
      <p className="muted">
        {loaded.override
          ? 'An override is in force; the fields show it.'
          : `No override: the fields show ${provider}’s defaults.`}
      </p>
      {input('rate-limit', 'limit', 'integration.limit', 'Requests', 'per window')}
      {input('rate-window', 'windowMs', 'integration.windowMs', 'Window (ms)', 'e.g. 1000 for per second')}
      {input('rate-burst', 'burst', 'integration.burst', 'Burst', 'requests allowed at once; empty: the limit')}
      {input(
        'rate-concurrency',
        'concurrency',
        'concurrency.limit',
        'Concurrent requests',
        'empty: no concurrency level',
      )}
      {draft.concurrency.trim() !== '' &&
        input(
          'rate-lease',
          'leaseMs',
          'concurrency.leaseMs',
          'Lease (ms)',
          'a request’s slot is freed after this at the latest',
        )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy !== undefined}>
          {action.busy ? 'Saving…' : 'Save limits'}
        </button>
        <button type="button" onClick={reset}>
          Start from the defaults
        </button>
      </div>
      <ActionMessages action={{ notice: action.notice, error: named ? undefined : action.error }} />
    </form>
  );
}
