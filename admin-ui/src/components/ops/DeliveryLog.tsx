/** The webhook delivery log with verdicts; replay one accepted delivery, or every accepted one in a time range. */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type {
  DeliveryListResponse,
  ReplayRangeResponse,
  ReplayResponse,
} from '../../../../shared/admin/contracts/operations';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { relativeTime, shortRunId } from '../../format';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { ActionMessages } from './ActionMessages';
import { useAction } from './useAction';

/** <input type="datetime-local"> speaks local time without a zone; the API wants ISO-8601 UTC. */
export function localToIso(value: string): string {
  return new Date(value).toISOString();
}

function localInputValue(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

export function DeliveryLog({ base }: { base: string }) {
  const log = useResource<DeliveryListResponse>(`${base}/webhooks/deliveries`, { pollMs: 5000 });
  const action = useAction();
  const [from, setFrom] = useState(() => localInputValue(Date.now() - 3600_000));
  const [to, setTo] = useState(() => localInputValue(Date.now()));

  const replay = (deliveryId: string) =>
    action.run(deliveryId, async () => {
      const answer = await api.send<ReplayResponse>(
        'POST',
        `${base}/webhooks/${encodeURIComponent(deliveryId)}/replay`,
      );
      log.reload();
      return `Delivery ${deliveryId} replayed: ${answer.runIds.length ? `run(s) ${answer.runIds.join(', ')} started` : 'no record needed a sync'}.`;
    });

  const replayRange = (event: FormEvent) => {
    event.preventDefault();
    void action.run('range', async () => {
      const answer = await api.send<ReplayRangeResponse>('POST', `${base}/webhooks/replay`, {
        from: localToIso(from),
        to: localToIso(to),
      });
      log.reload();
      const failed = answer.failed.map((entry) => `${entry.deliveryId}: ${entry.error.message}`).join('; ');
      return `${answer.replayed.length} delivery(ies) replayed.${failed ? ` Failed: ${failed}` : ''}`;
    });
  };

  const items = log.data?.items ?? [];
  return (
    <>
      <h2 id="deliveries-title">Delivery log</h2>
      <ActionMessages action={action} errorTitle="The replay did not work" />
      <ErrorBanner error={log.error} onRetry={log.reload} title="The delivery log could not be loaded" />
      {log.loading && !log.data && <Loading label="Loading deliveries…" />}
      {log.data && items.length === 0 && <p className="muted">No delivery was received yet.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack" aria-labelledby="deliveries-title">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Delivery</th>
                <th scope="col">Verdict</th>
                <th scope="col" className="numeric">
                  Handling
                </th>
                <th scope="col">Runs</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <tr key={delivery.id} data-delivery-id={delivery.deliveryId}>
                  <td data-label="Received">
                    <span title={delivery.receivedAt}>{relativeTime(delivery.receivedAt)}</span>
                  </td>
                  <td data-label="Delivery">
                    {/* The delivery viewer: its headers (redacted), payload and runs. */}
                    <Link
                      to={`/deliveries/${encodeURIComponent(delivery.integrationId)}/${encodeURIComponent(delivery.deliveryId)}`}
                    >
                      <code>{delivery.deliveryId}</code>
                    </Link>
                  </td>
                  <td data-label="Verdict">
                    <StatusBadge status={delivery.verdict} />
                    {delivery.reason && <div className="muted">{delivery.reason}</div>}
                    {delivery.replays && delivery.replays.length > 0 && (
                      <div className="muted" data-testid="replays">
                        replayed {delivery.replays.length}×, last{' '}
                        {relativeTime(delivery.replays[delivery.replays.length - 1]!.at)}
                      </div>
                    )}
                  </td>
                  <td data-label="Handling" className="numeric">
                    {delivery.handlingMs} ms
                  </td>
                  <td data-label="Runs">
                    {delivery.runIds?.length
                      ? delivery.runIds.map((id) => shortRunId(id, delivery.integrationId)).join(', ')
                      : '—'}
                  </td>
                  <td data-label="Action">
                    {delivery.verdict === 'accepted' && delivery.archiveBlob ? (
                      <button
                        type="button"
                        className="small"
                        onClick={() => void replay(delivery.deliveryId)}
                        disabled={action.busy !== undefined}
                        aria-label={`Replay delivery ${delivery.deliveryId}`}
                      >
                        {action.busy === delivery.deliveryId ? 'Replaying…' : 'Replay'}
                      </button>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={replayRange} className="card" aria-labelledby="replay-range-title">
        <h3 id="replay-range-title">Replay a time range</h3>
        <p className="muted">Every accepted delivery received in the range goes through the pipeline again.</p>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="replay-from">From</label>
            <input
              id="replay-from"
              type="datetime-local"
              value={from}
              onChange={(event) => setFrom(event.target.value)}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="replay-to">To</label>
            <input
              id="replay-to"
              type="datetime-local"
              value={to}
              onChange={(event) => setTo(event.target.value)}
              required
            />
          </div>
        </div>
        <button type="submit" disabled={action.busy !== undefined}>
          {action.busy === 'range' ? 'Replaying…' : 'Replay range'}
        </button>
      </form>
    </>
  );
}
