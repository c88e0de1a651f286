/** Turns a Salesforce sObject describe answer into the contract's entity descriptor. */
import type { EntityDescriptor, FieldType } from '../contract';

export interface DescribeField {
  name: string;
  type: string;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  referenceTo?: string[];
}

export interface DescribeResult {
  name: string;
  fields: DescribeField[];
}

// Salesforce's field types, folded onto the contract's few.
const TYPE_MAP: Record<string, FieldType> = {
  id: 'string',
  string: 'string',
  textarea: 'string',
  picklist: 'string',
  multipicklist: 'string',
  phone: 'string',
  email: 'string',
  url: 'string',
  int: 'number',
  double: 'number',
  currency: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  reference: 'reference',
  address: 'object',
  location: 'object',
};

export function describeToEntity(describe: DescribeResult): EntityDescriptor {
  return {
    name: describe.name,
    fields: describe.fields.map((field) => ({
      name: field.name,
      type: TYPE_MAP[field.type] ?? 'string',
      required: field.nillable === false && field.createable === true && field.type !== 'boolean' ? true : undefined,
      writable: field.updateable === true || field.createable === true,
      references: field.type === 'reference' ? field.referenceTo?.[0] : undefined,
    })),
    supportsIncremental: true,
    supportsWebhooks: true,
    supportsPush: true,
    reportsDeletions: true,
  };
}
