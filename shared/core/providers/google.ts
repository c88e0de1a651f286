/**
 * Google: Calendar v3 and Drive v3 on www.googleapis.com (facts: /work/shared/design/PROVIDERS.md and Google's
 * API and OAuth references).
 */
import { defineProvider } from './define';

const SCOPE = 'https://www.googleapis.com/auth';

export const GOOGLE_PROVIDER = defineProvider({
  id: 'google',
  label: 'Google Calendar',
  entities: { supported: ['events', 'files'], defaults: ['events'] },
  api: {
    baseUrl: 'https://www.googleapis.com',
    // Calendar and Drive on www.googleapis.com, tokens on oauth2.googleapis.com, consent on accounts.google.com.
    hosts: ['www.googleapis.com', 'oauth2.googleapis.com', '*.googleapis.com', 'accounts.google.com'],
  },
  oauth: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    // oauth2.googleapis.com/token in production; a sandbox serves /token on its own origin.
    tokenUrl: 'https://oauth2.googleapis.com/token',
    clientAuth: 'body',
    scopes: ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/drive.readonly'],
    // calendars.get (connect, health) needs calendar.readonly whatever the direction; events writes need
    // calendar.events. Drive: drive.readonly to read; outbound-only writes only files the app creates, which
    // drive.file covers (it sees only files the app created or was given); a two-way sync writes files it read
    // from Drive, which only the full drive scope allows.
    scopesByDirection: {
      inbound: [`${SCOPE}/calendar.readonly`, `${SCOPE}/drive.readonly`],
      outbound: [`${SCOPE}/calendar.readonly`, `${SCOPE}/calendar.events`, `${SCOPE}/drive.file`],
      bidirectional: [`${SCOPE}/calendar.readonly`, `${SCOPE}/calendar.events`, `${SCOPE}/drive`],
    },
    scopeSeparator: ' ',
    // Without offline access and consent Google returns no refresh token.
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
    tokenWire: { body: 'form', reauthErrors: ['invalid_grant'] },
  },
  limits: {
    // Per-user quota (Calendar/Drive defaults are a few hundred to thousands a minute per user).
    integration: { kind: 'rate', limit: 10, windowMs: 1000, burst: 20 },
    // Per-project quota.
    app: { kind: 'rate', limit: 150, windowMs: 1000, burst: 300 },
    operations: [],
    signalLevel: 'integration',
    noRetryAfterBlockMs: 1000,
  },
  webhook: {
    scheme: 'google-push',
    jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
    issuers: ['accounts.google.com', 'https://accounts.google.com'],
  },
});
