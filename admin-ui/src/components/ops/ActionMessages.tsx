/** The outcome of the last action: a status notice, or the API's error with the field it names. */
import { ErrorBanner } from '../ErrorBanner';
import type { ActionState } from './useAction';

export function ActionMessages({
  action,
  errorTitle = 'That did not work',
}: {
  action: Pick<ActionState, 'notice' | 'error'>;
  errorTitle?: string;
}) {
  return (
    <>
      {action.notice && (
        <p className="notice" role="status">
          {action.notice}
        </p>
      )}
      <ErrorBanner error={action.error} title={errorTitle} />
    </>
  );
}
