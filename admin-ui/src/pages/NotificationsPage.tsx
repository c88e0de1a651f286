/**
 * Notifications of the tenant (routes in shared/admin/api/notification-routes.ts): channels (Slack incoming
 * webhook, Teams Workflows webhook, Slack bot; URLs and tokens are write-only), a test message per channel,
 * routing rules and the recent deliveries with their outcome.
 */
import { useState, type FormEvent } from 'react';
import {
  NOTIFICATION_EVENT_TYPES,
  type ChannelTestResponse,
  type NotificationChannelView,
  type NotificationDeliveryView,
  type NotificationRuleView,
} from '../../../shared/admin/contracts/config';
import { api } from '../api/client';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../components/FieldError';
import { Loading } from '../components/Loading';
import { ActionMessages } from '../components/ops/ActionMessages';
import { useAction } from '../components/ops/useAction';
import { StatusBadge } from '../components/StatusBadge';
import { useTenant } from '../state/session';

const CHANNEL_TYPES = [
  { value: 'slack_webhook', label: 'Slack incoming webhook' },
  { value: 'teams_workflow', label: 'Teams Workflows webhook' },
  { value: 'slack_bot', label: 'Slack bot (chat.postMessage)' },
] as const;

export default function NotificationsPage() {
  const { tenantId } = useTenant();
  const base = `tenants/${encodeURIComponent(tenantId)}/notifications`;
  const channels = useResource<{ items: NotificationChannelView[] }>(`${base}/channels`);
  const rules = useResource<{ items: NotificationRuleView[] }>(`${base}/rules`);
  const deliveries = useResource<{ items: NotificationDeliveryView[] }>(`${base}/deliveries`, { pollMs: 5000 });
  const action = useAction();
  const channelName = (id: string) => channels.data?.items.find((channel) => channel.id === id)?.name ?? id;

  const test = (channel: NotificationChannelView) =>
    action.run(`test-${channel.id}`, async () => {
      const outcome = await api.send<ChannelTestResponse>(
        'POST',
        `${base}/channels/${encodeURIComponent(channel.id)}/test`,
      );
      deliveries.reload();
      return `Test message to ${channel.name}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}.`;
    });
  const remove = (kind: 'channels' | 'rules', id: string, name: string) =>
    action.run(`delete-${id}`, async () => {
      await api.send('DELETE', `${base}/${kind}/${encodeURIComponent(id)}`);
      (kind === 'channels' ? channels : rules).reload();
      return `${name} deleted.`;
    });

  return (
    <section aria-labelledby="notifications-title">
      <div className="page-header">
        <h1 id="notifications-title">Notifications</h1>
      </div>
      <ActionMessages action={action} />
      <div className="card">
        <h2>Channels</h2>
        <ErrorBanner error={channels.error} onRetry={channels.reload} title="Channels could not be loaded" />
        {channels.loading && !channels.data && <Loading label="Loading channels…" />}
        {channels.data && channels.data.items.length === 0 && <p className="muted">No channel yet.</p>}
        {channels.data && channels.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="stack" aria-label="Channels">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Updated</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {channels.data.items.map((channel) => (
                  <tr key={channel.id}>
                    <th scope="row">{channel.name}</th>
                    <td>
                      {CHANNEL_TYPES.find((type) => type.value === channel.type)?.label ?? channel.type}
                      {channel.slackChannel ? ` → ${channel.slackChannel}` : ''}
                    </td>
                    <td>{channel.updatedAt}</td>
                    <td>
                      <button type="button" onClick={() => void test(channel)} disabled={action.busy !== undefined}>
                        {action.busy === `test-${channel.id}` ? 'Sending…' : `Send test to ${channel.name}`}
                      </button>{' '}
                      <button
                        type="button"
                        onClick={() => void remove('channels', channel.id, channel.name)}
                        disabled={action.busy !== undefined}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ChannelForm base={base} onCreated={channels.reload} />
      </div>
      <div className="card">
        <h2>Rules</h2>
        <ErrorBanner error={rules.error} onRetry={rules.reload} title="Rules could not be loaded" />
        {rules.data && rules.data.items.length === 0 && <p className="muted">No rule yet: nothing is sent.</p>}
        {rules.data && rules.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="stack" aria-label="Rules">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Events</th>
                  <th scope="col">From severity</th>
                  <th scope="col">Channels</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rules.data.items.map((rule) => (
                  <tr key={rule.id}>
                    <th scope="row">
                      {rule.name} {!rule.enabled && <StatusBadge status="disabled" />}
                    </th>
                    <td>{rule.eventTypes.join(', ')}</td>
                    <td>{rule.minSeverity}</td>
                    <td>{rule.channelIds.map(channelName).join(', ')}</td>
                    <td>
                      <button
                        type="button"
                        onClick={() => void remove('rules', rule.id, rule.name)}
                        disabled={action.busy !== undefined}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <RuleForm base={base} channels={channels.data?.items ?? []} onCreated={rules.reload} />
      </div>
      <div className="card">
        <h2>Recent deliveries</h2>
        <ErrorBanner error={deliveries.error} onRetry={deliveries.reload} title="Deliveries could not be loaded" />
        {deliveries.data && deliveries.data.items.length === 0 && <p className="muted">Nothing sent yet.</p>}
        {deliveries.data && deliveries.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="stack" aria-label="Deliveries">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Channel</th>
                  <th scope="col">What</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Attempts</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.items.slice(0, 50).map((delivery) => (
                  <tr key={delivery.id}>
                    <td>{delivery.createdAt}</td>
                    <td>{channelName(delivery.channelId)}</td>
                    <td>
                      {delivery.purpose}: {delivery.message.title}
                    </td>
                    <td>
                      <StatusBadge
                        status={
                          delivery.status === 'sent' ? 'ok' : delivery.status === 'failed' ? 'failed' : 'degraded'
                        }
                        label={delivery.status}
                      />
                      {delivery.reason ? ` ${delivery.reason}` : ''}
                    </td>
                    <td>{delivery.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

function ChannelForm({ base, onCreated }: { base: string; onCreated(): void }) {
  const action = useAction();
  const [type, setType] = useState<(typeof CHANNEL_TYPES)[number]['value']>('slack_webhook');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [slackChannel, setSlackChannel] = useState('');
  const secretField = type === 'slack_bot' ? 'token' : 'url';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body =
      type === 'slack_bot'
        ? { type, name: name.trim(), token: secret.trim(), channel: slackChannel.trim() }
        : { type, name: name.trim(), url: secret.trim() };
    void action
      .run('create', async () => {
        await api.send('POST', `${base}/channels`, body);
        onCreated();
        return `Channel ${name.trim()} created.`;
      })
      .then((ok) => {
        if (ok) {
          setName('');
          setSecret('');
        }
      });
  };
  const err = (field: string) => errorFor(action.error, field);
  const named = ['name', secretField, 'channel', 'type'].some((field) => err(field));
  return (
    <form onSubmit={submit} aria-labelledby="channel-form-title" noValidate>
      <h3 id="channel-form-title">Add a channel</h3>
      <div className="field">
        <label htmlFor="channel-type">Type</label>
        <select id="channel-type" value={type} onChange={(event) => setType(event.target.value as typeof type)}>
          {CHANNEL_TYPES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="channel-name">Name</label>
        <input
          id="channel-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...invalidProps(err('name'), 'channel-name')}
        />
        <FieldError id="channel-name" message={err('name')} />
      </div>
      <div className="field">
        <label htmlFor="channel-secret">
          {type === 'slack_bot' ? 'Bot token' : 'Webhook URL'}{' '}
          <span className="hint">write-only: never shown again</span>
        </label>
        <input
          id="channel-secret"
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          {...invalidProps(err(secretField), 'channel-secret')}
        />
        <FieldError id="channel-secret" message={err(secretField)} />
      </div>
      {type === 'slack_bot' && (
        <div className="field">
          <label htmlFor="channel-slack">Slack channel</label>
          <input
            id="channel-slack"
            value={slackChannel}
            onChange={(event) => setSlackChannel(event.target.value)}
            {...invalidProps(err('channel'), 'channel-slack')}
          />
          <FieldError id="channel-slack" message={err('channel')} />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy !== undefined}>
          Add channel
        </button>
      </div>
      <ActionMessages action={{ notice: action.notice, error: named ? undefined : action.error }} />
    </form>
  );
}

function RuleForm({
  base,
  channels,
  onCreated,
}: {
  base: string;
  channels: NotificationChannelView[];
  onCreated(): void;
}) {
  const action = useAction();
  const [name, setName] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>(['sync.run_failed']);
  const [minSeverity, setMinSeverity] = useState('warning');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const toggle = (list: string[], value: string) =>
    list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action
      .run('create', async () => {
        await api.send('POST', `${base}/rules`, { name: name.trim(), eventTypes, minSeverity, channelIds });
        onCreated();
        return `Rule ${name.trim()} created.`;
      })
      .then((ok) => ok && setName(''));
  };
  const err = (field: string) => errorFor(action.error, field);
  const named = ['name', 'eventTypes', 'channelIds', 'minSeverity'].some((field) => err(field));
  return (
    <form onSubmit={submit} aria-labelledby="rule-form-title" noValidate>
      <h3 id="rule-form-title">Add a rule</h3>
      <div className="field">
        <label htmlFor="rule-name">Name</label>
        <input
          id="rule-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...invalidProps(err('name'), 'rule-name')}
        />
        <FieldError id="rule-name" message={err('name')} />
      </div>
      <fieldset>
        <legend>Events</legend>
        {NOTIFICATION_EVENT_TYPES.map((type) => (
          <label key={type} className="inline-check">
            <input
              type="checkbox"
              checked={eventTypes.includes(type)}
              onChange={() => setEventTypes((now) => toggle(now, type))}
            />{' '}
            {type}
          </label>
        ))}
        <FieldError id="rule-events" message={err('eventTypes')} />
      </fieldset>
      <div className="field">
        <label htmlFor="rule-severity">From severity</label>
        <select id="rule-severity" value={minSeverity} onChange={(event) => setMinSeverity(event.target.value)}>
          {['info', 'warning', 'error', 'critical'].map((severity) => (
            <option key={severity}>{severity}</option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Send to</legend>
        {channels.length === 0 && <p className="muted">Add a channel first.</p>}
        {channels.map((channel) => (
          <label key={channel.id} className="inline-check">
            <input
              type="checkbox"
              checked={channelIds.includes(channel.id)}
              onChange={() => setChannelIds((now) => toggle(now, channel.id))}
            />{' '}
            {channel.name}
          </label>
        ))}
        <FieldError id="rule-channels" message={err('channelIds')} />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy !== undefined}>
          Add rule
        </button>
      </div>
      <ActionMessages action={{ notice: action.notice, error: named ? undefined : action.error }} />
    </form>
  );
}
