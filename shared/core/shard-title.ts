/**
 * A shard's title: what the record browser shows for it and what its search (`q`) matches besides the external
 * id. Providers name their record's headline differently (a GitHub issue's `title`, a Salesforce Account's
 * `Name`, a Case's `Subject`, a calendar event's `summary`, a Drive file's or a Slack user's `name`, a Slack
 * message's `text`, a comment's `body`) and a conversion schema may rename them, so the title is the first of
 * these top-level shard fields that holds a non-empty string, in this order.
 */
export const SHARD_TITLE_FIELDS = [
  'title',
  'Title',
  'name',
  'Name',
  'subject',
  'Subject',
  'summary',
  'real_name',
  'text',
  'body',
] as const;

/** Longest title answered (a message body can be long; the browser shows one line). */
const MAX_TITLE_LENGTH = 200;

export function shardTitle(data: Readonly<Record<string, unknown>>): string | undefined {
  for (const field of SHARD_TITLE_FIELDS) {
    const value = data[field];
    if (typeof value === 'string' && value.trim() !== '') return value.slice(0, MAX_TITLE_LENGTH);
  }
  return undefined;
}

/** Whether `q` (already lower-cased) is in one of the title fields, case-insensitively: the memory store's search. */
export function titleMatches(data: Readonly<Record<string, unknown>>, lowerQ: string): boolean {
  return SHARD_TITLE_FIELDS.some((field) => {
    const value = data[field];
    return typeof value === 'string' && value.toLowerCase().includes(lowerQ);
  });
}
