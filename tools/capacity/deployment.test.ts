import { readDeployment } from './deployment';

describe('the deployment as infra/ declares it', () => {
  it('reads the Bicep defaults and the production parameters', () => {
    const defaults = readDeployment('default');
    expect(defaults.functionInstanceMemoryMB).toBe(2048);
    expect(defaults.functionMaximumInstanceCount).toBe(40);
    expect(defaults.webhookDeliveryTtlSeconds).toBe(30 * 24 * 3600);
    expect(defaults.webhookArchiveRetentionDays).toBe(30);
    expect([defaults.serviceBusSku, defaults.redisSku]).toEqual(['Standard', 'Balanced_B0']);
    const prod = readDeployment('prod');
    expect(prod.functionInstanceMemoryMB).toBe(4096);
    expect(prod.functionMaximumInstanceCount).toBe(100);
    expect([prod.serviceBusSku, prod.redisSku]).toEqual(['Premium', 'Balanced_B5']);
  });

  it('knows each container by its partition key', () => {
    const { partitionKeyOf } = readDeployment('default');
    expect(partitionKeyOf).toMatchObject({
      shards: 'tenantId',
      'sync-state': 'integrationId',
      'sync-runs': 'integrationId',
      'webhook-deliveries': 'integrationId',
    });
  });
});
