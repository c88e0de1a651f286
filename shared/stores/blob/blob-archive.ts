/**
 * The blob archive (raw webhook payloads and other evidence): Azure Blob Storage through @azure/storage-blob,
 * with the managed identity (account URL) or a connection string (Azurite locally).
 *
 * Outages are answered fast and recovered from without a restart: each request waits at most
 * BLOB_REQUEST_TIMEOUT_MS (one quick SDK retry inside it, not the SDK's default backoff of ~16 s), failures
 * become dependency_unavailable (503 + Retry-After at the edge), a circuit breaker fails callers at once while
 * the store is down, and a container that disappeared (a fresh Azurite, a deleted container) is created again
 * by the first write that misses it.
 */
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { managedIdentity } from '../../platform/azure/managed-identity';
import { AppError, isAppError } from '../../core/app-error';
import type { Settings } from '../../config/settings';
import { createCircuitBreaker } from './circuit-breaker';

export interface BlobArchive {
  put(name: string, content: Buffer | string, contentType: string, metadata?: Record<string, string>): Promise<void>;
  get(name: string): Promise<Buffer | undefined>;
  ping(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 2000;
/** Two failures in a row open the breaker for five seconds: what Retry-After tells webhook senders. */
const BREAKER = { failureThreshold: 2, openMs: 5000 };

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;
const codeOf = (error: unknown): string | undefined =>
  (error as { code?: string; details?: { errorCode?: string } }).details?.errorCode ??
  (error as { code?: string }).code;

/** No answer, a timeout, or a 5xx/408/429: the store is not there. A 4xx is an answer about the request. */
function isOutage(error: unknown): boolean {
  if (isAppError(error)) return error.code === 'dependency_unavailable';
  const status = statusOf(error);
  return status === undefined || status === 0 || status >= 500 || status === 408 || status === 429;
}

function translated(error: unknown, action: string): unknown {
  if (isAppError(error) || !isOutage(error)) return error;
  return new AppError('dependency_unavailable', `the blob archive did not answer (${action}); retry shortly`, {
    retryAfterMs: BREAKER.openMs,
    cause: error,
  });
}

export async function openBlobArchive(blob: Settings['blob'], azureClientId?: string): Promise<BlobArchive> {
  const timeoutMs = blob.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pipeline: StoragePipelineOptions = {
    retryOptions: { maxTries: 2, tryTimeoutInMs: timeoutMs, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
  };
  let service: BlobServiceClient;
  if (blob.connectionString) service = BlobServiceClient.fromConnectionString(blob.connectionString, pipeline);
  else if (blob.accountUrl)
    service = new BlobServiceClient(blob.accountUrl, await managedIdentity(azureClientId), pipeline);
  else
    throw new AppError(
      'configuration',
      'Invalid setting BLOB_ACCOUNT_URL: a blob account URL or connection string is required',
      { target: 'BLOB_ACCOUNT_URL' },
    );

  const container: ContainerClient = service.getContainerClient(blob.archiveContainer);
  const breaker = createCircuitBreaker({ name: 'the blob archive', ...BREAKER, isOutage });
  /** Every request, however many tries, ends within the timeout (the SDK's own timeout is per try). */
  const guarded = <T>(action: string, operation: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
    breaker.run(async () => {
      try {
        return await operation(AbortSignal.timeout(timeoutMs));
      } catch (error) {
        throw translated(error, action);
      }
    });

  // Created at start when the store is there; otherwise (or when it is deleted later) by the first write.
  await guarded('create container', (abortSignal) => container.createIfNotExists({ abortSignal })).catch(
    () => undefined,
  );

  return {
    async put(name, content, contentType, metadata) {
      const body = typeof content === 'string' ? Buffer.from(content) : content;
      const upload = (abortSignal: AbortSignal) =>
        container
          .getBlockBlobClient(name)
          .uploadData(body, { blobHTTPHeaders: { blobContentType: contentType }, metadata, abortSignal });
      await guarded('write', async (abortSignal) => {
        try {
          await upload(abortSignal);
        } catch (error) {
          if (statusOf(error) !== 404 || codeOf(error) !== 'ContainerNotFound') throw error;
          await container.createIfNotExists({ abortSignal });
          await upload(abortSignal);
        }
      });
    },
    async get(name) {
      try {
        return await guarded('read', (abortSignal) =>
          container.getBlockBlobClient(name).downloadToBuffer(undefined, undefined, { abortSignal }),
        );
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async ping() {
      await guarded('ping', (abortSignal) => container.getProperties({ abortSignal }));
    },
  };
}
