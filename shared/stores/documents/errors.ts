/**
 * The document store's errors, whichever implementation answers: the Cosmos one translates its status codes to
 * these (cosmos/cosmos-client.ts), the memory one raises them itself, so callers and the conformance suites
 * see one set of codes and messages.
 */
import { AppError } from '../../core/app-error';

const withCause = (cause: unknown) => (cause === undefined ? {} : { cause });

export function notFound(what: string, cause?: unknown): AppError {
  return new AppError('not_found', `${what} not found`, withCause(cause));
}

/** A create met a document with the same id. */
export function alreadyExists(what: string, cause?: unknown): AppError {
  return new AppError('conflict', `${what} already exists`, withCause(cause));
}

/** A write guarded by an ETag met a newer version of the document. */
export function changedMeanwhile(what: string, cause?: unknown): AppError {
  return new AppError('precondition_failed', `${what} was changed by someone else`, withCause(cause));
}
