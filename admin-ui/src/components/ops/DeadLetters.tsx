/** Dead-lettered sync pages of one integration, each with its reason and a re-drive button. */
import type { DeadLetterListResponse, RedriveResponse } from '../../../../shared/admin/contracts/operations';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { relativeTime } from '../../format';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { ActionMessages } from './ActionMessages';
import { useAction } from './useAction';

export function DeadLetters({ base }: { base: string }) {
  const letters = useResource<DeadLetterListResponse>(`${base}/dead-letters`, { pollMs: 10_000 });
  const action = useAction();
  const redrive = (messageId: string) =>
    action.run(messageId, async () => {
      await api.send<RedriveResponse>('POST', `${base}/dead-letters/${encodeURIComponent(messageId)}/redrive`);
      letters.reload();
      return `Page ${messageId} was sent back to the sync queue.`;
    });
  const items = letters.data?.items ?? [];
  return (
    <>
      <h2 id="dead-letters-title">Dead-lettered pages</h2>
      <ActionMessages action={action} errorTitle="The page could not be re-driven" />
      <ErrorBanner error={letters.error} onRetry={letters.reload} title="Dead letters could not be loaded" />
      {letters.loading && !letters.data && <Loading label="Loading dead letters…" />}
      {letters.data && items.length === 0 && (
        <p className="muted">No sync page of this integration is dead-lettered.</p>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack" aria-labelledby="dead-letters-title">
            <thead>
              <tr>
                <th scope="col">Message</th>
                <th scope="col">Reason</th>
                <th scope="col" className="numeric">
                  Deliveries
                </th>
                <th scope="col">Enqueued</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {items.map((letter) => (
                <tr key={letter.messageId}>
                  <td data-label="Message">
                    <code>{letter.messageId}</code>
                  </td>
                  <td data-label="Reason">
                    {letter.reason ?? '—'}
                    {letter.description && <div className="muted">{letter.description}</div>}
                  </td>
                  <td data-label="Deliveries" className="numeric">
                    {letter.deliveryCount}
                  </td>
                  <td data-label="Enqueued">{relativeTime(letter.enqueuedTimeUtc)}</td>
                  <td data-label="Action">
                    <button
                      type="button"
                      className="small"
                      onClick={() => void redrive(letter.messageId)}
                      disabled={action.busy !== undefined}
                      aria-label={`Re-drive page ${letter.messageId}`}
                    >
                      {action.busy === letter.messageId ? 'Re-driving…' : 'Re-drive'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
