/**
 * Google Calendar v3 and Drive v3 facts the adapter depends on, as data: paths, page limits, and the error
 * reasons that decide how a failure is handled.
 */
import { GOOGLE_PROVIDER } from '../../core/providers';

export const GOOGLE_FACTS = {
  entities: GOOGLE_PROVIDER.entities.supported,
  defaultCalendarId: 'primary',
  maxEventsPerPage: 2500,
  maxFilesPerPage: 1000,
  /** oauth2.googleapis.com/token in production; a sandbox serves /token on its own origin. */
  tokenUrl: GOOGLE_PROVIDER.oauth.tokenUrl,
  rateLimitReasons: ['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded'] as readonly string[],
  fullSyncReason: 'fullSyncRequired',
  paths: {
    calendar: (calendarId: string) => `/calendar/v3/calendars/${encodeURIComponent(calendarId)}`,
    events: (calendarId: string) => `/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`,
    files: '/drive/v3/files',
    changes: '/drive/v3/changes',
    startPageToken: '/drive/v3/changes/startPageToken',
  },
} as const;

export type GoogleEntity = (typeof GOOGLE_FACTS.entities)[number];
