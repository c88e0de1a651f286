/**
 * Validation errors next to the field they are about. The API names the field in `target`
 * ("schedule.intervalMinutes", "fields.title.source"); a field shows the error when the target is the field
 * or lies under it.
 */
import type { ApiError } from '../api/client';

const isUnder = (path: string, field: string) => path === field || path.startsWith(`${field}.`);

export function errorFor(error: ApiError | undefined, field: string): string | undefined {
  if (!error) return undefined;
  // A validation error listing every issue: show this field's own messages.
  const own = error.issues.filter((issue) => isUnder(issue.path, field));
  if (own.length)
    return own
      .map((issue) =>
        issue.path === field ? issue.message : `${issue.path.slice(field.length + 1)}: ${issue.message}`,
      )
      .join('; ');
  return error.target && isUnder(error.target, field) ? error.message : undefined;
}

/** Props that tie an input to its error message (aria-invalid + aria-describedby). */
export function invalidProps(
  message: string | undefined,
  id: string,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return message ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="field-error" role="alert">
      {message}
    </p>
  );
}
