/**
 * Google Drive files (metadata). A full read first takes changes.getStartPageToken, then pages through files.list
 * (q = "trashed = false"); later reads follow changes.list from that token, where trashed files and removed
 * (permanently deleted) files arrive as deletions, and the last page hands out newStartPageToken. Drive v3 has
 * no conditional writes: expectedVersion is checked against the file's `version` right before writing. A pushed
 * delete moves the file to the trash (files.update, trashed = true) unless the integration opted into permanent
 * deletes (providerOptions.permanentDeletes: files.delete).
 */
import { AppError } from '../../core/app-error';
import type { FetchPage, ProviderRecord } from '../contract';
import type { ProviderHttpClient } from '../http';
import { encodeCursor, type FilesCursor } from './cursor';
import { isGone } from './events';
import { GOOGLE_FACTS } from './facts';

type DriveFile = Record<string, unknown> & { id: string; version?: string; modifiedTime?: string; trashed?: boolean };
type DriveChange = { fileId: string; removed?: boolean; time?: string; file?: DriveFile };

export function toFileRecord(file: DriveFile): ProviderRecord {
  return {
    id: file.id,
    entity: 'files',
    version: file.version,
    modifiedAt: file.modifiedTime,
    deleted: file.trashed === true,
    data: file,
  };
}

export async function fetchFiles(
  http: ProviderHttpClient,
  cursor: FilesCursor | undefined,
  pageSize: number,
  signal?: AbortSignal,
): Promise<FetchPage> {
  const limit = Math.max(1, Math.min(pageSize, GOOGLE_FACTS.maxFilesPerPage));
  let state = cursor;
  if (!state) {
    const { body } = await http.request<{ startPageToken?: string }>({
      operation: 'changes.getStartPageToken',
      path: GOOGLE_FACTS.paths.startPageToken,
      signal,
    });
    if (!body.startPageToken)
      throw new AppError('transient', 'Drive answered without a startPageToken', { target: 'startPageToken' });
    state = { v: 1, kind: 'files', mode: 'full', start: body.startPageToken };
  }
  if (state.mode === 'full') {
    const { body } = await http.request<{ files?: DriveFile[]; nextPageToken?: string }>({
      operation: 'files.list',
      path: GOOGLE_FACTS.paths.files,
      query: { q: 'trashed = false', pageSize: limit, pageToken: state.page, fields: 'nextPageToken,files(*)' },
      signal,
    });
    const records = (body.files ?? []).map(toFileRecord);
    if (body.nextPageToken)
      return { records, nextCursor: encodeCursor({ ...state, page: body.nextPageToken }), done: false };
    return {
      records,
      nextCursor: encodeCursor({ v: 1, kind: 'files', mode: 'incremental', start: state.start, page: state.start }),
      done: true,
    };
  }
  const { body } = await http.request<{ changes?: DriveChange[]; nextPageToken?: string; newStartPageToken?: string }>({
    operation: 'changes.list',
    path: GOOGLE_FACTS.paths.changes,
    query: {
      pageToken: state.page ?? state.start,
      pageSize: limit,
      includeRemoved: true,
      fields: 'nextPageToken,newStartPageToken,changes(*)',
    },
    signal,
  });
  const records = (body.changes ?? []).map((change) =>
    change.removed || !change.file
      ? { id: change.fileId, entity: 'files', modifiedAt: change.time, deleted: true, data: { id: change.fileId } }
      : toFileRecord(change.file),
  );
  if (body.nextPageToken)
    return { records, nextCursor: encodeCursor({ ...state, page: body.nextPageToken }), done: false };
  const next = body.newStartPageToken ?? state.page ?? state.start;
  return {
    records,
    nextCursor: encodeCursor({ v: 1, kind: 'files', mode: 'incremental', start: next, page: next }),
    done: true,
  };
}

export async function fetchFile(
  http: ProviderHttpClient,
  id: string,
  signal?: AbortSignal,
): Promise<ProviderRecord | undefined> {
  try {
    const { body } = await http.request<DriveFile>({
      operation: 'files.get',
      path: `${GOOGLE_FACTS.paths.files}/${encodeURIComponent(id)}`,
      query: { fields: '*' },
      signal,
    });
    return toFileRecord(body);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

export async function writeFile(
  http: ProviderHttpClient,
  operation: {
    kind: 'create' | 'update' | 'delete';
    id?: string;
    data?: Record<string, unknown>;
    expectedVersion?: string;
    /** A delete removes the file for good (files.delete) instead of moving it to the trash. */
    permanent?: boolean;
  },
  signal?: AbortSignal,
): Promise<{ id: string; version?: string }> {
  if (operation.kind !== 'create' && operation.expectedVersion !== undefined) {
    const current = await fetchFile(http, operation.id!, signal);
    if (current && current.version !== operation.expectedVersion) {
      throw new AppError('conflict', `file ${operation.id} changed since version ${operation.expectedVersion}`, {
        target: operation.id,
        details: { currentVersion: current.version },
      });
    }
  }
  if (operation.kind === 'create') {
    const { body } = await http.request<DriveFile>({
      operation: 'files.create',
      method: 'POST',
      path: GOOGLE_FACTS.paths.files,
      query: { fields: '*' },
      json: operation.data,
      signal,
    });
    return { id: body.id, version: body.version };
  }
  const path = `${GOOGLE_FACTS.paths.files}/${encodeURIComponent(operation.id!)}`;
  if (operation.kind === 'update') {
    const { body } = await http.request<DriveFile>({
      operation: 'files.update',
      method: 'PATCH',
      path,
      query: { fields: '*' },
      json: operation.data,
      signal,
    });
    return { id: body.id, version: body.version };
  }
  try {
    if (operation.permanent) {
      await http.request({ operation: 'files.delete', method: 'DELETE', path, signal });
      return { id: operation.id! };
    }
    // Drive's own delete in its UI: the owner can restore the file from the trash for 30 days.
    const { body } = await http.request<DriveFile>({
      operation: 'files.update',
      method: 'PATCH',
      path,
      query: { fields: 'id,version,trashed' },
      json: { trashed: true },
      signal,
    });
    return { id: operation.id!, version: body.version };
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  return { id: operation.id! };
}
