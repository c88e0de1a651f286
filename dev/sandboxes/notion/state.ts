/**
 * The Notion sandbox's data: one data source with lazily seeded pages, page create / update / trash, and the
 * webhook event each change sends (events are signals: type + entity id, the content is fetched by API).
 */
import { randomUUID } from 'node:crypto';
import { LazyRecordStore } from '../common/lazy-store';
import { indexFromUuid } from '../common/seeded';
import {
  generatePage,
  HISTORY_START_MS,
  MINUTE_MS,
  minuteIso,
  PAGE_SALT,
  pageId,
  pageShell,
  richText,
  SCHEMA,
  type NotionIds,
  type NotionPage,
} from './data';
import { emptyProperties, validateProperties } from './properties';

export type NotionEvent = {
  type: 'page.created' | 'page.properties_updated' | 'page.deleted' | 'page.undeleted';
  pageId: string;
  updatedProperties?: string[];
};

export class NotionState {
  readonly pages: LazyRecordStore<NotionPage>;
  private nextIndex: number;

  constructor(
    readonly ids: NotionIds,
    pageCount: number,
    private readonly onEvent: (event: NotionEvent) => void,
  ) {
    this.pages = new LazyRecordStore<NotionPage>({
      baseCount: pageCount,
      generate: (index) => generatePage(ids, index),
      indexOf: (id) => indexFromUuid(ids.seed, PAGE_SALT, id),
      idOf: (page) => page.id,
      modifiedMsOf: (page) => Date.parse(page.last_edited_time),
      baseModifiedMs: (index) => HISTORY_START_MS + index * MINUTE_MS,
    });
    this.nextIndex = pageCount;
  }

  /** Notion rounds edit times down to the minute; changes still sort after the seeded history. */
  private editedNow(): string {
    return minuteIso(Math.max(Date.now(), this.pages.minimumChangeMs));
  }

  createPage(input: unknown): NotionPage | string {
    const result = validateProperties(input);
    if (!result.ok) return result.message;
    const now = this.editedNow();
    const page = pageShell(this.ids, pageId(this.ids, this.nextIndex++), now, now, {
      ...emptyProperties(),
      ...result.properties,
    });
    this.pages.put(page);
    this.onEvent({ type: 'page.created', pageId: page.id });
    return page;
  }

  /** PATCH semantics: properties merge; in_trash/archived move the page to or from the trash. */
  updatePage(id: string, input: Record<string, unknown>): NotionPage | string | undefined {
    const current = this.pages.get(id);
    if (!current) return undefined;
    const trash = input.in_trash ?? input.archived;
    if (trash !== undefined && typeof trash !== 'boolean')
      return 'body failed validation: body.in_trash should be a boolean.';
    if (current.in_trash && trash !== false)
      return "Can't edit block that is archived. You must unarchive the block before editing.";
    const result = validateProperties(input.properties);
    if (!result.ok) return result.message;
    const next: NotionPage = {
      ...current,
      last_edited_time: this.editedNow(),
      properties: { ...current.properties, ...result.properties },
    };
    if (trash !== undefined) {
      next.in_trash = trash;
      next.archived = trash;
    }
    this.pages.put(next);
    if (trash === true && !current.in_trash) this.onEvent({ type: 'page.deleted', pageId: id });
    else if (trash === false && current.in_trash) this.onEvent({ type: 'page.undeleted', pageId: id });
    else
      this.onEvent({
        type: 'page.properties_updated',
        pageId: id,
        updatedProperties: Object.keys(result.properties).map((name) => SCHEMA[name]!.id),
      });
    return next;
  }

  /** A made-up visible change for the admin endpoint: new Notes text. */
  touch(id: string): NotionPage | string | undefined {
    return this.updatePage(id, {
      properties: { Notes: { rich_text: [{ text: { content: `edited ${randomUUID().slice(0, 8)}` } }] } },
    });
  }

  titleOf(page: NotionPage): string {
    const title = page.properties.Name?.title as { plain_text?: string }[] | undefined;
    return title?.map((part) => part.plain_text ?? '').join('') ?? '';
  }

  dataSource(): Record<string, unknown> {
    const properties = Object.fromEntries(
      Object.entries(SCHEMA).map(([name, { id, type }]) => {
        const config =
          type === 'select'
            ? {
                options: [
                  { id: 'opt1', name: 'Not started', color: 'default' },
                  { id: 'opt2', name: 'In progress', color: 'blue' },
                  { id: 'opt3', name: 'Done', color: 'green' },
                ],
              }
            : type === 'number'
              ? { format: 'number' }
              : type === 'multi_select'
                ? { options: [{ id: 'tag1', name: 'sync', color: 'purple' }] }
                : {};
        return [name, { id, name, type, [type]: config }];
      }),
    );
    return {
      object: 'data_source',
      id: this.ids.dataSourceId,
      created_time: minuteIso(HISTORY_START_MS - 86_400_000),
      last_edited_time: minuteIso(HISTORY_START_MS),
      title: richText('Sandbox tasks'),
      description: [],
      properties,
      parent: { type: 'database_id', database_id: this.ids.databaseId },
      database_parent: { type: 'workspace', workspace: true },
      archived: false,
      in_trash: false,
    };
  }

  botUser(): Record<string, unknown> {
    return {
      object: 'user',
      id: this.ids.botId,
      name: 'Sandbox Integration',
      avatar_url: null,
      type: 'bot',
      bot: {
        owner: { type: 'workspace', workspace: true },
        workspace_name: 'Sandbox Workspace',
        workspace_id: this.ids.workspaceId,
      },
    };
  }
}
