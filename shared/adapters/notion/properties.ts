/**
 * Notion page properties ↔ plain values. Reads flatten title / rich_text (plain text), number, select (name),
 * multi_select (names), date (start, or {start, end}), checkbox, url / email / phone; other types stay raw.
 * Writes turn plain values back into property values using the data source schema (name → type).
 */
import { AppError } from '../../core/app-error';
import type { FieldType } from '../contract';

type Json = Record<string, unknown>;

export type NotionSchema = Record<string, { id: string; type: string }>;

const plainText = (parts: unknown) =>
  Array.isArray(parts)
    ? parts.map((part) => String((part as Json).plain_text ?? (part as { text?: Json }).text?.content ?? '')).join('')
    : '';

export function flattenProperty(property: Json): unknown {
  const type = String(property.type);
  const value = property[type];
  switch (type) {
    case 'title':
    case 'rich_text':
      return plainText(value);
    case 'select':
    case 'status':
      return value ? (value as Json).name : null;
    case 'multi_select':
      return Array.isArray(value) ? value.map((option) => (option as Json).name) : [];
    case 'date': {
      if (!value) return null;
      const date = value as Json;
      return date.end ? { start: date.start, end: date.end } : date.start;
    }
    case 'number':
    case 'checkbox':
    case 'url':
    case 'email':
    case 'phone_number':
    case 'created_time':
    case 'last_edited_time':
      return value ?? null;
    default:
      return value ?? null; // people, relation, files, formula, rollup …: raw
  }
}

const text = (content: string) => [{ type: 'text', text: { content } }];

/** One plain value → a Notion property value for its schema type; throws validation for read-only types. */
export function propertyInput(name: string, type: string, value: unknown): Json {
  switch (type) {
    case 'title':
    case 'rich_text':
      return { [type]: value === null || value === undefined ? [] : text(String(value)) };
    case 'select':
    case 'status':
      return { [type]: value === null || value === undefined || value === '' ? null : { name: String(value) } };
    case 'multi_select':
      return {
        multi_select: (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]).map(
          (option) => ({ name: String(option) }),
        ),
      };
    case 'date':
      if (value === null || value === undefined || value === '') return { date: null };
      return { date: typeof value === 'object' ? value : { start: String(value) } };
    case 'number':
    case 'checkbox':
    case 'url':
    case 'email':
    case 'phone_number':
      // Passed through unchanged: Notion's own validation names a wrong type better than a guess here.
      return { [type]: value ?? null };
    default:
      throw new AppError('validation', `Notion property "${name}" of type ${type} cannot be written`, { target: name });
  }
}

/** Keys of `data` that are page metadata, not properties: ignored on push. */
export const PAGE_META_KEYS = new Set(['url', 'createdTime', 'lastEditedTime', 'inTrash', 'parentDataSourceId']);

export function toPropertyInputs(data: Json, schema: NotionSchema): Json {
  const properties: Json = {};
  for (const [key, value] of Object.entries(data)) {
    if (PAGE_META_KEYS.has(key)) continue;
    const property = schema[key];
    if (!property)
      throw new AppError('validation', `"${key}" is not a property of the Notion data source`, { target: key });
    properties[key] = propertyInput(key, property.type, value);
  }
  return properties;
}

export function fieldType(notionType: string): FieldType {
  switch (notionType) {
    case 'number':
      return 'number';
    case 'checkbox':
      return 'boolean';
    case 'date':
      return 'date';
    case 'created_time':
    case 'last_edited_time':
      return 'datetime';
    case 'multi_select':
    case 'people':
    case 'files':
      return 'array';
    case 'relation':
      return 'reference';
    case 'formula':
    case 'rollup':
      return 'object';
    default:
      return 'string';
  }
}

/** Types a push can set (others are computed or need ids we do not map). */
export const WRITABLE_TYPES = new Set([
  'title',
  'rich_text',
  'select',
  'status',
  'multi_select',
  'date',
  'number',
  'checkbox',
  'url',
  'email',
  'phone_number',
]);
