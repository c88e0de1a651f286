/**
 * The logger shape this library takes (the app passes its own). Fields carry ids, types, outcomes and
 * timings only: never tokens, secrets or provider response bodies.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface CredentialLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: CredentialLogger = { info() {}, warn() {}, error() {} };
