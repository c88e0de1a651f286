/**
 * Run controls on the Runs page (issue 18 §5): "Sync now…" (only some entities, or a backfill from a date),
 * "Test connection" with its checks, "Reset checkpoint" per entity, and the Cancel button of a running run.
 * Every outcome, and every refusal with the field it names, is shown where the person is.
 */
import { useState } from 'react';
import type { IntegrationView, StartSyncResponse } from '../../../../shared/admin/contracts/integrations';
import type {
  CancelRunResponse,
  ConnectionTestResponse,
  ResetCheckpointResponse,
} from '../../../../shared/admin/contracts/run-controls';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { ConfirmDialog } from '../ConfirmDialog';
import { ActionMessages } from './ActionMessages';
import { useAction, type ActionState } from './useAction';

/**
 * Cancel button of a queued or running run: the run ends after at most the page in flight. Its outcome goes to
 * `action`, whose messages the page shows outside the run's card: the card goes away as soon as the page sees the
 * run ended, which may be before the cancel's answer arrives.
 */
export function CancelRunButton({
  base,
  runId,
  action,
  onDone,
}: {
  base: string;
  runId: string;
  action: ActionState;
  onDone(): void;
}) {
  const cancel = () =>
    action.run(`cancel:${runId}`, async () => {
      await api.send<CancelRunResponse>('POST', `${base}/runs/${encodeURIComponent(runId)}/cancel`);
      onDone();
      return `Run ${runId} was cancelled.`;
    });
  return (
    <button type="button" className="danger" onClick={() => void cancel()} disabled={action.busy !== undefined}>
      {action.busy === `cancel:${runId}` ? 'Cancelling…' : 'Cancel run'}
    </button>
  );
}

export function RunControls({ base, onStarted }: { base: string; onStarted(): void }) {
  const integration = useResource<IntegrationView>(base);
  const entities = integration.data?.entities ?? [];
  const action = useAction();
  const [dialog, setDialog] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [since, setSince] = useState('');
  const [mode, setMode] = useState<'incremental' | 'full'>('incremental');
  const [test, setTest] = useState<ConnectionTestResponse>();

  const sync = () =>
    action.run('sync', async () => {
      const body = {
        mode,
        ...(chosen.length > 0 ? { entities: chosen } : {}),
        ...(since ? { since } : {}),
      };
      const started = await api.send<StartSyncResponse>('POST', `${base}/sync`, body);
      setDialog(false);
      onStarted();
      return `A ${mode} sync of ${chosen.length > 0 ? chosen.join(', ') : 'every entity'}${since ? ` since ${since}` : ''} was started (run ${started.runId}).`;
    });
  const testConnection = () =>
    action.run('test', async () => {
      setTest(undefined);
      setTest(await api.send<ConnectionTestResponse>('POST', `${base}/test`));
      return undefined;
    });
  const reset = (entity: string) =>
    action.run(`reset:${entity}`, async () => {
      const answer = await api.send<ResetCheckpointResponse>('POST', `${base}/checkpoints/reset`, { entity });
      return answer.reset
        ? `The checkpoint of ${entity} was reset: its next run reads everything.`
        : `${entity} had no checkpoint: its next run reads everything.`;
    });

  return (
    <section className="card" aria-labelledby="controls-title">
      <h2 id="controls-title">Controls</h2>
      <div className="form-actions">
        <button type="button" onClick={() => setDialog(true)} disabled={action.busy !== undefined}>
          Sync now…
        </button>
        <button type="button" onClick={() => void testConnection()} disabled={action.busy !== undefined}>
          {action.busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        {entities.map((entity) => (
          <button
            key={entity}
            type="button"
            onClick={() => void reset(entity)}
            disabled={action.busy !== undefined}
            aria-label={`Reset checkpoint of ${entity}`}
          >
            Reset checkpoint: {entity}
          </button>
        ))}
      </div>
      {!dialog && <ActionMessages action={action} errorTitle="That did not work" />}
      {test && (
        <div aria-label="Connection test" role="region">
          <p>
            <strong>{test.ok ? 'The connection works' : 'The connection has problems'}</strong> · provider answered in{' '}
            {test.latencyMs} ms
          </p>
          <ul className="checks">
            {test.checks.map((check) => (
              <li key={check.name} data-check={check.name} data-ok={String(check.ok)}>
                {check.ok ? '✓' : '✗'} <strong>{check.name.replace(/_/g, ' ')}</strong>: {check.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ConfirmDialog
        open={dialog}
        title="Sync now"
        confirmLabel={action.busy === 'sync' ? 'Starting…' : 'Start sync'}
        busy={action.busy === 'sync'}
        onConfirm={() => void sync()}
        onCancel={() => {
          setDialog(false);
          action.clear();
        }}
      >
        <fieldset>
          <legend>Mode</legend>
          {(['incremental', 'full'] as const).map((value) => (
            <label key={value}>
              <input type="radio" name="sync-mode" checked={mode === value} onChange={() => setMode(value)} /> {value}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Entities (none ticked: all)</legend>
          {entities.map((entity) => (
            <label key={entity}>
              <input
                type="checkbox"
                checked={chosen.includes(entity)}
                onChange={(event) =>
                  setChosen(event.target.checked ? [...chosen, entity] : chosen.filter((name) => name !== entity))
                }
              />{' '}
              {entity}
            </label>
          ))}
        </fieldset>
        <label>
          Backfill since (optional; incremental only; the checkpoint stays)
          <input type="date" value={since} onChange={(event) => setSince(event.target.value)} />
        </label>
        {dialog && <ActionMessages action={action} errorTitle="The sync could not be started" />}
      </ConfirmDialog>
    </section>
  );
}
