import { headersOf } from '../../../tests/webhooks/helpers';
import { verifierSettingsFor, webhookConfigSchema } from './config';

describe('webhookConfigSchema', () => {
  it('accepts each provider shape', () => {
    const valid = [
      { provider: 'github' },
      { provider: 'slack', toleranceMs: 300_000 },
      { provider: 'generic' },
      { provider: 'notion' },
      {
        provider: 'salesforce',
        organizationId: '00D5e000000Ab1cEAC',
        auth: { kind: 'shared_secret', source: { in: 'url' } },
      },
      {
        provider: 'salesforce',
        organizationId: '00D5e000000Ab1c',
        auth: { kind: 'hmac', header: 'X-Org-Signature', encoding: 'base64' },
      },
      {
        provider: 'google',
        mode: 'pubsub',
        audience: 'https://sync.example.test/hook',
        serviceAccountEmail: 'push@p.iam.gserviceaccount.com',
      },
      { provider: 'google', mode: 'channel' },
    ];
    for (const config of valid) expect(webhookConfigSchema.safeParse(config).success).toBe(true);
  });

  it('names what is wrong', () => {
    const bad = webhookConfigSchema.safeParse({
      provider: 'salesforce',
      organizationId: '001000000000001',
      auth: { kind: 'hmac' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['organizationId']);
    const google = webhookConfigSchema.safeParse({
      provider: 'google',
      mode: 'pubsub',
      audience: 'a',
      serviceAccountEmail: 'not-an-email',
    });
    expect(google.error?.issues[0]?.path).toEqual(['serviceAccountEmail']);
    expect(webhookConfigSchema.safeParse({ provider: 'slack', toleranceMs: 3_600_000 }).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ provider: 'gitlab' }).success).toBe(false);
  });
});

describe('verifierSettingsFor', () => {
  it('takes the Salesforce candidate secret from the URL or the configured header', () => {
    const headers = headersOf({ 'X-Integration-Secret': 'from-header' });
    const organizationId = '00D5e000000Ab1cEAC';
    expect(
      verifierSettingsFor(
        { provider: 'salesforce', organizationId, auth: { kind: 'shared_secret', source: { in: 'url' } } },
        { headers, urlSecret: 'from-url' },
      ),
    ).toEqual({
      provider: 'salesforce',
      organizationId,
      auth: { kind: 'shared_secret', candidate: 'from-url' },
    });
    expect(
      verifierSettingsFor(
        {
          provider: 'salesforce',
          organizationId,
          auth: { kind: 'shared_secret', source: { in: 'header', name: 'X-Integration-Secret' } },
        },
        { headers },
      ),
    ).toMatchObject({
      auth: { candidate: 'from-header' },
    });
    expect(verifierSettingsFor({ provider: 'github' }, { headers })).toEqual({ provider: 'github' });
  });
});
