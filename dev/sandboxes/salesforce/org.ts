/**
 * The Salesforce sandbox's data: one lazy store per sObject (seeded rows computed on demand, changes in small
 * overlays), soft deletion into the recycle bin (IsDeleted = true, as queryAll and /deleted/ see it), and SOQL
 * execution that walks the (SystemModstamp, Id) order lazily when the query allows it.
 */
import { LazyRecordStore } from '../common/lazy-store';
import type { SoqlCondition, SoqlQuery } from './soql';
import { matches, orderComparator } from './soql-eval';
import {
  SOBJECTS,
  SOBJECT_NAMES,
  baseModifiedMs,
  formatDatetime,
  generateRow,
  indexOfId,
  sobjectId,
  type SObjectName,
  type SObjectRow,
} from './schema';

export type OrgChange = { object: SObjectName; kind: 'created' | 'updated' | 'deleted'; row: SObjectRow };

export class SalesforceOrg {
  private readonly stores: Record<SObjectName, LazyRecordStore<SObjectRow>>;
  private readonly nextIndex: Record<SObjectName, number>;
  private lastStampMs = 0;
  readonly organizationId = '00D5g000004SandAAA';

  constructor(
    readonly recordsPerObject: number,
    private readonly seed: number,
    private readonly onChange: (change: OrgChange) => void = () => undefined,
  ) {
    const make = (object: SObjectName): LazyRecordStore<SObjectRow> =>
      new LazyRecordStore<SObjectRow>({
        baseCount: recordsPerObject,
        generate: (index) => generateRow(object, index, seed, recordsPerObject),
        indexOf: (id) => indexOfId(object, id),
        idOf: (row) => row.Id,
        modifiedMsOf: (row) => Date.parse(row.SystemModstamp),
        baseModifiedMs,
      });
    this.stores = { Account: make('Account'), Contact: make('Contact'), Opportunity: make('Opportunity') };
    this.nextIndex = { Account: recordsPerObject, Contact: recordsPerObject, Opportunity: recordsPerObject };
  }

  static isObject(name: string): name is SObjectName {
    return (SOBJECT_NAMES as string[]).includes(name);
  }

  /** A row as the API sees it: deleted rows only when includeDeleted (queryAll, recycle bin). */
  get(object: SObjectName, id: string, includeDeleted = false): SObjectRow | undefined {
    const index = id.length === 15 ? indexOfId(object, id) : undefined;
    const row = this.stores[object].get(index === undefined ? id : sobjectId(object, index));
    return row && (includeDeleted || !row.IsDeleted) ? row : undefined;
  }

  count(object: SObjectName): number {
    return this.stores[object].count();
  }

  create(object: SObjectName, fields: Record<string, unknown>): SObjectRow {
    const index = this.nextIndex[object]++;
    const stamp = this.stamp(object);
    const row = {
      ...fields,
      Id: sobjectId(object, index),
      IsDeleted: false,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    } as SObjectRow;
    for (const field of SOBJECTS[object].fields) if (!(field.name in row)) row[field.name] = null;
    this.stores[object].put(row);
    this.onChange({ object, kind: 'created', row });
    return row;
  }

  update(object: SObjectName, id: string, fields: Record<string, unknown>): SObjectRow | undefined {
    const current = this.get(object, id);
    if (!current) return undefined;
    const stamp = this.stamp(object);
    const row = {
      ...current,
      ...fields,
      Id: current.Id,
      IsDeleted: false,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    } as SObjectRow;
    this.stores[object].put(row);
    this.onChange({ object, kind: 'updated', row });
    return row;
  }

  /** Salesforce deletes into the recycle bin: the row stays visible to queryAll with IsDeleted = true. */
  softDelete(object: SObjectName, id: string): SObjectRow | undefined {
    const current = this.get(object, id);
    if (!current) return undefined;
    const stamp = this.stamp(object);
    const row = { ...current, IsDeleted: true, LastModifiedDate: stamp, SystemModstamp: stamp } as SObjectRow;
    this.stores[object].put(row);
    this.onChange({ object, kind: 'deleted', row });
    return row;
  }

  /** Deleted rows whose deletion time lies in [startMs, endMs], for /sobjects/{S}/deleted/. */
  deletedBetween(object: SObjectName, startMs: number, endMs: number): SObjectRow[] {
    const view = this.stores[object].since(
      Math.max(startMs, this.stores[object].minimumChangeMs),
      (row) => row.IsDeleted,
    );
    const out: SObjectRow[] = [];
    for (let k = 0; k < view.length; k += 1) {
      const row = view.at(k);
      if (row.IsDeleted && Date.parse(row.SystemModstamp) <= endMs) out.push(row);
    }
    return out;
  }

  /** Rows matching the query, ordered and limited; `includeDeleted` for queryAll. */
  run(query: SoqlQuery, includeDeleted: boolean): SObjectRow[] {
    const object = query.object as SObjectName;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const keep = (row: SObjectRow): boolean => (includeDeleted || !row.IsDeleted) && matches(row, query.where);
    const ids = idsOf(query.where);
    let rows: SObjectRow[] = [];
    if (ids) {
      for (const id of ids) {
        const row = this.get(object, id, true);
        if (row && keep(row)) rows.push(row);
      }
    } else {
      const view = this.stores[object].since(lowerBoundMs(query.where));
      const streaming = inStoreOrder(query);
      for (let k = 0; k < view.length && (!streaming || rows.length < limit); k += 1) {
        const row = view.at(k);
        if (keep(row)) rows.push(row);
      }
    }
    if (query.orderBy.length > 0) rows.sort(orderComparator(query));
    if (rows.length > limit) rows = rows.slice(0, limit);
    return rows;
  }

  /** Changes get a timestamp after all seeded history and after every earlier change. */
  private stamp(object: SObjectName): string {
    this.lastStampMs = Math.max(Date.now(), this.stores[object].minimumChangeMs, this.lastStampMs + 1);
    return formatDatetime(this.lastStampMs);
  }
}

/** The store lists rows by (SystemModstamp, Id) ascending; such queries can stop at LIMIT. */
function inStoreOrder(query: SoqlQuery): boolean {
  const [first, second, ...rest] = query.orderBy;
  if (!first) return false;
  if (first.field !== 'SystemModstamp' || first.descending || rest.length > 0) return false;
  return !second || (second.field === 'Id' && !second.descending);
}

/** The earliest SystemModstamp any matching row can have (0 when the condition does not bound it). */
function lowerBoundMs(condition: SoqlCondition | undefined): number {
  if (!condition) return 0;
  switch (condition.kind) {
    case 'and':
      return Math.max(lowerBoundMs(condition.left), lowerBoundMs(condition.right));
    case 'or':
      return Math.min(lowerBoundMs(condition.left), lowerBoundMs(condition.right));
    case 'compare': {
      const value = condition.value;
      const bounded =
        condition.field === 'SystemModstamp' &&
        ['>', '>=', '='].includes(condition.op) &&
        value !== null &&
        typeof value === 'object';
      return bounded ? value.datetime : 0;
    }
    default:
      return 0;
  }
}

/** The ids a condition restricts Id to, when it does (Id = 'x', Id IN (...), combined with AND). */
function idsOf(condition: SoqlCondition | undefined): string[] | undefined {
  if (!condition) return undefined;
  if (
    condition.kind === 'compare' &&
    condition.field === 'Id' &&
    condition.op === '=' &&
    typeof condition.value === 'string'
  )
    return [condition.value];
  if (condition.kind === 'in' && condition.field === 'Id' && !condition.negated)
    return condition.values.filter((v): v is string => typeof v === 'string');
  if (condition.kind === 'and') return idsOf(condition.left) ?? idsOf(condition.right);
  return undefined;
}
