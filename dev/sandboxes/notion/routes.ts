/**
 * Notion API routes (version 2025-09-03): the bot user, the data source and its query, page read, create,
 * update and trash. Bodies and error codes follow developers.notion.com.
 */
import { randomUUID } from 'node:crypto';
import { fail, type RequestContext, type Router } from '../common/router';
import type { SandboxResponse } from '../common/types';
import type { NotionPage } from './data';
import type { NotionState } from './state';
import { decodeQueryCursor, encodeQueryCursor, nError, normaliseId } from './wire';

const MAX_PAGE_SIZE = 100;

function body(ctx: RequestContext): Record<string, unknown> {
  const value = ctx.json();
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(nError(400, 'invalid_json', 'Error parsing JSON body.'));
  return value as Record<string, unknown>;
}

const pageNotFound = (id: string) =>
  nError(
    404,
    'object_not_found',
    `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  );

/** The lower bound of a last_edited_time filter; only timestamp filters on last_edited_time are modelled. */
function sinceOf(filter: unknown): number | SandboxResponse {
  if (filter === undefined) return 0;
  const f = filter as { timestamp?: unknown; last_edited_time?: Record<string, unknown> };
  const condition = f && typeof f === 'object' && f.timestamp === 'last_edited_time' ? f.last_edited_time : undefined;
  if (!condition || typeof condition !== 'object')
    return nError(
      400,
      'validation_error',
      'body failed validation: the sandbox supports only {"timestamp":"last_edited_time", ...} filters.',
    );
  const [operator, value] = Object.entries(condition)[0] ?? [];
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    return nError(
      400,
      'validation_error',
      'body failed validation: body.filter.last_edited_time should be a valid ISO 8601 date string.',
    );
  if (operator === 'on_or_after') return ms;
  if (operator === 'after') return ms + 1;
  return nError(
    400,
    'validation_error',
    `body failed validation: the sandbox supports on_or_after and after, not ${String(operator)}.`,
  );
}

function descendingOf(sorts: unknown): boolean | SandboxResponse {
  // Without sorts Notion gives no useful order for incremental reads; the sandbox answers newest first.
  if (sorts === undefined) return true;
  if (!Array.isArray(sorts) || sorts.length !== 1)
    return nError(400, 'validation_error', 'body failed validation: the sandbox supports exactly one sort.');
  const sort = sorts[0] as { timestamp?: unknown; direction?: unknown };
  if (sort.timestamp !== 'last_edited_time' || (sort.direction !== 'ascending' && sort.direction !== 'descending')) {
    return nError(
      400,
      'validation_error',
      'body failed validation: the sandbox sorts only by last_edited_time ascending or descending.',
    );
  }
  return sort.direction === 'descending';
}

export function notionRoutes(router: Router, state: NotionState): void {
  const dataSourceOf = (ctx: RequestContext) =>
    normaliseId(ctx.params.id!) === state.ids.dataSourceId
      ? state
      : fail(
          nError(
            404,
            'object_not_found',
            `Could not find data_source with ID: ${ctx.params.id}. Make sure the relevant pages and databases are shared with your integration.`,
          ),
        );

  router.add('GET', '/v1/users/me', () => ({ status: 200, json: state.botUser() }));
  router.add('GET', '/v1/data_sources/:id', (ctx) => ({ status: 200, json: dataSourceOf(ctx).dataSource() }));
  router.add('POST', '/v1/data_sources/:id/query', (ctx) => {
    dataSourceOf(ctx);
    const input = body(ctx);
    const pageSize = input.page_size ?? MAX_PAGE_SIZE;
    if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      return nError(
        400,
        'validation_error',
        `body failed validation: body.page_size should be ≤ ${MAX_PAGE_SIZE}, instead was \`${JSON.stringify(pageSize)}\`.`,
      );
    }
    const since = sinceOf(input.filter);
    if (typeof since !== 'number') return since;
    const descending = descendingOf(input.sorts);
    if (typeof descending !== 'boolean') return descending;
    let offset = 0;
    if (input.start_cursor !== undefined) {
      const decoded =
        typeof input.start_cursor === 'string' ? decodeQueryCursor(state.ids.seed, input.start_cursor) : undefined;
      if (decoded === undefined)
        return nError(400, 'validation_error', 'body failed validation: body.start_cursor should be a valid uuid.');
      offset = decoded;
    }
    const view = state.pages.since(since, (page) => !page.in_trash);
    const results: NotionPage[] = [];
    for (let k = offset; k < Math.min(view.length, offset + pageSize); k += 1)
      results.push(view.at(descending ? view.length - 1 - k : k));
    const hasMore = offset + pageSize < view.length;
    return {
      status: 200,
      json: {
        object: 'list',
        results,
        next_cursor: hasMore ? encodeQueryCursor(state.ids.seed, offset + pageSize) : null,
        has_more: hasMore,
        type: 'page_or_data_source',
        page_or_data_source: {},
        request_id: randomUUID(),
      },
    };
  });
  router.add('GET', '/v1/pages/:id', (ctx) => {
    const page = state.pages.get(normaliseId(ctx.params.id!));
    return page ? { status: 200, json: page } : pageNotFound(ctx.params.id!);
  });
  router.add('POST', '/v1/pages', (ctx) => {
    const input = body(ctx);
    const parent = input.parent as { data_source_id?: unknown; database_id?: unknown } | undefined;
    const parentId = parent?.data_source_id ?? parent?.database_id;
    if (typeof parentId !== 'string')
      return nError(
        400,
        'validation_error',
        'body failed validation: body.parent should be defined, instead was `undefined`.',
      );
    if (![state.ids.dataSourceId, state.ids.databaseId].includes(normaliseId(parentId))) {
      return nError(
        404,
        'object_not_found',
        `Could not find data_source with ID: ${parentId}. Make sure the relevant pages and databases are shared with your integration.`,
      );
    }
    const result = state.createPage(input.properties);
    return typeof result === 'string' ? nError(400, 'validation_error', result) : { status: 200, json: result };
  });
  router.add('PATCH', '/v1/pages/:id', (ctx) => {
    const id = normaliseId(ctx.params.id!);
    const result = state.updatePage(id, body(ctx));
    if (result === undefined) return pageNotFound(ctx.params.id!);
    return typeof result === 'string' ? nError(400, 'validation_error', result) : { status: 200, json: result };
  });
}
