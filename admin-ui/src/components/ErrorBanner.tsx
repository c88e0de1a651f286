/** An API error shown in place: its message, the field it names, and a retry when the caller offers one. */
import type { ApiError } from '../api/client';

export function ErrorBanner({
  error,
  onRetry,
  title,
}: {
  error: ApiError | Error | undefined;
  onRetry?: () => void;
  title?: string;
}) {
  if (!error) return null;
  const target = 'target' in error ? error.target : undefined;
  return (
    <div className="error-banner" role="alert">
      <strong>{title ?? 'Something went wrong'}:</strong> {error.message}
      {target && (
        <span className="error-target">
          {' '}
          (field <code>{target}</code>)
        </span>
      )}
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
