/**
 * One record (shard): its data, where it comes from and what it links to, its history (which run or person
 * changed which fields), its conflicts (resolvable here), and a local edit of a field. The edit is how an
 * operator makes a conflict without reading code: on an integration whose conflict strategy is manual, change a
 * field here, let the provider change the same field before the edit is pushed, and the next sync holds it.
 */
import { Link, useParams } from 'react-router';
import type { ListEnvelope } from '../../../shared/admin/contracts/common';
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import type { ConflictChoice, ConflictListResponse, ConflictView } from '../../../shared/admin/contracts/operations';
import type { ShardHistoryResponse } from '../../../shared/admin/contracts/records';
import type { Shard } from '../../../shared/core/shard';
import { shardTitle } from '../../../shared/core/shard-title';
import type { Stored } from '../../../shared/core/stored';
import { api } from '../api/client';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { ActionMessages } from '../components/ops/ActionMessages';
import { ConflictCard } from '../components/ops/ConflictCard';
import { useAction } from '../components/ops/useAction';
import { ValueView } from '../components/ops/ValueView';
import { RecordEditForm } from '../components/records/RecordEditForm';
import { RecordHistory } from '../components/records/RecordHistory';
import { relativeTime } from '../format';
import { useTenant } from '../state/session';

export default function RecordPage() {
  const { tenantId } = useTenant();
  const { shardId = '' } = useParams();
  const tenantPath = `tenants/${encodeURIComponent(tenantId)}`;
  const shardPath = `${tenantPath}/shards/${encodeURIComponent(shardId)}`;
  const shard = useResource<Stored<Shard>>(shardPath);
  const history = useResource<ShardHistoryResponse>(`${shardPath}/history`);
  const integrations = useResource<ListEnvelope<IntegrationView>>(`${tenantPath}/integrations`);
  const open = useResource<ConflictListResponse>(`${tenantPath}/conflicts?status=open`, { pollMs: 10_000 });
  const resolved = useResource<ConflictListResponse>(`${tenantPath}/conflicts?status=resolved`);
  const action = useAction();
  const byId = new Map((integrations.data?.items ?? []).map((item) => [item.id, item]));
  const nameOf = (id: string) => byId.get(id)?.name ?? id;
  const conflicts = [...(open.data?.items ?? []), ...(resolved.data?.items ?? [])].filter(
    (conflict) => conflict.shardId === shardId,
  );
  const reloadAll = () => {
    shard.reload();
    history.reload();
    open.reload();
    resolved.reload();
  };

  const save = (field: string, value: unknown) =>
    action.run('edit', async () => {
      // If-Match: an edit made on a copy someone else changed meanwhile is refused (412), not silently merged.
      await api.send('PATCH', shardPath, { data: { [field]: value } }, { 'if-match': shard.data!._etag });
      reloadAll();
      return `${field} changed locally.`;
    });
  const resolve = (conflict: ConflictView, choices: Record<string, ConflictChoice>) =>
    action.run(conflict.id, async () => {
      await api.send('POST', `${tenantPath}/conflicts/${encodeURIComponent(conflict.id)}/resolve`, { choices });
      reloadAll();
      return 'Conflict resolved.';
    });

  const data = shard.data?.data ?? {};
  const title = shard.data ? (shardTitle(data) ?? shard.data.id) : shardId;
  const sources = [...new Set((shard.data?.externalRefs ?? []).map((ref) => ref.integrationId))];
  if (shard.data?.targetIntegrationId) sources.push(shard.data.targetIntegrationId);

  return (
    <section aria-labelledby="record-title">
      <div className="page-header">
        <h1 id="record-title">{title}</h1>
        <Link to="/records">All records</Link>
      </div>
      <ErrorBanner error={shard.error} onRetry={shard.reload} title="The record could not be loaded" />
      {shard.loading && !shard.data && <Loading label="Loading the record…" />}
      {shard.data && (
        <>
          <p className="muted">
            {shard.data.shardType} · {shard.data.id} · {shard.data.deleted ? 'deleted · ' : ''}last written by{' '}
            {shard.data.lastWrittenBy === 'local' ? 'a local edit (to be pushed)' : 'a sync'}{' '}
            <time dateTime={shard.data.updatedAt}>{relativeTime(shard.data.updatedAt)}</time>
          </p>
          <ActionMessages action={action} errorTitle="That did not work" />

          <div className="card" aria-labelledby="record-data">
            <h2 id="record-data">Data</h2>
            <div className="table-wrap">
              <table className="stack record-data">
                <caption className="visually-hidden">Fields of this record</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(data).map(([field, value]) => (
                    <tr key={field} data-field={field}>
                      <th scope="row">{field}</th>
                      <td data-label="Value">
                        <ValueView value={value} present />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>

          <div className="card" aria-labelledby="record-edit">
            <h2 id="record-edit">Change a field locally</h2>
            <RecordEditForm fields={Object.keys(data)} busy={action.busy === 'edit'} onSave={save} />
            <h3>How a conflict arises</h3>
            <p>
              A local change is pushed to the provider by the outbound sync of a two-way integration (direction outbound
              or bidirectional). If the provider changes the same field before that push, the next sync from the
              provider sees two changes to one field. With the conflict strategy <strong>manual</strong> the field is
              held as a conflict, shown below and under Conflicts, until a person decides; other strategies decide by
              themselves (set it under the integration’s sync settings).
            </p>
            <ul>
              {sources.map((id) => (
                <li key={id}>
                  {nameOf(id)}: direction {byId.get(id)?.direction ?? '…'}, conflict strategy{' '}
                  {byId.get(id)?.conflictStrategy ?? '…'} (
                  <Link to={`/integrations/${encodeURIComponent(id)}/settings`}>sync settings</Link>)
                </li>
              ))}
            </ul>
          </div>

          <div className="card" aria-labelledby="record-links">
            <h2 id="record-links">Sources and links</h2>
            <ul>
              {shard.data.externalRefs.map((ref) => (
                <li key={`${ref.integrationId}:${ref.entity}:${ref.externalId}`}>
                  {nameOf(ref.integrationId)} ({ref.provider}): {ref.entity} {ref.externalId}
                </li>
              ))}
              {shard.data.externalRefs.length === 0 && <li>Created here; not yet created at a provider.</li>}
            </ul>
            {shard.data.links.length > 0 && (
              <ul aria-label="Links">
                {shard.data.links.map((link, index) => (
                  <li key={`${link.name}:${index}`}>
                    {link.name}:{' '}
                    {link.targetShardId ? (
                      <Link to={`/records/${encodeURIComponent(link.targetShardId)}`}>{link.targetShardId}</Link>
                    ) : (
                      <span className="muted">
                        waiting for {link.pending?.entity} {link.pending?.externalId}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="card" aria-labelledby="record-history">
            <h2 id="record-history">History</h2>
            <ErrorBanner error={history.error} onRetry={history.reload} title="The history could not be loaded" />
            {history.data && <RecordHistory items={history.data.items} integrationName={nameOf} />}
          </div>

          <div aria-labelledby="record-conflicts">
            <h2 id="record-conflicts">Conflicts</h2>
            {open.data && conflicts.length === 0 && <p className="card">No conflict for this record.</p>}
            {conflicts.map((conflict) => (
              <ConflictCard
                key={`${conflict.id}:${conflict.status}`}
                conflict={conflict}
                selected={false}
                onSelect={() => undefined}
                busy={action.busy === conflict.id}
                onResolve={(choices) => void resolve(conflict, choices)}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
