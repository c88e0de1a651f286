/**
 * Drive API v3 in the sandbox: files.list (pageToken, q "trashed = false" only; without it trashed files are
 * listed too, as Drive does), files.get / create / update (trashed = true moves to the trash) / delete
 * (permanent), changes.getStartPageToken and changes.list with nextPageToken and, on the last page,
 * newStartPageToken. Without a `fields` parameter files carry only kind, id, name and mimeType, as Drive's do;
 * with one, answers hold exactly the selected fields (partial responses, fields.ts).
 */
import type { RequestContext, Router } from '../common/router';
import type { DriveFile, DriveStore } from './drive-store';
import { applyFields, parseFields } from './fields';
import { decodeToken, encodeToken, googleFail } from './wire';

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const WRITABLE = ['name', 'mimeType', 'description', 'trashed', 'starred', 'properties', 'appProperties'];

/** A file in a list or change: whole when the caller selected fields (masked later), else Drive's default four. */
function shape(file: DriveFile, ctx: RequestContext): Record<string, unknown> {
  if (ctx.query.get('fields')) return { kind: 'drive#file', ...file };
  return { kind: 'drive#file', id: file.id, name: file.name, mimeType: file.mimeType };
}

/** The answer with only the fields the caller selected (the whole answer when it selected none). */
function select(json: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const fields = ctx.query.get('fields');
  return fields ? (applyFields(json, parseFields(fields)) as Record<string, unknown>) : json;
}

function pageSizeOf(ctx: RequestContext): number {
  return Math.min(MAX_PAGE, Math.max(1, Number(ctx.query.get('pageSize') ?? DEFAULT_PAGE) || DEFAULT_PAGE));
}

function metadata(ctx: RequestContext): Record<string, unknown> {
  const body = ctx.json();
  if (!body || typeof body !== 'object' || Array.isArray(body)) googleFail(400, 'parseError', 'Parse Error');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!WRITABLE.includes(key))
      googleFail(
        403,
        'fieldNotWritable',
        `The resource body includes fields which are not directly writable. (${key})`,
      );
    out[key] = value;
  }
  if (out.name !== undefined && typeof out.name !== 'string') googleFail(400, 'invalid', 'Invalid value for name');
  return out;
}

/**
 * Which files a caller may see: a drive.file grant sees only the files the app created (Drive answers 404 for
 * the others, as for a file that does not exist); wider grants see every file.
 */
export interface DriveAccess {
  appFilesOnly(ctx: RequestContext): boolean;
}

export function addDriveRoutes(
  router: Router,
  drive: DriveStore,
  access: DriveAccess = { appFilesOnly: () => false },
): void {
  const appFiles = new Set<string>();
  const visible = (ctx: RequestContext, id: string): boolean => !access.appFilesOnly(ctx) || appFiles.has(id);
  const visibleFile = (ctx: RequestContext): DriveFile => {
    const id = ctx.params.fileId ?? '';
    const file = visible(ctx, id) ? drive.get(id) : undefined;
    return (
      file ?? googleFail(404, 'notFound', `File not found: ${id}.`, { location: { type: 'parameter', name: 'fileId' } })
    );
  };

  router.add('GET', '/drive/v3/changes/startPageToken', () => ({
    status: 200,
    json: { kind: 'drive#startPageToken', startPageToken: drive.startPageToken },
  }));

  router.add('GET', '/drive/v3/changes', (ctx) => {
    const token = Number(ctx.query.get('pageToken') ?? '');
    if (!Number.isInteger(token) || token < 1) googleFail(400, 'invalid', 'Invalid Value');
    const page = drive.changes(token, pageSizeOf(ctx));
    const changes = page.changes
      .filter(({ change }) => visible(ctx, change.fileId))
      .map(({ change, file }) => ({
        kind: 'drive#change',
        changeType: 'file',
        time: change.time,
        removed: change.removed,
        fileId: change.fileId,
        ...(file ? { file: shape(file, ctx) } : {}),
      }));
    return {
      status: 200,
      json: select(
        {
          kind: 'drive#changeList',
          ...(page.nextPageToken
            ? { nextPageToken: page.nextPageToken }
            : { newStartPageToken: page.newStartPageToken }),
          changes,
        },
        ctx,
      ),
    };
  });

  router.add('GET', '/drive/v3/files', (ctx) => {
    const q = ctx.query.get('q');
    const onlyLive = q !== null && /^\s*trashed\s*=\s*false\s*$/.test(q);
    if (q !== null && !onlyLive) googleFail(400, 'invalid', 'Invalid Value');
    const pageToken = ctx.query.get('pageToken');
    const state = pageToken ? decodeToken(pageToken) : { a: 0, i: '' };
    if (!state || typeof state.a !== 'number' || typeof state.i !== 'string')
      googleFail(400, 'invalid', 'Invalid Value');
    const limit = pageSizeOf(ctx);
    const view = drive.store.since(state.a);
    const files: DriveFile[] = [];
    let more = false;
    for (let k = 0; k < view.length; k += 1) {
      const file = view.at(k);
      if (Date.parse(file.modifiedTime) === state.a && file.id <= state.i) continue;
      if (file.removed || (onlyLive && file.trashed) || !visible(ctx, file.id)) continue;
      if (files.length === limit) {
        more = true;
        break;
      }
      files.push(file);
    }
    const last = files[files.length - 1];
    const json: Record<string, unknown> = {
      kind: 'drive#fileList',
      incompleteSearch: false,
      files: files.map((file) => shape(file, ctx)),
    };
    if (more && last) json.nextPageToken = encodeToken({ a: Date.parse(last.modifiedTime), i: last.id });
    return { status: 200, json: select(json, ctx) };
  });

  router.add('GET', '/drive/v3/files/:fileId', (ctx) => ({
    status: 200,
    json: select(shape(visibleFile(ctx), ctx), ctx),
  }));

  router.add('POST', '/drive/v3/files', (ctx) => {
    const file = drive.create(metadata(ctx));
    appFiles.add(file.id);
    return { status: 200, json: select(shape(file, ctx), ctx) };
  });

  // files.update; `trashed: true` moves the file to the trash (files.list still lists it unless q excludes it).
  router.add('PATCH', '/drive/v3/files/:fileId', (ctx) => {
    const fields = metadata(ctx);
    const file = drive.update(visibleFile(ctx).id, fields)!;
    return { status: 200, json: select(shape(file, ctx), ctx) };
  });

  // files.delete: permanent, no trash.
  router.add('DELETE', '/drive/v3/files/:fileId', (ctx) => {
    drive.remove(visibleFile(ctx).id);
    return { status: 204 };
  });
}
