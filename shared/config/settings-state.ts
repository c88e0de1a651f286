/**
 * Settings for the Azure Functions host, which must register every function even when a setting is bad.
 * Throwing at module load (as the local host does, on purpose) would leave the Azure app with no functions at
 * all: no health endpoint to say why, and nothing in the portal but "0 functions". Here a bad setting becomes a
 * `problem` that each invocation reports, while registration goes on with schedules it can trust.
 */
import { isAppError, type AppError } from '../core/app-error';
import { loadSettings, type Settings } from './settings';
import { settingsSchema } from './settings-schema';

export type SettingsState =
  | { ok: true; settings: Settings }
  /** `registration` is for trigger options only (timer schedules): never for running anything. */
  | { ok: false; problem: AppError; registration: Settings };

/** The settings registration reads (the timer schedules); every other one is left at its default. */
const REGISTRATION_SETTINGS = new Set([
  'SYNC_SCHEDULE',
  'TOKEN_REFRESH_SCHEDULE',
  'WEBHOOK_HEALTH_SCHEDULE',
  'WEBHOOK_SUBSCRIPTION_SCHEDULE',
  'NOTIFY_DIGEST_SCHEDULE',
]);

/** Overrides that blank every setting, except (when `keep`) those registration reads. */
function blanked(keep: boolean): Record<string, undefined> {
  const names = Object.keys(settingsSchema.shape).filter((name) => !(keep && REGISTRATION_SETTINGS.has(name)));
  return Object.fromEntries(names.map((name) => [name, undefined]));
}

function attempt(overrides: Record<string, string | undefined>): Settings | AppError {
  try {
    return loadSettings(overrides);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
}

/** Settings to register with: the configured schedules that are valid by themselves, defaults for the others. */
function registrationSettings(): Settings {
  const overrides: Record<string, undefined> = blanked(true);
  for (let tries = 0; tries <= REGISTRATION_SETTINGS.size; tries++) {
    const settings = attempt(overrides);
    if (!isAppError(settings)) return settings;
    const bad = settings.target;
    if (!bad || !REGISTRATION_SETTINGS.has(bad) || bad in overrides) break;
    overrides[bad] = undefined;
  }
  return loadSettings(blanked(false));
}

export function loadSettingsState(): SettingsState {
  const settings = attempt({});
  return isAppError(settings)
    ? { ok: false, problem: settings, registration: registrationSettings() }
    : { ok: true, settings };
}
