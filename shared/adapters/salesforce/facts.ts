/**
 * Salesforce REST facts the adapter depends on, as data: API version, paths, batch limits, header names and the
 * entities this product syncs. Values come from Salesforce's public REST API documentation.
 */
import { SALESFORCE_PROVIDER } from '../../core/providers';

export const SALESFORCE_FACTS = {
  defaultApiVersion: 'v60.0',
  /** A query batch holds at most this many records; LIMIT above it still pages through nextRecordsUrl. */
  maxBatchSize: 2000,
  /** IN lists are kept short so the query string stays far below URL length limits. */
  idsPerQuery: 200,
  /** `Sforce-Limit-Info: api-usage=used/max` on every REST answer. */
  limitInfoHeader: 'sforce-limit-info',
  /** REQUEST_LIMIT_EXCEEDED carries no Retry-After: wait this long before the limiter lets calls through again. */
  requestLimitBackoffMs: 60_000,
  entities: SALESFORCE_PROVIDER.entities.supported,
  /** Fields read for every entity; the rest come from describe. */
  systemFields: ['Id', 'SystemModstamp', 'IsDeleted'] as const,
  paths: {
    userinfo: '/services/oauth2/userinfo',
    data: (version: string) => `/services/data/${version}`,
  },
} as const;

export type SalesforceEntity = (typeof SALESFORCE_FACTS.entities)[number];

export function isSalesforceEntity(value: string): value is SalesforceEntity {
  return (SALESFORCE_FACTS.entities as readonly string[]).includes(value);
}

/** Salesforce ids: 15 case-sensitive or 18 case-safe alphanumerics. */
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Salesforce writes datetimes as 2024-01-02T03:04:05.000+0000; everything downstream wants ISO-8601 UTC. */
export function toIsoUtc(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // The wire form 2024-01-02T03:04:05.000+0000 (UTC, twice per record read) is read as Z without a regular expression.
  const wireUtc = value.length === 28 && value.charCodeAt(10) === 84 /* T */ && value.endsWith('+0000');
  // Most stamps are plainly valid: their ISO form is the same text with Z, no Date round trip needed.
  if (wireUtc && isPlainValidStamp(value)) return `${value.slice(0, 23)}Z`;
  const ms = Date.parse(wireUtc ? `${value.slice(0, 23)}Z` : value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The wire form's first 23 characters: 0 stands for any digit, every other character for itself. */
const STAMP_TEMPLATE = '0000-00-00T00:00:00.000';

function twoDigits(value: string, at: number): number {
  return (value.charCodeAt(at) - 48) * 10 + (value.charCodeAt(at + 1) - 48);
}

/**
 * A stamp whose fields are all in range without relying on Date's roll-over (day ≤ 28 exists in every month),
 * so Date.parse + toISOString would give back exactly its own text; anything else takes the Date path.
 */
function isPlainValidStamp(value: string): boolean {
  for (let at = 0; at < STAMP_TEMPLATE.length; at++) {
    const code = value.charCodeAt(at);
    const expected = STAMP_TEMPLATE.charCodeAt(at);
    if (expected === 48 /* 0 */ ? code < 48 || code > 57 : code !== expected) return false;
  }
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 28 &&
    twoDigits(value, 11) < 24 &&
    twoDigits(value, 14) < 60 &&
    twoDigits(value, 17) < 60
  );
}
