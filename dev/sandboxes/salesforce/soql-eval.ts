/**
 * Evaluates parsed SOQL against plain records: the WHERE predicate and the ORDER BY comparator. Strings compare
 * case-insensitively (as SOQL does), datetime literals compare against ISO-8601 field values as instants, and
 * nulls sort first in ascending order, which is Salesforce's default.
 */
import type { SoqlCondition, SoqlLiteral, SoqlQuery } from './soql';

type Row = Record<string, unknown>;

export function matches(row: Row, condition: SoqlCondition | undefined): boolean {
  if (!condition) return true;
  switch (condition.kind) {
    case 'and':
      return matches(row, condition.left) && matches(row, condition.right);
    case 'or':
      return matches(row, condition.left) || matches(row, condition.right);
    case 'not':
      return !matches(row, condition.inner);
    case 'in': {
      const found = condition.values.some((value) => compare(row[condition.field], value) === 0);
      return condition.negated ? !found : found;
    }
    case 'compare': {
      const fieldValue = row[condition.field];
      if (condition.value === null || fieldValue === null || fieldValue === undefined) {
        const bothNull = condition.value === null && (fieldValue === null || fieldValue === undefined);
        if (condition.op === '=') return bothNull;
        if (condition.op === '!=') return !bothNull;
        return false;
      }
      const order = compare(fieldValue, condition.value);
      if (order === undefined) return false;
      switch (condition.op) {
        case '=':
          return order === 0;
        case '!=':
          return order !== 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
      }
    }
  }
}

/** Field value against literal: negative, zero, positive, or undefined when they cannot be compared. */
function compare(fieldValue: unknown, literal: SoqlLiteral): number | undefined {
  if (fieldValue === null || fieldValue === undefined || literal === null)
    return fieldValue === literal || (fieldValue == null && literal === null) ? 0 : undefined;
  if (typeof literal === 'object') {
    const instant = typeof fieldValue === 'string' ? Date.parse(fieldValue) : NaN;
    return Number.isNaN(instant) ? undefined : Math.sign(instant - literal.datetime);
  }
  if (typeof literal === 'number') return typeof fieldValue === 'number' ? Math.sign(fieldValue - literal) : undefined;
  if (typeof literal === 'boolean')
    return typeof fieldValue === 'boolean' ? (fieldValue === literal ? 0 : fieldValue ? 1 : -1) : undefined;
  return typeof fieldValue === 'string' ? compareText(fieldValue, literal) : undefined;
}

function compareText(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

export function orderComparator(query: SoqlQuery): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const { field, descending } of query.orderBy) {
      const order = compareValues(a[field], b[field]);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  // ISO-8601 UTC timestamps of one format and Salesforce ids both sort correctly as plain strings.
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The fields the query selected, in the order it named them. */
export function project(row: Row, query: SoqlQuery): Row {
  const out: Row = {};
  for (const field of query.fields) out[field] = row[field] ?? null;
  return out;
}
