/**
 * A provider adapter over pages already in memory (cursor = page index), for measuring the page pipeline
 * without HTTP. Only reads are offered; the rest is not part of what the benchmark measures.
 */
import type {
  FetchByIdsRequest,
  FetchByIdsResult,
  FetchChangesRequest,
  FetchPage,
  ProviderAdapter,
  ProviderRecord,
} from '../../../shared/adapters/contract';
import type { ProviderId } from '../../../shared/core/providers';
import { notImplemented } from '../../../shared/core/app-error';

export function memoryAdapter(provider: ProviderId, pages: ProviderRecord[][]): ProviderAdapter {
  const byId = new Map<string, ProviderRecord>();
  for (const page of pages) for (const record of page) byId.set(`${record.entity}|${record.id}`, record);
  return {
    provider,
    connect: () => Promise.reject(notImplemented('connect in the benchmark adapter')),
    disconnect: async () => undefined,
    healthCheck: () => Promise.reject(notImplemented('healthCheck in the benchmark adapter')),
    discover: () => Promise.reject(notImplemented('discover in the benchmark adapter')),
    push: () => Promise.reject(notImplemented('push in the benchmark adapter')),
    async fetchChanges(request: FetchChangesRequest): Promise<FetchPage> {
      const index = request.cursor ? Number(request.cursor) : 0;
      const done = index + 1 >= pages.length;
      return { records: pages[index] ?? [], nextCursor: String(index + 1), done };
    },
    async fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult> {
      const records: ProviderRecord[] = [];
      const missingIds: string[] = [];
      for (const id of request.ids) {
        const record = byId.get(`${request.entity}|${id}`);
        if (record) records.push(record);
        else missingIds.push(id);
      }
      return { records, missingIds };
    },
  };
}
