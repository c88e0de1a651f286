/** Webhook endpoint health of one integration: received, accepted, rejected by reason, handling times, verdict. */
import type { EndpointHealthView } from '../../../../shared/admin/contracts/operations';
import { useResource } from '../../api/hooks';
import { relativeTime } from '../../format';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { Figures } from './Figures';

export function EndpointHealthFigures({ base }: { base: string }) {
  const health = useResource<EndpointHealthView>(`${base}/webhooks/health`, { pollMs: 10_000 });
  const data = health.data;
  return (
    <>
      <h2>Endpoint health (last 24 h)</h2>
      <ErrorBanner error={health.error} onRetry={health.reload} title="Endpoint health could not be loaded" />
      {health.loading && !data && <Loading label="Loading endpoint health…" />}
      {data && (
        <>
          <p>
            <StatusBadge status={data.status} label={data.status.replace('_', ' ')} />
            {data.problems.map((problem) => (
              <span key={problem} className="field-error">
                {' '}
                {problem}
              </span>
            ))}
          </p>
          <Figures
            label="Endpoint health figures"
            items={[
              { name: 'Received', value: data.received },
              { name: 'Accepted', value: data.accepted },
              { name: 'Rejected', value: data.rejected },
              { name: 'Duplicates', value: data.duplicates },
              { name: 'Handling p50', value: data.handlingMs.p50 === undefined ? '—' : `${data.handlingMs.p50} ms` },
              { name: 'Handling p99', value: data.handlingMs.p99 === undefined ? '—' : `${data.handlingMs.p99} ms` },
              { name: 'Last accepted', value: relativeTime(data.lastAcceptedAt) },
            ]}
          />
          {Object.keys(data.rejectedByReason).length > 0 && (
            <p>
              Rejected by reason:{' '}
              {Object.entries(data.rejectedByReason)
                .map(([reason, count]) => `${reason} ${count}`)
                .join(', ')}
            </p>
          )}
        </>
      )}
    </>
  );
}
