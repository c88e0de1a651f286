/** A record's history: which run or person changed which fields, newest first (field names, never values). */
import { Link } from 'react-router';
import type { ShardHistoryItem } from '../../../../shared/admin/contracts/records';
import { relativeTime } from '../../format';

const SOURCE_LABELS: Record<ShardHistoryItem['source'], string> = {
  provider: 'sync from the provider',
  admin: 'local edit',
  conflict: 'conflict resolved',
  outbound: 'push to the provider',
};

export function RecordHistory({
  items,
  integrationName,
}: {
  items: ShardHistoryItem[];
  integrationName(integrationId: string): string;
}) {
  if (items.length === 0) return <p className="muted">No change recorded within the retention period.</p>;
  return (
    <div className="table-wrap">
      <table className="stack record-history">
        <caption className="visually-hidden">Changes to this record, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Change</th>
            <th scope="col">By</th>
            <th scope="col">Fields</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            <tr key={`${item.at}:${index}`} data-source={item.source}>
              <td data-label="When">
                <time dateTime={item.at} title={item.at}>
                  {relativeTime(item.at)}
                </time>
              </td>
              <td data-label="Change">{SOURCE_LABELS[item.source]}</td>
              <td data-label="By">
                {item.runId && item.integrationId ? (
                  <Link
                    to={`/integrations/${encodeURIComponent(item.integrationId)}/runs/${encodeURIComponent(item.runId)}`}
                  >
                    run {item.runId}
                  </Link>
                ) : (
                  (item.actor ?? (item.integrationId ? integrationName(item.integrationId) : ''))
                )}
              </td>
              <td data-label="Fields">{item.changedFields.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
