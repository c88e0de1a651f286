/**
 * The integration's webhook subscription: for GitHub and Google the hooks and channels the app keeps at the
 * provider (turn on, renew now, turn off; when the channels expire; the last error), for Slack, Notion and
 * Salesforce the exact values to enter in the provider's console and whether a verified delivery has arrived.
 */
import { useState } from 'react';
import type { WebhookSubscriptionView } from '../../../../shared/admin/contracts/webhook-subscriptions';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { relativeTime } from '../../format';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { ActionMessages } from './ActionMessages';
import { useAction } from './useAction';

const STATUS_TEXT: Record<WebhookSubscriptionView['status'], string> = {
  active: 'Deliveries are set up and arriving as expected.',
  pending: 'Waiting: nothing verified has arrived yet.',
  expiring: 'The push channel is due for renewal; the renewer replaces it before it expires.',
  failed: 'The last attempt failed: see the error below.',
  off: 'Webhooks are off for this integration.',
};

export function WebhookSubscriptionCard({ base }: { base: string }) {
  const path = `${base}/webhooks/subscription`;
  const subscription = useResource<WebhookSubscriptionView>(path, { pollMs: 30_000 });
  const action = useAction();
  const [confirmOff, setConfirmOff] = useState(false);
  const data = subscription.data;
  const managed = data?.mode === 'managed';

  const turnOn = () =>
    action.run('on', async () => {
      const answer = await api.send<WebhookSubscriptionView>('POST', path);
      subscription.reload();
      if (answer.status === 'failed') return undefined;
      return managed
        ? `Subscription ${data?.status === 'off' ? 'created' : 'renewed'} at ${answer.provider}.`
        : 'Marked as configured: the status turns active with the first verified delivery.';
    });

  const turnOff = () =>
    action.run('off', async () => {
      await api.send('DELETE', path);
      setConfirmOff(false);
      subscription.reload();
      return managed ? 'Webhooks turned off and removed at the provider.' : 'Webhooks turned off.';
    });

  return (
    <div className="card" aria-labelledby="subscription-title">
      <h2 id="subscription-title">Subscription</h2>
      <ErrorBanner
        error={subscription.error}
        onRetry={subscription.reload}
        title="The subscription could not be loaded"
      />
      {subscription.loading && !data && <Loading label="Loading the subscription…" />}
      {data && (
        <>
          <p>
            <StatusBadge status={data.status} />{' '}
            <span>{managed ? `Managed by this app at ${data.provider}.` : `Set up by hand in ${data.provider}.`}</span>{' '}
            <span className="muted">{STATUS_TEXT[data.status]}</span>
          </p>
          {data.expiresAt && (
            <p data-testid="expires">
              Channel expires {relativeTime(data.expiresAt)} ({new Date(data.expiresAt).toLocaleString()}).
            </p>
          )}
          {data.lastError && (
            <p className="field-error" role="alert">
              {data.lastError}
            </p>
          )}
          {data.instructions && (
            <div aria-label="Subscription instructions">
              <h3>Configure in {data.instructions.where}</h3>
              <table>
                <tbody>
                  {data.instructions.values.map((value) => (
                    <tr key={value.name}>
                      <th scope="row">{value.name}</th>
                      <td>
                        <code>{value.value}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ol>
                {data.instructions.steps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            </div>
          )}
          <div className="toolbar">
            {managed || data.status === 'off' ? (
              <button
                type="button"
                className="primary"
                onClick={() => void turnOn()}
                disabled={action.busy !== undefined}
              >
                {action.busy === 'on' ? 'Working…' : data.status === 'off' ? 'Turn on webhooks' : 'Renew now'}
              </button>
            ) : (
              <button type="button" onClick={subscription.reload}>
                Check again
              </button>
            )}
            {data.status !== 'off' && (
              <button type="button" onClick={() => setConfirmOff(true)} disabled={action.busy !== undefined}>
                Turn off webhooks
              </button>
            )}
          </div>
        </>
      )}
      <ActionMessages action={action} />
      <ConfirmDialog
        open={confirmOff}
        title="Turn off webhooks?"
        confirmLabel="Turn off"
        danger
        busy={action.busy === 'off'}
        onConfirm={() => void turnOff()}
        onCancel={() => setConfirmOff(false)}
      >
        {managed
          ? 'The app removes its hooks or channels at the provider. Changes then arrive with the scheduled syncs only.'
          : 'The status shows off; remove the subscription in the provider’s console too.'}
      </ConfirmDialog>
    </div>
  );
}
