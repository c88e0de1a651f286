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
      ['WebhookReceiver', 'http', 'POST', 'api/webhooks/{provider}/{integrationId}'],
      ['Health', 'http', 'GET', 'api/health'],
      ['AdminApi', 'http', 'GET,POST,PUT,PATCH,DELETE', 'api/admin/{*path}'],
      ['OAuthCallback', 'http', 'GET', 'api/oauth/callback'],
      ['WebhookHealthMonitor', 'timer', '0 */15 * * * *'],
      ['NotificationDigest', 'timer', '0 0 * * * *'],
      ['WebhookSubscriptionRenewer', 'timer', '0 */30 * * * *'],
      ['AdminUi', 'http', 'GET', 'admin/{*path}'],
    ]);
  });

  it('writes every route in full, since host.json sets no route prefix', () => {
    const hostJson = JSON.parse(
      require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'host.json'), 'utf8'),
    );
    expect(hostJson.extensions.http.routePrefix).toBe('');
    // The external paths are contracts: the API under /api, the local UI under /admin, nothing else.
    for (const f of FUNCTIONS)
      if (f.trigger === 'http') expect(f.route).toMatch(f.name === 'AdminUi' ? /^admin\// : /^api\//);
  });

  it('keeps the /admin UI off Azure, whose host reserves every route starting with "admin"', () => {
    const localOnly = FUNCTIONS.filter((f) => f.trigger === 'http' && f.localOnly).map((f) => f.name);
    expect(localOnly).toEqual(['AdminUi']);
  });

  it('takes timer schedules from settings', () => {
    const settings = parseSettings({ SYNC_SCHEDULE: '0 */2 * * * *' });
    expect(
      FUNCTIONS.find((f) => f.name === 'SyncScheduler')!.trigger === 'timer' &&
        (FUNCTIONS[0] as { schedule: (s: typeof settings) => string }).schedule(settings),
    ).toBe('0 */2 * * * *');
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

  it('registers no HTTP route the Azure host keeps for itself (anything starting with "admin")', () => {
    // The host refuses such a function at start-up ("conflicts with one or more built in routes") and never
    // routes /admin/* to one; the routes checked are the ones functions/index.ts actually hands to app.http.
    jest.isolateModules(() => {
      const { app } = require('@azure/functions') as typeof import('@azure/functions');
      const http = jest.spyOn(app, 'http').mockImplementation(() => undefined);
      require('./index');
      const registered = http.mock.calls.map(([name, options]) => ({ name, route: options.route ?? name }));
      expect(registered.map((r) => r.name)).toEqual(
        expect.arrayContaining(['AdminApi', 'OAuthCallback', 'Health', 'WebhookReceiver']),
      );
      expect(registered.filter((r) => /^\/?admin/i.test(r.route))).toEqual([]);
      // …while the UI still has a home in Azure, under AdminApi's route.
      expect(registered.find((r) => r.name === 'AdminApi')?.route).toBe('api/admin/{*path}');
    });
  });

  it('registers every function despite an invalid setting, and says which one (the local host stops instead)', () => {
    // Throwing here would leave the Azure app with no function at all; tests/functions/shipped-package.test.ts
    // checks the 503 answers and the failing invocations through the staged package.
    process.env.SYNC_SCHEDULE = 'whenever';
    jest.isolateModules(() => {
      const { app } = require('@azure/functions') as typeof import('@azure/functions');
      const registered = [jest.spyOn(app, 'http'), jest.spyOn(app, 'timer'), jest.spyOn(app, 'serviceBusQueue')].map(
        (spy) => spy.mockImplementation(() => undefined),
      );
      const reported = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      expect(() => require('./index')).not.toThrow();
      expect(registered.flatMap((spy) => spy.mock.calls.map(([name]) => name)).sort()).toEqual(
        FUNCTIONS.filter((f) => !(f.trigger === 'http' && f.localOnly))
          .map((f) => f.name)
          .sort(),
      );
      expect(reported.mock.calls.flat().join(' ')).toMatch(/Invalid setting SYNC_SCHEDULE/);
      reported.mockRestore();
    });
  });
});
