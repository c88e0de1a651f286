/**
 * Conflicts inbox: records whose fields were held for a person. Each shows base, local and remote values side
 * by side; resolve one by choosing a side or typing a value per field, or select several and give them all
 * one side at once (bulk).
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type {
  BulkResolveResponse,
  ConflictChoice,
  ConflictListResponse,
  ConflictView,
  ResolveConflictResponse,
} from '../../../shared/admin/contracts/operations';
import { api } from '../api/client';
import { useResource } from '../api/hooks';
import { useIntegrationNames } from '../api/useIntegrationNames';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { ActionMessages } from '../components/ops/ActionMessages';
import { ConflictCard } from '../components/ops/ConflictCard';
import { useAction } from '../components/ops/useAction';
import { useTenant } from '../state/session';

export default function ConflictsPage() {
  const { tenantId } = useTenant();
  // The Integrations page links here with ?integration=<id> (its open conflicts count).
  const [searchParams] = useSearchParams();
  const [integrationId, setIntegrationId] = useState(() => searchParams.get('integration') ?? '');
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkSide, setBulkSide] = useState<'local' | 'remote'>();
  const action = useAction();
  const integrationName = useIntegrationNames();
  const base = `tenants/${encodeURIComponent(tenantId)}/conflicts`;
  const query = new URLSearchParams({ status, ...(integrationId ? { integrationId } : {}) });
  const list = useResource<ConflictListResponse>(`${base}?${query.toString()}`, { pollMs: 10_000 });
  const items = list.data?.items ?? [];
  const openIds = items.filter((item) => item.status === 'open').map((item) => item.id);
  const chosen = openIds.filter((id) => selected.has(id));

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const resolveOne = (conflict: ConflictView, choices: Record<string, ConflictChoice>) =>
    action.run(conflict.id, async () => {
      const answer = await api.send<ResolveConflictResponse>(
        'POST',
        `${base}/${encodeURIComponent(conflict.id)}/resolve`,
        { choices },
      );
      toggle(conflict.id, false);
      list.reload();
      // Say what really happens: pushed by the outbound sync, or kept locally (an inbound-only integration).
      const outcome = answer.pushed
        ? '; the chosen values will be pushed to the provider'
        : answer.reason
          ? `; not pushed: ${answer.reason}`
          : '';
      return `${conflict.entity} ${conflict.externalId} resolved${outcome}.`;
    });

  const resolveBulk = (take: 'local' | 'remote') =>
    action.run('bulk', async () => {
      const answer = await api.send<BulkResolveResponse>('POST', `${base}/resolve`, { ids: chosen, take });
      setBulkSide(undefined);
      setSelected(new Set());
      list.reload();
      const failed = answer.failed.map((entry) => `${entry.id}: ${entry.error.message}`).join('; ');
      return `${answer.resolved.length} conflict(s) resolved with the ${take} values.${failed ? ` Not resolved: ${failed}` : ''}`;
    });

  return (
    <section aria-labelledby="conflicts-title">
      <div className="page-header">
        <h1 id="conflicts-title">Conflicts</h1>
      </div>
      <div className="toolbar">
        <IntegrationPicker value={integrationId} allowAll onChange={(id) => setIntegrationId(id)} />
        <div className="field">
          <label htmlFor="conflict-status">Show</label>
          <select
            id="conflict-status"
            value={status}
            onChange={(event) => setStatus(event.target.value as 'open' | 'resolved')}
          >
            <option value="open">Open conflicts</option>
            <option value="resolved">Resolved conflicts</option>
          </select>
        </div>
      </div>
      <ActionMessages action={action} errorTitle="The conflict could not be resolved" />
      <ErrorBanner error={list.error} onRetry={list.reload} title="Conflicts could not be loaded" />
      {list.loading && !list.data && <Loading label="Loading conflicts…" />}
      {list.data && items.length === 0 && (
        <p className="card">
          {status === 'open' ? 'No open conflicts. Nothing waits for a decision.' : 'No resolved conflicts yet.'}
        </p>
      )}
      {openIds.length > 0 && (
        <div className="card bulk-bar" role="group" aria-label="Bulk resolve">
          <label className="inline-check">
            <input
              type="checkbox"
              checked={chosen.length === openIds.length}
              onChange={(event) => setSelected(new Set(event.target.checked ? openIds : []))}
            />{' '}
            Select all ({openIds.length})
          </label>
          <span aria-live="polite">{chosen.length} selected</span>
          <button
            type="button"
            disabled={chosen.length === 0 || action.busy !== undefined}
            onClick={() => setBulkSide('local')}
          >
            Keep local for selected
          </button>
          <button
            type="button"
            disabled={chosen.length === 0 || action.busy !== undefined}
            onClick={() => setBulkSide('remote')}
          >
            Take remote for selected
          </button>
        </div>
      )}
      {items.map((conflict) => (
        <ConflictCard
          key={`${conflict.id}:${conflict.status}`}
          conflict={conflict}
          integrationName={integrationName(conflict.integrationId)}
          selected={selected.has(conflict.id)}
          onSelect={(on) => toggle(conflict.id, on)}
          busy={action.busy === conflict.id}
          onResolve={(choices) => void resolveOne(conflict, choices)}
        />
      ))}
      <ConfirmDialog
        open={bulkSide !== undefined}
        title={`Resolve ${chosen.length} conflict(s) with the ${bulkSide ?? ''} values?`}
        confirmLabel={bulkSide === 'remote' ? 'Take remote' : 'Keep local'}
        busy={action.busy === 'bulk'}
        onCancel={() => setBulkSide(undefined)}
        onConfirm={() => bulkSide && void resolveBulk(bulkSide)}
      >
        <p>
          Every held field of each selected record takes the {bulkSide === 'remote' ? "provider's" : "shard's"} value.
        </p>
      </ConfirmDialog>
    </section>
  );
}
