/**
 * The notification admin routes: bodies validated with errors that name the field (and never echo a
 * secret), channel secrets write-only, tenant isolation (another tenant's ids answer 404), replace and delete.
 */
import { channelSecretRef } from '../../shared/notifications/channel-secrets';
import { createTestServices, type TestServices } from '../support/test-services';
import { admin, answers } from './support';

const A = 't-admin-a';
const B = 't-admin-b';
const URL_A = 'https://hooks.slack.com/services/TAAAA/BAAAA/secretpathvalue0123456789';
const TOKEN = 'xoxb-1111-2222-secrettokenvalue';
let t: TestServices;
let channelA: string;

beforeAll(async () => {
  t = await createTestServices();
});
afterAll(async () => t.services.close());

const channels = (tenant: string) => `tenants/${tenant}/notifications/channels`;
const rules = (tenant: string) => `tenants/${tenant}/notifications/rules`;

describe('notification admin routes', () => {
  it('validates channel bodies and names the field, without echoing a secret', async () => {
    const cases: Array<[object, string]> = [
      [{ type: 'slack_webhook', name: 'x' }, 'url'],
      [{ type: 'pager', name: 'x', url: URL_A }, 'type'],
      [{ type: 'teams_workflow', name: 'x', url: 'http://example.com/workflows/1' }, 'url'],
      [{ type: 'slack_bot', name: 'x', token: 'not-a-token-secretvalue', channel: '#ops' }, 'token'],
      [{ type: 'slack_bot', name: 'x', token: TOKEN, channel: 'has space' }, 'channel'],
      [{ type: 'slack_webhook', name: 'x', url: URL_A, digest: { frequency: 'weekly' } }, 'digest.frequency'],
      [{ type: 'slack_webhook', name: '', url: URL_A }, 'name'],
    ];
    for (const [body, field] of cases) {
      const answer = await admin(t, 'POST', channels(A), body);
      expect({ field, status: answer.status, target: answer.body.error.target }).toEqual({
        field,
        status: 400,
        target: field,
      });
      expect(JSON.stringify(answer.body)).not.toContain('secret');
    }
  });

  it('stores a channel write-only: the answer and the list show type and name, never the URL or token', async () => {
    const created = await admin(t, 'POST', channels(A), {
      type: 'slack_webhook',
      name: 'ops',
      url: URL_A,
      digest: { frequency: 'daily' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'slack_webhook',
      name: 'ops',
      digest: { frequency: 'daily', hourUtc: 8 },
    });
    channelA = created.body.id;
    expect(channelA).toMatch(/^nc-/);
    const list = await admin(t, 'GET', channels(A));
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([channelA]);
    const metadata = await t.services.credentials.service.metadata(channelSecretRef(A, channelA));
    expect(metadata).toMatchObject({ type: 'custom', status: 'active' });
  });

  it('answers 404 for another tenant’s channel and rejects a rule naming it', async () => {
    expect((await admin(t, 'GET', `${channels(B)}/${channelA}`)).status).toBe(404);
    expect((await admin(t, 'POST', `${channels(B)}/${channelA}/test`)).status).toBe(404);
    expect((await admin(t, 'DELETE', `${channels(B)}/${channelA}`)).status).toBe(404);
    expect((await admin(t, 'GET', channels(B))).body.items).toEqual([]);
    const rule = await admin(t, 'POST', rules(B), { name: 'steal', eventTypes: ['*'], channelIds: [channelA] });
    expect(rule).toMatchObject({ status: 400, body: { error: { target: 'channelIds.0' } } });
  });

  it('validates rules and names the field', async () => {
    const cases: Array<[object, string]> = [
      [{ name: 'r', eventTypes: ['sync.nope'], channelIds: [channelA] }, 'eventTypes.0'],
      [{ name: 'r', eventTypes: ['*'], channelIds: [] }, 'channelIds'],
      [{ name: 'r', eventTypes: ['*'], channelIds: [channelA], minSeverity: 'loud' }, 'minSeverity'],
      [
        {
          name: 'r',
          eventTypes: ['*'],
          channelIds: [channelA],
          quietHours: { start: '22:00', end: '7', timeZone: 'UTC' },
        },
        'quietHours.end',
      ],
      [
        {
          name: 'r',
          eventTypes: ['*'],
          channelIds: [channelA],
          quietHours: { start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' },
        },
        'quietHours.timeZone',
      ],
      [
        { name: 'r', eventTypes: ['*'], channelIds: [channelA], escalation: { afterRepeats: 1 } },
        'escalation.afterRepeats',
      ],
      [
        {
          name: 'r',
          eventTypes: ['*'],
          channelIds: [channelA],
          escalation: { afterRepeats: 3, channelIds: ['nc-unknown'] },
        },
        'escalation.channelIds.0',
      ],
      [{ name: 'r', eventTypes: ['*'], channelIds: [channelA], extra: true }, 'body'],
    ];
    for (const [body, field] of cases) {
      const answer = await admin(t, 'POST', rules(A), body);
      expect({ field, status: answer.status, target: answer.body.error.target }).toEqual({
        field,
        status: 400,
        target: field,
      });
    }
  });

  it('creates, reads, replaces and deletes rules within the tenant', async () => {
    const created = await admin(t, 'POST', rules(A), {
      name: 'failures',
      eventTypes: ['sync.run_failed'],
      channelIds: [channelA],
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'failures', minSeverity: 'warning', enabled: true } });
    const id = created.body.id;
    expect((await admin(t, 'GET', `${rules(B)}/${id}`)).status).toBe(404);
    const replaced = await admin(t, 'PUT', `${rules(A)}/${id}`, {
      name: 'failures',
      eventTypes: ['sync.run_failed'],
      channelIds: [channelA],
      minSeverity: 'critical',
    });
    expect(replaced.body).toMatchObject({ id, minSeverity: 'critical', createdAt: created.body.createdAt });
    expect((await admin(t, 'GET', rules(A))).body.items).toHaveLength(1);
    expect((await admin(t, 'DELETE', `${rules(A)}/${id}`)).status).toBe(204);
    expect((await admin(t, 'GET', `${rules(A)}/${id}`)).status).toBe(404);
  });

  it('replaces a channel (new secret) and deletes it with its secret', async () => {
    const replaced = await admin(t, 'PUT', `${channels(A)}/${channelA}`, {
      type: 'slack_bot',
      name: 'bot now',
      token: TOKEN,
      channel: '#ops',
    });
    expect(replaced.body).toMatchObject({ id: channelA, type: 'slack_bot', slackChannel: '#ops' });
    expect(await t.services.credentials.service.metadata(channelSecretRef(A, channelA))).toMatchObject({
      type: 'bearer_token',
    });
    expect((await admin(t, 'DELETE', `${channels(A)}/${channelA}`)).status).toBe(204);
    expect((await admin(t, 'GET', `${channels(A)}/${channelA}`)).status).toBe(404);
    expect(await t.services.credentials.service.metadata(channelSecretRef(A, channelA))).toBeUndefined();
  });

  it('never shows a channel URL or token in an answer or a log line', () => {
    const everything = [...answers, ...t.logLines].join('\n');
    for (const secret of ['secretpathvalue0123456789', 'secrettokenvalue']) expect(everything).not.toContain(secret);
  });
});
