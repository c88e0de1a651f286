/**
 * Validates page property values sent to POST/PATCH /v1/pages against the data source schema, the way
 * Notion answers: 400 validation_error naming the property. Returns the stored (wire) values.
 */
import { propertyValue, richText, SCHEMA, selectOption } from './data';

export type PropertyResult =
  { ok: true; properties: Record<string, Record<string, unknown>> } | { ok: false; message: string };

function richTextContent(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  let text = '';
  for (const part of value) {
    if (!part || typeof part !== 'object') return undefined;
    const content = (part as { text?: { content?: unknown } }).text?.content;
    if (typeof content !== 'string') return undefined;
    text += content;
  }
  return text;
}

function convert(name: string, type: string, input: Record<string, unknown>): Record<string, unknown> | string {
  const value = input[type];
  const wrong = `body failed validation: body.properties.${name}.${type} is not a valid ${type} value.`;
  if (!(type in input))
    return `body failed validation: body.properties.${name}.${type} should be defined, instead was \`undefined\`.`;
  switch (type) {
    case 'title':
    case 'rich_text': {
      const text = richTextContent(value);
      return text === undefined ? wrong : propertyValue(name, { [type]: richText(text) });
    }
    case 'number':
      return value === null || (typeof value === 'number' && Number.isFinite(value))
        ? propertyValue(name, { number: value })
        : `body failed validation: body.properties.${name}.number should be a number or \`null\`, instead was \`${JSON.stringify(value)}\`.`;
    case 'checkbox':
      return typeof value === 'boolean' ? propertyValue(name, { checkbox: value }) : wrong;
    case 'select': {
      if (value === null) return propertyValue(name, { select: null });
      const optionName = value && typeof value === 'object' ? (value as { name?: unknown }).name : undefined;
      return typeof optionName === 'string' && optionName !== '' && !optionName.includes(',')
        ? propertyValue(name, { select: selectOption(optionName) })
        : wrong;
    }
    case 'multi_select': {
      if (
        !Array.isArray(value) ||
        !value.every(
          (option) => option && typeof option === 'object' && typeof (option as { name?: unknown }).name === 'string',
        )
      )
        return wrong;
      return propertyValue(name, {
        multi_select: value.map((option) => selectOption(String((option as { name: string }).name))),
      });
    }
    case 'date': {
      if (value === null) return propertyValue(name, { date: null });
      const start = value && typeof value === 'object' ? (value as { start?: unknown }).start : undefined;
      if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return wrong;
      const end = (value as { end?: unknown }).end;
      return propertyValue(name, { date: { start, end: typeof end === 'string' ? end : null, time_zone: null } });
    }
    default:
      return wrong;
  }
}

export function validateProperties(input: unknown): PropertyResult {
  if (input === undefined) return { ok: true, properties: {} };
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, message: 'body failed validation: body.properties should be an object.' };
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const schema = SCHEMA[name] ?? Object.entries(SCHEMA).find(([, entry]) => entry.id === name)?.[1];
    const key = SCHEMA[name] ? name : Object.keys(SCHEMA).find((candidate) => SCHEMA[candidate]!.id === name);
    if (!schema || !key) return { ok: false, message: `${name} is not a property that exists.` };
    if (!raw || typeof raw !== 'object')
      return { ok: false, message: `body failed validation: body.properties.${name} should be an object.` };
    const converted = convert(key, schema.type, raw as Record<string, unknown>);
    if (typeof converted === 'string') return { ok: false, message: converted };
    properties[key] = converted;
  }
  return { ok: true, properties };
}

/** Default values for properties a created page does not set. */
export function emptyProperties(): Record<string, Record<string, unknown>> {
  return {
    Name: propertyValue('Name', { title: [] }),
    Status: propertyValue('Status', { select: null }),
    Priority: propertyValue('Priority', { number: null }),
    Due: propertyValue('Due', { date: null }),
    Done: propertyValue('Done', { checkbox: false }),
    Notes: propertyValue('Notes', { rich_text: [] }),
    Tags: propertyValue('Tags', { multi_select: [] }),
  };
}
