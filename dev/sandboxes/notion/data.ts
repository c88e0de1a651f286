/**
 * Seeded Notion data: one data source (inside one database) whose pages are computed from their index.
 * Times are whole minutes, as Notion rounds created_time and last_edited_time.
 */
import { indexedUuid, intBetween, pick, seededRandom, sentence } from '../common/seeded';

export type NotionPage = Record<string, unknown> & {
  id: string;
  last_edited_time: string;
  in_trash: boolean;
  properties: Record<string, Record<string, unknown>>;
};

export const HISTORY_START_MS = Date.UTC(2022, 0, 1);
export const MINUTE_MS = 60_000;
export const PAGE_SALT = 77;
const STATUS_OPTIONS = [
  { id: 'opt1', name: 'Not started', color: 'default' },
  { id: 'opt2', name: 'In progress', color: 'blue' },
  { id: 'opt3', name: 'Done', color: 'green' },
] as const;

/** The data source's schema: property name → id and type (what GET /v1/data_sources/{id} describes). */
export const SCHEMA: Record<string, { id: string; type: string }> = {
  Name: { id: 'title', type: 'title' },
  Status: { id: 'stat', type: 'select' },
  Priority: { id: 'prio', type: 'number' },
  Due: { id: 'due', type: 'date' },
  Done: { id: 'done', type: 'checkbox' },
  Notes: { id: 'note', type: 'rich_text' },
  Tags: { id: 'tags', type: 'multi_select' },
};

export function minuteIso(ms: number): string {
  return new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS).toISOString();
}

export function richText(content: string): Record<string, unknown>[] {
  if (content === '') return [];
  return [
    {
      type: 'text',
      text: { content, link: null },
      annotations: {
        bold: false,
        italic: false,
        strikethrough: false,
        underline: false,
        code: false,
        color: 'default',
      },
      plain_text: content,
      href: null,
    },
  ];
}

export function selectOption(name: string): Record<string, unknown> {
  const known = STATUS_OPTIONS.find((option) => option.name === name);
  return known ? { ...known } : { id: `opt-${Buffer.from(name).toString('hex').slice(0, 8)}`, name, color: 'default' };
}

export function propertyValue(name: string, value: Record<string, unknown>): Record<string, unknown> {
  const schema = SCHEMA[name]!;
  return { id: schema.id, type: schema.type, ...value };
}

export interface NotionIds {
  seed: number;
  dataSourceId: string;
  databaseId: string;
  workspaceId: string;
  botId: string;
}

export function notionIds(seed: number): NotionIds {
  return {
    seed,
    dataSourceId: indexedUuid(seed, 900, 1),
    databaseId: indexedUuid(seed, 901, 1),
    workspaceId: indexedUuid(seed, 902, 1),
    botId: indexedUuid(seed, 903, 1),
  };
}

export function pageId(ids: NotionIds, index: number): string {
  return indexedUuid(ids.seed, PAGE_SALT, index);
}

export function pageUrl(id: string, title: string): string {
  return `https://www.notion.so/${title.replace(/[^A-Za-z0-9]+/g, '-')}-${id.replace(/-/g, '')}`;
}

export function pageShell(
  ids: NotionIds,
  id: string,
  createdIso: string,
  editedIso: string,
  properties: Record<string, Record<string, unknown>>,
): NotionPage {
  const user = { object: 'user', id: ids.botId };
  const titleProperty = properties.Name?.title as { plain_text?: string }[] | undefined;
  return {
    object: 'page',
    id,
    created_time: createdIso,
    last_edited_time: editedIso,
    created_by: user,
    last_edited_by: user,
    cover: null,
    icon: null,
    parent: { type: 'data_source_id', data_source_id: ids.dataSourceId, database_id: ids.databaseId },
    archived: false,
    in_trash: false,
    is_locked: false,
    properties,
    url: pageUrl(id, titleProperty?.[0]?.plain_text ?? 'Untitled'),
    public_url: null,
  };
}

export function generatePage(ids: NotionIds, index: number): NotionPage {
  const random = seededRandom(ids.seed, index, PAGE_SALT);
  const editedMs = HISTORY_START_MS + index * MINUTE_MS;
  const createdMs = editedMs - intBetween(random, 0, 60) * 86_400_000;
  const title = sentence(random, 2, 6);
  const properties = {
    Name: propertyValue('Name', { title: richText(title) }),
    Status: propertyValue('Status', { select: { ...pick(random, STATUS_OPTIONS) } }),
    Priority: propertyValue('Priority', { number: intBetween(random, 1, 5) }),
    Due: propertyValue('Due', {
      date:
        random() < 0.7
          ? {
              start: new Date(createdMs + intBetween(random, 1, 90) * 86_400_000).toISOString().slice(0, 10),
              end: null,
              time_zone: null,
            }
          : null,
    }),
    Done: propertyValue('Done', { checkbox: random() < 0.3 }),
    Notes: propertyValue('Notes', { rich_text: richText(sentence(random, 5, 15)) }),
    Tags: propertyValue('Tags', {
      multi_select: random() < 0.5 ? [{ id: 'tag1', name: 'sync', color: 'purple' }] : [],
    }),
  };
  return pageShell(ids, pageId(ids, index), minuteIso(createdMs), minuteIso(editedMs), properties);
}
