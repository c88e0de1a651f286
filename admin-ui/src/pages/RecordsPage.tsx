/**
 * Records: the shards of one integration (or all of the tenant's), by entity, searchable by external id or
 * title, a page at a time (the API's continuation token; "Previous" goes back through the tokens seen). Each
 * record links to its record page (data, links, history, conflicts, local edit).
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import type { ShardListResponse } from '../../../shared/admin/contracts/records';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { relativeTime } from '../format';
import { useTenant } from '../state/session';

const PAGE_SIZE = 25;

export default function RecordsPage() {
  const { tenantId } = useTenant();
  const [search, setSearch] = useSearchParams();
  const integrationId = search.get('integration') ?? '';
  const entity = search.get('entity') ?? '';
  const q = search.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const integration = useResource<IntegrationView>(
    integrationId ? `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}` : null,
  ).data;
  /** Tokens of the pages before the current one (the first page has none). */
  const [tokens, setTokens] = useState<string[]>([]);
  const token = tokens.at(-1);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setTokens([]);
    setSearch(next);
  };
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE),
    ...(integrationId ? { integrationId } : {}),
    ...(entity ? { entity } : {}),
    ...(q ? { q } : {}),
    ...(token ? { continuationToken: token } : {}),
  });
  const list = useResource<ShardListResponse>(`tenants/${encodeURIComponent(tenantId)}/shards?${query.toString()}`);
  const items = list.data?.items ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ q: draft.trim() });
  };

  return (
    <section aria-labelledby="records-title">
      <div className="page-header">
        <h1 id="records-title">Records{integration ? `: ${integration.name}` : ''}</h1>
      </div>
      <div className="toolbar">
        <IntegrationPicker value={integrationId} allowAll onChange={(id) => update({ integration: id, entity: '' })} />
        <EntityPicker entities={integration?.entities} value={entity} onChange={(value) => update({ entity: value })} />
        <form className="field record-search" role="search" aria-label="Records" onSubmit={submit}>
          <label htmlFor="record-q">Search</label>
          <input
            id="record-q"
            type="search"
            value={draft}
            placeholder="External id or title"
            maxLength={200}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit">Search</button>
        </form>
      </div>
      <p className="muted">
        Search matches a record’s external id (exactly) or its title: the first of the fields title, name, subject,
        summary, real_name, text or body that has text (any case).
      </p>
      <ErrorBanner error={list.error} onRetry={list.reload} title="Records could not be loaded" />
      {list.loading && !list.data && <Loading label="Loading records…" />}
      {list.data && items.length === 0 && (
        <p className="card">{q ? `No record matches “${q}”.` : 'No records yet. They appear after a sync.'}</p>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack">
            <caption className="visually-hidden">Records, by id</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Source</th>
                <th scope="col">Type</th>
                <th scope="col">Last written by</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const ref = item.externalRefs.find(
                  (candidate) => !integrationId || candidate.integrationId === integrationId,
                );
                return (
                  <tr key={item.id} data-shard-id={item.id}>
                    <td data-label="Title">
                      <Link to={`/records/${encodeURIComponent(item.id)}`}>{item.title ?? item.id}</Link>
                    </td>
                    <td data-label="Source">
                      {ref ? `${ref.entity} ${ref.externalId}` : <span className="muted">created here</span>}
                    </td>
                    <td data-label="Type">{item.shardType}</td>
                    <td data-label="Last written by">{item.lastWrittenBy === 'local' ? 'local edit' : 'sync'}</td>
                    <td data-label="Updated">
                      <time dateTime={item.updatedAt} title={item.updatedAt}>
                        {relativeTime(item.updatedAt)}
                      </time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions" role="group" aria-label="Pages">
        <button type="button" disabled={tokens.length === 0} onClick={() => setTokens((all) => all.slice(0, -1))}>
          Previous page
        </button>
        <span className="muted">Page {tokens.length + 1}</span>
        <button
          type="button"
          disabled={!list.data?.continuationToken}
          onClick={() => list.data?.continuationToken && setTokens((all) => [...all, list.data!.continuationToken!])}
        >
          Next page
        </button>
      </div>
    </section>
  );
}

/** The entities of the chosen integration (none chosen: no entity filter). */
function EntityPicker({
  entities,
  value,
  onChange,
}: {
  entities: string[] | undefined;
  value: string;
  onChange(entity: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor="record-entity">Entity</label>
      <select id="record-entity" value={value} disabled={!entities} onChange={(event) => onChange(event.target.value)}>
        <option value="">All entities</option>
        {(entities ?? []).map((entity) => (
          <option key={entity} value={entity}>
            {entity}
          </option>
        ))}
      </select>
    </div>
  );
}
