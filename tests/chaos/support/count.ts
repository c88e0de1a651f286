/**
 * The chaos verdict's figures, read from the outside: the shards of the integration in the Cosmos stand-in
 * (through the official @azure/cosmos client, not the host) against the sandbox's seeded issues.
 * duplicates: external ids with more than one live shard; lost: expected ids without one; unexpected: live
 * shards whose external id the sandbox never had.
 */
import { Agent } from 'node:https';
import { CosmosClient } from '@azure/cosmos';
import { REPOSITORY, TENANT } from './admin';
import type { ChaosEnv } from './services';

export interface Tally {
  records_expected: number;
  records_synced: number;
  duplicates: number;
  lost: number;
  unexpected: number;
}

interface ShardRow {
  id: string;
  deleted: boolean;
  externalRefs?: Array<{ integrationId: string; entity: string; externalId: string }>;
}

/**
 * The sandbox's issues are numbered 1..count (seeded, then created in order; the scenarios delete none); the
 * pull requests among them are not synced (GitHub's issues API lists both; the adapter keeps issues only).
 * `known` caches which numbers are pull requests (seeded: they never change).
 */
export async function expectedIds(sandboxUrl: string, count: number, known: Map<number, boolean>): Promise<string[]> {
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((number) => !known.has(number));
  for (let i = 0; i < missing.length; i += 25) {
    await Promise.all(
      missing.slice(i, i + 25).map(async (number) => {
        const response = await fetch(
          `${sandboxUrl}/__sandbox/records?entity=issues&id=${encodeURIComponent(`${REPOSITORY}#${number}`)}`,
          { signal: AbortSignal.timeout(10_000) },
        );
        if (!response.ok) throw new Error(`sandbox record ${number}: ${response.status}`);
        const record = (await response.json()) as { pull_request?: unknown };
        known.set(number, record.pull_request !== undefined);
      }),
    );
  }
  return Array.from({ length: count }, (_, i) => i + 1)
    .filter((number) => known.get(number) === false)
    .map((number) => `${REPOSITORY}#${number}`);
}

export async function tally(env: ChaosEnv, integrationId: string, expected: string[]): Promise<Tally> {
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: false });
  const client = new CosmosClient({
    endpoint: env.cosmos.endpoint,
    key: env.cosmos.key,
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const container = client.database(env.cosmos.database).container('shards');
    const iterator = container.items.query<ShardRow>(
      {
        query: 'SELECT c.id, c.deleted, c.externalRefs FROM c WHERE c.tenantId = @tenant',
        parameters: [{ name: '@tenant', value: TENANT }],
      },
      { maxItemCount: 1000, partitionKey: TENANT },
    );
    const live = new Map<string, number>();
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      for (const shard of resources) {
        if (shard.deleted) continue;
        const ids = new Set(
          (shard.externalRefs ?? [])
            .filter((ref) => ref.integrationId === integrationId && ref.entity === 'issues')
            .map((ref) => ref.externalId),
        );
        for (const id of ids) live.set(id, (live.get(id) ?? 0) + 1);
      }
    }
    const wanted = new Set(expected);
    return {
      records_expected: expected.length,
      records_synced: expected.filter((id) => live.has(id)).length,
      duplicates: [...live.values()].filter((count) => count > 1).length,
      lost: expected.filter((id) => !live.has(id)).length,
      unexpected: [...live.keys()].filter((id) => !wanted.has(id)).length,
    };
  } finally {
    client.dispose();
    agent.destroy();
  }
}
