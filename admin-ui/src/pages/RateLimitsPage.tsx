/**
 * Rate limits of one integration: every level it is checked against (tenant, integration, operation, provider
 * app, concurrency) with the usage now (polled), the provider defaults, and the tenant's and the
 * integration's overrides to edit.
 */
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { RateLimitDefaultsResponse, RateLimitUsageResponse } from '../../../shared/admin/contracts/operations';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { OverrideEditor } from '../components/ops/OverrideEditor';
import { describeRule, UsageTable } from '../components/ops/UsageTable';
import { StatusBadge } from '../components/StatusBadge';
import { RateOverrideForm } from '../components/ratelimits/RateOverrideForm';
import { ThrottleHistory } from '../components/ratelimits/ThrottleHistory';
import { useTenant } from '../state/session';

const USAGE_POLL_MS = 2000;

export default function RateLimitsPage() {
  const { tenantId } = useTenant();
  const [search, setSearch] = useSearchParams();
  const integrationId = search.get('integration') ?? undefined;
  const operations = search.getAll('operation');
  const [draft, setDraft] = useState('');
  // The form and the JSON editor show the same override: a save in one reloads the other.
  const [formSaves, setFormSaves] = useState(0);
  const [jsonSaves, setJsonSaves] = useState(0);
  const tenantBase = `tenants/${encodeURIComponent(tenantId)}`;
  const base = integrationId ? `${tenantBase}/integrations/${encodeURIComponent(integrationId)}` : undefined;
  const query = new URLSearchParams(operations.map((operation) => ['operation', operation]));
  const usage = useResource<RateLimitUsageResponse>(
    base ? `${base}/rate-limits/usage${operations.length ? `?${query.toString()}` : ''}` : null,
    { pollMs: USAGE_POLL_MS },
  );

  const setOperations = (next: string[]) => {
    const params = new URLSearchParams();
    if (integrationId) params.set('integration', integrationId);
    for (const operation of next) params.append('operation', operation);
    setSearch(params);
  };
  const addOperation = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.trim();
    if (name && !operations.includes(name)) setOperations([...operations, name]);
    setDraft('');
  };

  return (
    <section aria-labelledby="rate-limits-title">
      <div className="page-header">
        <h1 id="rate-limits-title">Rate limits</h1>
      </div>
      <div className="toolbar">
        <IntegrationPicker value={integrationId} onChange={(id) => setSearch(id ? { integration: id } : {})} />
      </div>
      {!base && <p className="card">Choose an integration to see its limits and their current usage.</p>}
      {base && (
        <div key={base}>
          <div className="card">
            <h2>Usage now</h2>
            <ErrorBanner error={usage.error} onRetry={usage.reload} title="Usage could not be loaded" />
            {usage.loading && !usage.data && <Loading label="Loading usage…" />}
            {usage.data && (
              <>
                <p>
                  Figures from{' '}
                  {usage.data.backend === 'redis'
                    ? 'the shared Redis limiter (all instances)'
                    : "this instance's local limiter"}{' '}
                  <StatusBadge status={usage.data.backend === 'redis' ? 'ok' : 'degraded'} label={usage.data.backend} />
                  . “In use” is the part of the burst already spoken for; it drains at the limit's rate. Refreshes every{' '}
                  {USAGE_POLL_MS / 1000} s.
                </p>
                <UsageTable levels={usage.data.levels} />
              </>
            )}
            <form onSubmit={addOperation} className="toolbar" aria-label="Show an operation's level">
              <div className="field">
                <label htmlFor="operation-name">
                  Operation{' '}
                  <span className="hint">
                    A provider operation, e.g. issues.list or chat.postMessage, to show its own level.
                  </span>
                </label>
                <input id="operation-name" value={draft} onChange={(event) => setDraft(event.target.value)} />
              </div>
              <button type="submit" disabled={!draft.trim()}>
                Show operation
              </button>
            </form>
            {operations.length > 0 && (
              <ul className="chip-list" aria-label="Operations shown">
                {operations.map((operation) => (
                  <li key={operation}>
                    {operation}
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Stop showing ${operation}`}
                      onClick={() => setOperations(operations.filter((other) => other !== operation))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <ThrottleHistory usage={usage.data} />
          <RateOverrideForm
            key={`form-${jsonSaves}`}
            path={`${base}/rate-limits`}
            provider={usage.data?.provider}
            onChanged={() => {
              usage.reload();
              setFormSaves((count) => count + 1);
            }}
          />
          <Defaults provider={usage.data?.provider} />
          <div className="two-columns">
            <OverrideEditor
              key={`json-${formSaves}`}
              path={`${base}/rate-limits`}
              scope="integration"
              title="Override for this integration"
              onChanged={() => {
                usage.reload();
                setJsonSaves((count) => count + 1);
              }}
            />
            <OverrideEditor
              path={`${tenantBase}/rate-limits`}
              scope="tenant"
              title={`Override for tenant ${tenantId}`}
              onChanged={usage.reload}
            />
          </div>
        </div>
      )}
    </section>
  );
}

function Defaults({ provider }: { provider: string | undefined }) {
  const defaults = useResource<RateLimitDefaultsResponse>('rate-limits/defaults');
  const limits = provider ? defaults.data?.providers[provider] : undefined;
  return (
    <details className="card">
      <summary>Defaults{provider ? ` for ${provider}` : ''}</summary>
      <ErrorBanner error={defaults.error} onRetry={defaults.reload} title="Defaults could not be loaded" />
      {defaults.data && limits && (
        <ul>
          <li>Tenant (all providers): {describeRule(defaults.data.tenant)}</li>
          <li>Integration: {describeRule(limits.integration)}</li>
          <li>Provider app: {describeRule(limits.app)}</li>
          {limits.concurrency && <li>Concurrency: {describeRule(limits.concurrency)}</li>}
          {limits.operations.map((rule, index) => (
            <li key={index}>
              Operations {rule.match.join(', ')} (
              {rule.keyBy === 'operation' ? 'one budget each' : `shared budget “${rule.keyBy.group}”`}):{' '}
              {describeRule(rule.rule)}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
