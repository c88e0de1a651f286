/**
 * Structured logging: one JSON object a line in Azure, a readable line locally. Every line carries the
 * correlation id of the trigger it serves. Fields whose names suggest secret material are redacted, so a
 * careless `log.info('…', { token })` cannot leak a credential.
 */
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
const SECRET_FIELD = /(secret|token|password|passphrase|authorization|api[-_]?key|apikey|private[-_]?key|client[-_]?secret|connection[-_]?string|cookie|signature|credential)/i;

export const REDACTED = '[redacted]';

/** Copies fields, replacing values under secret-looking keys and describing errors without their causes. */
export function redactFields(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(key)) out[key] = REDACTED;
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message, ...('code' in value ? { code: (value as { code: unknown }).code } : {}) };
    else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 3) out[key] = redactFields(value as LogFields, depth + 1);
    else out[key] = value;
  }
  return out;
}

export interface LoggerOptions {
  level: LogLevel;
  format: 'json' | 'pretty';
  sink?: LogSink;
  fields?: LogFields;
}

const defaultSink: LogSink = (line, level) => (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);

export function createLogger(options: LoggerOptions): Logger {
  const sink = options.sink ?? defaultSink;
  const minimum = LEVEL_ORDER[options.level];
  const base = options.fields ?? {};

  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[level] < minimum) return;
    const all = redactFields({ ...base, ...fields });
    if (options.format === 'json') {
      sink(JSON.stringify({ time: new Date().toISOString(), level, message, ...all }), level);
      return;
    }
    const extras = Object.entries(all)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    sink(`${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${message}${extras ? `  ${extras}` : ''}`, level);
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
