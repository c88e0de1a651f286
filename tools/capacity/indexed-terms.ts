/**
 * Indexed terms of a document under the "index everything" policy that infra/modules/cosmos.bicep keeps on every
 * container (`/*` included, only `/"_etag"/?` excluded): one term per leaf value (string, number, boolean, null)
 * and per array element, at its path. Cosmos's own system properties (`_rid`, `_self`, `_etag`, `_ts`,
 * `_attachments`) are not the application's terms and are left out.
 */
const SYSTEM_PROPERTIES = new Set(['_rid', '_self', '_etag', '_ts', '_attachments', '_lsn']);

/** Every indexed leaf as `path → value` (values JSON-encoded, so that a changed type counts as a change). */
export function indexedLeaves(document: unknown): Map<string, string> {
  const leaves = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}/${index}`));
      if (value.length === 0) leaves.set(path, '[]');
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [key, child] of entries) {
        if (path === '' && SYSTEM_PROPERTIES.has(key)) continue;
        walk(child, `${path}/${key}`);
      }
      if (entries.length === 0) leaves.set(path, '{}');
    } else if (value !== undefined) leaves.set(path, JSON.stringify(value));
  };
  walk(document, '');
  return leaves;
}

export const indexedTermCount = (document: unknown): number => indexedLeaves(document).size;

/** Terms a replace removes or adds: leaves whose value changed, appeared or disappeared. */
export function changedTermCount(before: unknown, after: unknown): number {
  const old = indexedLeaves(before);
  const next = indexedLeaves(after);
  let changed = 0;
  for (const [path, value] of next) if (old.get(path) !== value) changed++;
  for (const path of old.keys()) if (!next.has(path)) changed++;
  return changed;
}
