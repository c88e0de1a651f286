/**
 * Google's partial responses (the `fields` parameter) in the sandbox: a comma-separated selection of names, where
 * `a/b` selects inside an object, `a(b,c)` selects b and c inside a (of each element when a is an array) and `*`
 * selects everything at its level. Only what is selected is answered: `fields=files(id)` leaves nextPageToken out,
 * as Drive does, so a client that forgets to ask for the page token stops after one page.
 */
import { googleFail } from './wire';

type Mask = Map<string, Mask | true>;

/** Splits at commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) break;
  }
  if (depth !== 0) googleFail(400, 'invalidParameter', 'Invalid field selection', { location: fieldsParameter });
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

const fieldsParameter = { type: 'parameter', name: 'fields' } as const;

function merge(mask: Mask, name: string, inner: Mask | true): void {
  const current = mask.get(name);
  if (current === true || inner === true) mask.set(name, true);
  else if (current) for (const [key, value] of inner) merge(current, key, value);
  else mask.set(name, inner);
}

export function parseFields(text: string): Mask {
  const mask: Mask = new Map();
  for (const part of splitTopLevel(text)) {
    const open = part.indexOf('(');
    const path = (open < 0 ? part : part.slice(0, open)).trim();
    const names = path.split('/').map((name) => name.trim());
    if (names.some((name) => !/^(\*|[A-Za-z_][A-Za-z0-9_]*)$/.test(name)) || (open >= 0 && !part.endsWith(')')))
      googleFail(400, 'invalidParameter', `Invalid field selection ${part}`, { location: fieldsParameter });
    let inner: Mask | true = open < 0 ? true : parseFields(part.slice(open + 1, -1));
    for (let i = names.length - 1; i > 0; i -= 1) inner = new Map([[names[i]!, inner]]);
    merge(mask, names[0]!, inner);
  }
  return mask;
}

export function applyFields(value: unknown, mask: Mask | true): unknown {
  if (mask === true || mask.has('*')) return value;
  if (Array.isArray(value)) return value.map((item) => applyFields(item, mask));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of mask) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = applyFields(field, inner);
  }
  return out;
}
