/**
 * The blob archive (raw webhook payloads and other evidence): Azure Blob Storage through @azure/storage-blob,
 * with the managed identity (account URL) or a connection string (Azurite locally).
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { managedIdentity } from '../azure/managed-identity';
import { AppError } from '../errors/app-error';
import type { Settings } from '../config/settings';

export interface BlobArchive {
  put(name: string, content: Buffer | string, contentType: string, metadata?: Record<string, string>): Promise<void>;
  get(name: string): Promise<Buffer | undefined>;
  ping(): Promise<void>;
}

export async function openBlobArchive(blob: Settings['blob'], azureClientId?: string): Promise<BlobArchive> {
  let service: BlobServiceClient;
  if (blob.connectionString) service = BlobServiceClient.fromConnectionString(blob.connectionString);
  else if (blob.accountUrl) service = new BlobServiceClient(blob.accountUrl, await managedIdentity(azureClientId));
  else throw new AppError('configuration', 'Invalid setting BLOB_ACCOUNT_URL: a blob account URL or connection string is required', { target: 'BLOB_ACCOUNT_URL' });

  const container: ContainerClient = service.getContainerClient(blob.archiveContainer);
  await container.createIfNotExists();
  return {
    async put(name, content, contentType, metadata) {
      const body = typeof content === 'string' ? Buffer.from(content) : content;
      await container.getBlockBlobClient(name).uploadData(body, { blobHTTPHeaders: { blobContentType: contentType }, metadata });
    },
    async get(name) {
      try {
        return await container.getBlockBlobClient(name).downloadToBuffer();
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    async ping() {
      await container.getProperties();
    },
  };
}
