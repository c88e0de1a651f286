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
  /**
   * Scopes that allow the adapter's writes, per entity (any one of them): events.insert / patch / delete need
   * calendar or calendar.events; files.create / update / delete need drive or drive.file (drive.file only on
   * files the app created or was given). Read-only grants (calendar.readonly, drive.readonly) allow none.
   */
  writeScopes: {
    events: ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/calendar.events'],
    files: ['https://www.googleapis.com/auth/drive', 'https://www.googleapis.com/auth/drive.file'],
  },
  paths: {
    calendar: (calendarId: string) => `/calendar/v3/calendars/${encodeURIComponent(calendarId)}`,
    events: (calendarId: string) => `/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`,
    files: '/drive/v3/files',
    changes: '/drive/v3/changes',
    startPageToken: '/drive/v3/changes/startPageToken',
  },
} as const;

export type GoogleEntity = (typeof GOOGLE_FACTS.entities)[number];
