/**
 * The Cosmos DB account behind the document store, through @azure/cosmos, with a key or the managed identity.
 * The same code runs against the local cosmosdb-server (self-signed certificate accepted only for a loopback
 * endpoint). Creates the database and containers when missing. Only this folder sees the SDK: the rest of the
 * product gets repositories (cosmos/document-store.ts).
 */
import { Agent } from 'node:https';
import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { managedIdentity } from '../../../platform/azure/managed-identity';
import { AppError } from '../../../core/app-error';
import { alreadyExists, changedMeanwhile, notFound } from '../errors';
import type { Settings } from '../../../config/settings';
import { CONTAINERS, type ContainerKey } from './containers';

export type Containers = Record<ContainerKey, Container>;

export interface CosmosDatabase {
  client: CosmosClient;
  database: Database;
  containers: Containers;
  /** A cheap read that proves the account answers. */
  ping(): Promise<void>;
  dispose(): void;
}

export async function openCosmosDatabase(cosmos: Settings['cosmos'], azureClientId?: string): Promise<CosmosDatabase> {
  if (!cosmos.endpoint)
    throw new AppError('configuration', 'Invalid setting COSMOS_ENDPOINT: required to open the document store', {
      target: 'COSMOS_ENDPOINT',
    });
  const agent = cosmos.allowSelfSignedLocal ? new Agent({ rejectUnauthorized: false, keepAlive: true }) : undefined;
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    ...(cosmos.key ? { key: cosmos.key } : { aadCredentials: await managedIdentity(azureClientId) }),
    // Endpoint discovery re-reads the account on every request against a single-region or local endpoint.
    connectionPolicy: { enableEndpointDiscovery: cosmos.allowSelfSignedLocal ? false : true },
    ...(agent ? { agent } : {}),
  });
  const { database } = await client.databases.createIfNotExists({ id: cosmos.database });
  const entries = await Promise.all(
    (Object.keys(CONTAINERS) as ContainerKey[]).map(async (key) => {
      const spec: { name: string; partitionKey: string; defaultTtl?: number } = CONTAINERS[key];
      const { container } = await database.containers.createIfNotExists({
        id: spec.name,
        partitionKey: { paths: [spec.partitionKey] },
        ...(spec.defaultTtl !== undefined ? { defaultTtl: spec.defaultTtl } : {}),
      });
      return [key, container] as const;
    }),
  );
  return {
    client,
    database,
    containers: Object.fromEntries(entries) as Containers,
    ping: async () => {
      await database.read();
    },
    dispose: () => {
      client.dispose();
      agent?.destroy();
    },
  };
}

/** Cosmos status codes → the error taxonomy (at the boundary, so the core never sees SDK errors). */
export function translateCosmosError(error: unknown, what: string): AppError {
  const code = (error as { code?: number | string })?.code;
  switch (code) {
    case 404:
      return notFound(what, error);
    case 409:
      return alreadyExists(what, error);
    case 412:
      return changedMeanwhile(what, error);
    case 429:
      return new AppError('rate_limited', 'document store is throttling', {
        cause: error,
        retryAfterMs: Number((error as { retryAfterInMs?: number }).retryAfterInMs ?? 1000),
      });
    default:
      return new AppError('dependency_unavailable', `document store failed on ${what}`, { cause: error });
  }
}

export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

const COSMOS_SYSTEM_FIELDS = ['_rid', '_self', '_ts', '_attachments'];

/** Keep our fields and the ETag; drop the other Cosmos system properties. */
export function stripSystemFields<T extends { _etag: string }>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !COSMOS_SYSTEM_FIELDS.includes(key))) as T;
}
