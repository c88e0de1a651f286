/**
 * Shapes every admin API answer shares, for the API and the admin UI alike. Types only: the UI imports this
 * file directly, so it must not import anything that runs.
 */

/** The body of every error answer (see shared/platform/http/responses.ts). */
export interface ApiErrorBody {
  error: {
    /** A code from the error taxonomy: "bad_request", "not_found", "conflict", "unauthorized", … */
    code: string;
    message: string;
    /** The field the error is about ("schedule.intervalMinutes", "fields.title.source"), when known. */
    target?: string;
    /** More about the error; validation errors list every problem as `issues` ({path, message}). */
    details?: { issues?: Array<{ path: string; message: string }>; [more: string]: unknown };
  };
}

/** A list answer. */
export interface ListEnvelope<T> {
  items: T[];
}
