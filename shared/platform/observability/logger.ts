/**
 * Structured logging: one JSON object a line in Azure, a readable line locally. Every line carries the
 * correlation id of the trigger it serves. Fields whose names suggest secret material are redacted, so a
 * careless `log.info('…', { token })` cannot leak a credential; and every string written (the message, field
 * values, error messages) is scrubbed of the secret values the process knows (secret-registry.ts), so a token
 * a provider echoed into an error body does not reach a log line either.
 */
import { knownSecrets } from './secret-registry';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines also carry these fields (e.g. correlationId, integrationId). */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string, level: LogLevel) => void;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD =
  /(secret|token|password|passphrase|authorization|api[-_]?key|apikey|private[-_]?key|client[-_]?secret|connection[-_]?string|cookie|signature|credential)/i;

export const REDACTED = '[redacted]';

/**
 * Copies fields, replacing values under secret-looking keys, describing errors without their causes, and
 * scrubbing known secret values from strings.
 */
export function redactFields(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(key)) out[key] = REDACTED;
    else out[key] = redactValue(value, depth);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return knownSecrets.scrub(value);
  if (value instanceof Error)
    return {
      name: value.name,
      message: knownSecrets.scrub(value.message),
      ...('code' in value ? { code: redactValue((value as { code: unknown }).code, depth) } : {}),
    };
  if (Array.isArray(value))
    return depth < 3
      ? value.map((item) => redactValue(item, depth + 1))
      : value.map((item) => (typeof item === 'string' ? knownSecrets.scrub(item) : item));
  if (value && typeof value === 'object' && depth < 3) return redactFields(value as LogFields, depth + 1);
  // Deeper than that: written as its JSON text, scrubbed, rather than passed through unread.
  if (value && typeof value === 'object') return knownSecrets.scrub(JSON.stringify(value) ?? '');
  return value;
}

export interface LoggerOptions {
  level: LogLevel;
  format: 'json' | 'pretty';
  sink?: LogSink;
  fields?: LogFields;
}

const defaultSink: LogSink = (line, level) =>
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);

export function createLogger(options: LoggerOptions): Logger {
  const sink = options.sink ?? defaultSink;
  const minimum = LEVEL_ORDER[options.level];
  const base = options.fields ?? {};

  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[level] < minimum) return;
    const all = redactFields({ ...base, ...fields });
    const text = knownSecrets.scrub(message);
    if (options.format === 'json') {
      sink(JSON.stringify({ time: new Date().toISOString(), level, message: text, ...all }), level);
      return;
    }
    const extras = Object.entries(all)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    sink(
      `${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${text}${extras ? `  ${extras}` : ''}`,
      level,
    );
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger({ ...options, sink, fields: { ...base, ...fields } }),
  };
}

/** A logger that keeps lines in memory: for tests that scan output (e.g. for leaked secrets). */
export function createMemoryLogger(level: LogLevel = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level, format: 'json', sink: (line) => lines.push(line) }), lines };
}
