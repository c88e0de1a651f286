/** What the Google adapter offers, as data: Calendar events and Drive file metadata. */
import type { Catalog } from '../contract';

export const GOOGLE_CATALOG: Catalog = {
  provider: 'google',
  entities: [
    {
      name: 'events',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'status', type: 'string' },
        { name: 'summary', type: 'string', writable: true },
        { name: 'description', type: 'string', writable: true },
        { name: 'location', type: 'string', writable: true },
        { name: 'start', type: 'object', required: true, writable: true },
        { name: 'end', type: 'object', required: true, writable: true },
        { name: 'attendees', type: 'array', writable: true },
        { name: 'organizer', type: 'object' },
        { name: 'updated', type: 'datetime' },
      ],
      supportsIncremental: true,
      supportsWebhooks: true,
      supportsPush: true,
      reportsDeletions: true,
    },
    {
      name: 'files',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'name', type: 'string', writable: true },
        { name: 'mimeType', type: 'string', writable: true },
        { name: 'description', type: 'string', writable: true },
        { name: 'trashed', type: 'boolean', writable: true },
        { name: 'parents', type: 'array' },
        { name: 'version', type: 'string' },
        { name: 'modifiedTime', type: 'datetime' },
      ],
      supportsIncremental: true,
      supportsWebhooks: true,
      supportsPush: true,
      reportsDeletions: true,
    },
  ],
};
