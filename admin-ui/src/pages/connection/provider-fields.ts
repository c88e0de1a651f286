/**
 * The provider options each adapter reads (shared/adapters/<provider>), as form fields: what the Settings page
 * shows per provider. Values are turned into the `providerOptions` the API validates; its 400 names the field
 * (`providerOptions.repositories`), which is shown next to it.
 */
export type OptionField =
  | { key: string; label: string; kind: 'list'; hint: string }
  | { key: string; label: string; kind: 'text'; hint: string }
  | { key: string; label: string; kind: 'number'; hint: string }
  | { key: string; label: string; kind: 'boolean'; hint: string }
  | { key: string; label: string; kind: 'choice'; hint: string; choices: readonly string[] };

export const PROVIDER_OPTION_FIELDS: Record<string, OptionField[]> = {
  github: [
    {
      key: 'repositories',
      label: 'Repositories',
      kind: 'list',
      hint: 'One owner/repo per line; required: the issues and comments of these repositories are synced.',
    },
  ],
  salesforce: [
    { key: 'apiVersion', label: 'API version', kind: 'text', hint: 'e.g. v60.0; empty: the adapter’s default.' },
  ],
  notion: [
    {
      key: 'dataSourceId',
      label: 'Data source id',
      kind: 'text',
      hint: 'The UUID of the Notion data source (database) whose pages are synced; required.',
    },
  ],
  slack: [
    { key: 'channels', label: 'Channels', kind: 'list', hint: 'One channel id (C…) per line; required for messages.' },
    {
      key: 'editLookbackMs',
      label: 'Edit look-back (ms)',
      kind: 'number',
      hint: 'How far back an incremental sync looks for edited messages; empty: the default.',
    },
    {
      key: 'appDistribution',
      label: 'App distribution',
      kind: 'choice',
      choices: ['non_marketplace', 'marketplace', 'internal'],
      hint: 'Decides Slack’s read limits for this app; empty: non_marketplace (the strictest).',
    },
  ],
  google: [
    { key: 'calendarId', label: 'Calendar id', kind: 'text', hint: 'e.g. primary or an address; the calendar synced.' },
    {
      key: 'permanentDeletes',
      label: 'Delete Drive files permanently',
      kind: 'boolean',
      hint: 'Off: a pushed delete moves the file to the trash (restorable for 30 days).',
    },
  ],
};

/** The stored option as the field's text. */
export function fieldText(field: OptionField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'list') return Array.isArray(value) ? value.join('\n') : String(value);
  return String(value);
}

/**
 * The options to send: the fields' values over the stored options (keys the form does not know are kept);
 * an empty field removes its key. A number field that is not a number is sent as typed, so the API names it.
 */
export function optionsFrom(
  fields: OptionField[],
  texts: Record<string, string>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...stored };
  for (const field of fields) {
    const text = (texts[field.key] ?? '').trim();
    delete next[field.key];
    if (field.kind === 'boolean') {
      if (text === 'true') next[field.key] = true;
      continue;
    }
    if (!text) continue;
    if (field.kind === 'list')
      next[field.key] = text
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter(Boolean);
    else if (field.kind === 'number') next[field.key] = Number.isFinite(Number(text)) ? Number(text) : text;
    else next[field.key] = text;
  }
  return next;
}
