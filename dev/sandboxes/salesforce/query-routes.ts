/**
 * /query and /queryAll with SOQL, batches of up to 2,000 rows (Sforce-Query-Options: batchSize=N asks for fewer,
 * never below 200), and query locators behind nextRecordsUrl that expire like the real ones do.
 */
import type { Router } from '../common/router';
import type { SalesforceOrg } from './org';
import { SOBJECTS, type SObjectName, type SObjectRow } from './schema';
import { parseSoql, SoqlError, type SoqlQuery } from './soql';
import { sfFail, wireRecord } from './wire';

const MAX_BATCH = 2000;
const MIN_BATCH = 200;
const LOCATOR_TTL_MS = 15 * 60_000;
const MAX_LOCATORS = 50;

interface Locator {
  query: SoqlQuery;
  rows: SObjectRow[];
  batchSize: number;
  expiresAt: number;
}

export function batchSizeOf(header: string | string[] | undefined): number {
  const match = /batchSize=(\d+)/i.exec(Array.isArray(header) ? header.join(',') : (header ?? ''));
  if (!match) return MAX_BATCH;
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, Number(match[1])));
}

export function addQueryRoutes(router: Router, org: SalesforceOrg): void {
  const locators = new Map<string, Locator>();
  let counter = 0;

  // A QueryAll answer's nextRecordsUrl names /query/ too (Salesforce's "QueryAll More Results"); either resource
  // continues any locator, and a QueryAll locator keeps returning the deleted rows it matched.
  const page = (version: string, key: string, locator: Locator, offset: number) => {
    const end = Math.min(locator.rows.length, offset + locator.batchSize);
    const done = end >= locator.rows.length;
    const records = locator.rows
      .slice(offset, end)
      .map((row) => wireRecord(locator.query.object, version, row, locator.query.fields));
    if (done) locators.delete(key);
    const json: Record<string, unknown> = { totalSize: locator.rows.length, done, records };
    if (!done) json.nextRecordsUrl = `/services/data/${version}/query/${key}-${end}`;
    return { status: 200, json };
  };

  for (const resource of ['query', 'queryAll'] as const) {
    router.add('GET', `/services/data/:version/${resource}`, (ctx) => {
      const q = ctx.query.get('q');
      if (!q) sfFail(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      let query: SoqlQuery;
      try {
        query = parseSoql(q, (name) => {
          const found = Object.keys(SOBJECTS).find((object) => object.toLowerCase() === name.toLowerCase()) as
            SObjectName | undefined;
          return found ? { name: found, fields: SOBJECTS[found].fields.map((field) => field.name) } : undefined;
        });
      } catch (error) {
        if (error instanceof SoqlError) sfFail(400, error.errorCode, error.message);
        throw error;
      }
      const rows = org.run(query, resource === 'queryAll');
      const key = `01gSB${(counter++).toString(36).toUpperCase().padStart(10, '0')}`;
      const locator: Locator = {
        query,
        rows,
        batchSize: batchSizeOf(ctx.headers['sforce-query-options']),
        expiresAt: Date.now() + LOCATOR_TTL_MS,
      };
      if (rows.length > locator.batchSize) {
        // Like the real org, only so many cursors stay open: the oldest goes first.
        if (locators.size >= MAX_LOCATORS) locators.delete(locators.keys().next().value as string);
        locators.set(key, locator);
      }
      return page(ctx.params.version!, key, locator, 0);
    });

    router.add('GET', `/services/data/:version/${resource}/:locator`, (ctx) => {
      const match = /^(.+)-(\d+)$/.exec(ctx.params.locator ?? '');
      const locator = match ? locators.get(match[1]!) : undefined;
      if (!match || !locator || locator.expiresAt < Date.now())
        sfFail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      return page(ctx.params.version!, match[1]!, locator, Number(match[2]));
    });
  }
}
