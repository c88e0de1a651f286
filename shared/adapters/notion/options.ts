/**
 * The Notion integration's provider options: `dataSourceId` (required), the data source (database) the adapter
 * syncs; its constructor refuses anything but a Notion id (a UUID, with or without dashes).
 */
import { z } from 'zod';

export const notionOptionsSchema = z.looseObject({
  dataSourceId: z
    .string({ error: 'required: the id of the Notion data source to sync (a UUID)' })
    .regex(/^[0-9a-fA-F-]{32,36}$/, 'must be a Notion data source id (a UUID)'),
});
