/**
 * The endpoint URL to give the provider, the signing secret's state and its rotation (the previous secret keeps
 * verifying for the overlap the operator picks), and Notion's pending verification token.
 */
import { useState, type FormEvent } from 'react';
import type { RotateWebhookSecretResponse, WebhookEndpointView } from '../../../../shared/admin/contracts/operations';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { relativeTime } from '../../format';
import { ErrorBanner } from '../ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../FieldError';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { ActionMessages } from './ActionMessages';
import { useAction } from './useAction';

/** 32 random bytes as hex: a secret strong enough for any provider's HMAC. */
export function generateSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function WebhookSecretCard({ base }: { base: string }) {
  const endpoint = useResource<WebhookEndpointView>(`${base}/webhooks/endpoint`);
  const action = useAction();
  const [secret, setSecret] = useState('');
  const [overlap, setOverlap] = useState('1440');
  const [copied, setCopied] = useState(false);

  const rotate = (event: FormEvent) => {
    event.preventDefault();
    void action.run('rotate', async () => {
      const answer = await api.send<RotateWebhookSecretResponse>('PUT', `${base}/webhook-secret`, {
        secret,
        overlapMinutes: Number(overlap),
      });
      setSecret('');
      endpoint.reload();
      return answer.previousValidUntil
        ? `Secret rotated. The previous secret keeps verifying until ${new Date(answer.previousValidUntil).toLocaleString()}: update the provider before then.`
        : 'Secret set. Deliveries signed with any earlier secret are rejected from now on.';
    });
  };

  const confirmPending = () =>
    action.run('confirm', async () => {
      await api.send('POST', `${base}/webhook-secret/confirm-pending`);
      endpoint.reload();
      return 'The pending verification token is now the signing secret.';
    });

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  const data = endpoint.data;
  const secretError = errorFor(action.error, 'secret');
  const overlapError = errorFor(action.error, 'overlapMinutes');
  return (
    <div className="card">
      <h2 id="endpoint-title">Endpoint</h2>
      <ErrorBanner error={endpoint.error} onRetry={endpoint.reload} title="The endpoint could not be loaded" />
      {endpoint.loading && !data && <Loading label="Loading the endpoint…" />}
      {data && (
        <>
          <label htmlFor="webhook-url">URL to give {data.provider}</label>
          <div className="copy-row">
            <input id="webhook-url" readOnly value={data.url} onFocus={(event) => event.target.select()} />
            <button type="button" onClick={() => void copy(data.url)}>
              Copy
            </button>
            <span role="status">{copied ? 'Copied.' : ''}</span>
          </div>
          <h3>Signing secret</h3>
          {data.secret ? (
            <p>
              <StatusBadge status={data.secret.status} /> set {relativeTime(data.secret.rotatedAt)}.{' '}
              {data.secret.previousValidUntil ? (
                <strong data-testid="overlap">
                  The previous secret keeps verifying until {new Date(data.secret.previousValidUntil).toLocaleString()}.
                </strong>
              ) : (
                <span className="muted">No previous secret is accepted.</span>
              )}
            </p>
          ) : (
            <p className="warning">No signing secret is set: every delivery is rejected until one is.</p>
          )}
          {data.pendingVerificationToken && (
            <div className="warning">
              Notion sent a verification token. Check it matches the one shown in Notion, then confirm it to start
              verifying deliveries with it.{' '}
              <button type="button" onClick={() => void confirmPending()} disabled={action.busy === 'confirm'}>
                Confirm pending token
              </button>
            </div>
          )}
        </>
      )}
      <form onSubmit={rotate} aria-labelledby="rotate-title">
        <h3 id="rotate-title">{data?.secret ? 'Rotate the secret' : 'Set the secret'}</h3>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="webhook-secret">
              New secret{' '}
              <span className="hint">
                At least 16 characters; the same value goes into the provider's webhook settings.
              </span>
            </label>
            <div className="copy-row">
              <input
                id="webhook-secret"
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={secret}
                onChange={(event) => setSecret(event.target.value)}
                {...invalidProps(secretError, 'webhook-secret')}
              />
              <button type="button" onClick={() => setSecret(generateSecret())}>
                Generate
              </button>
            </div>
            <FieldError id="webhook-secret" message={secretError} />
          </div>
          <div className="field">
            <label htmlFor="webhook-overlap">
              Overlap (minutes){' '}
              <span className="hint">How long the current secret keeps verifying after the change.</span>
            </label>
            <input
              id="webhook-overlap"
              type="number"
              min={0}
              max={43200}
              value={overlap}
              onChange={(event) => setOverlap(event.target.value)}
              {...invalidProps(overlapError, 'webhook-overlap')}
            />
            <FieldError id="webhook-overlap" message={overlapError} />
          </div>
        </div>
        <button type="submit" className="primary" disabled={action.busy === 'rotate' || secret.length === 0}>
          {action.busy === 'rotate' ? 'Saving…' : data?.secret ? 'Rotate secret' : 'Set secret'}
        </button>
      </form>
      <ActionMessages
        action={{ notice: action.notice, error: secretError || overlapError ? undefined : action.error }}
      />
    </div>
  );
}
