import { FUNCTIONS } from './manifest';
import { parseSettings } from '../shared/config/settings';

describe('function manifest', () => {
  it('describes every function with the triggers the issues spell out', () => {
    const settings = parseSettings({});
    const described = FUNCTIONS.map((f) => {
      if (f.trigger === 'http') return [f.name, 'http', f.methods.join(','), f.route];
      if (f.trigger === 'timer') return [f.name, 'timer', f.schedule(settings)];
      return [f.name, 'serviceBusQueue', f.queueName, f.isSessionsEnabled];
    });
    expect(described).toEqual([
      ['SyncScheduler', 'timer', '0 * * * * *'],
      ['SyncInboundWorker', 'serviceBusQueue', 'sync-inbound', true],
      ['SyncOutboundWorker', 'serviceBusQueue', 'sync-outbound', false],
      ['TokenRefresher', 'timer', '0 */5 * * * *'],
      ['WebhookReceiver', 'http', 'POST', 'webhooks/{provider}/{integrationId}'],
      ['Health', 'http', 'GET', 'health'],
      ['AdminApi', 'http', 'GET,POST,PUT,PATCH,DELETE', 'admin/{*path}'],
      ['OAuthCallback', 'http', 'GET', 'oauth/callback'],
      ['WebhookHealthMonitor', 'timer', '0 */15 * * * *'],
      ['NotificationDigest', 'timer', '0 0 * * * *'],
    ]);
  });

  it('takes timer schedules from settings', () => {
    const settings = parseSettings({ SYNC_SCHEDULE: '0 */2 * * * *' });
    expect(FUNCTIONS.find((f) => f.name === 'SyncScheduler')!.trigger === 'timer' && (FUNCTIONS[0] as { schedule: (s: typeof settings) => string }).schedule(settings)).toBe('0 */2 * * * *');
  });
});

describe('Azure entry point', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('registers with @azure/functions without starting any service', () => {
    jest.isolateModules(() => {
      expect(() => require('./index')).not.toThrow();
    });
  });

  it('stops start-up naming an invalid setting', () => {
    process.env.SYNC_SCHEDULE = 'whenever';
    jest.isolateModules(() => {
      expect(() => require('./index')).toThrow(/Invalid setting SYNC_SCHEDULE/);
    });
  });
});
