/**
 * One user action at a time per page: which one is busy, its success message and its error, so every button
 * can show "working", every success is announced and every failure is shown where the person is.
 */
import { useCallback, useState } from 'react';
import { asApiError, type ApiError } from '../../api/client';

export interface ActionState {
  busy: string | undefined;
  notice: string | undefined;
  error: ApiError | undefined;
  run(key: string, action: () => Promise<string | undefined>): Promise<boolean>;
  clear(): void;
}

export function useAction(): ActionState {
  const [busy, setBusy] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async (key: string, action: () => Promise<string | undefined>) => {
    setBusy(key);
    setNotice(undefined);
    setError(undefined);
    try {
      const message = await action();
      if (message) setNotice(message);
      return true;
    } catch (thrown) {
      setError(asApiError(thrown));
      return false;
    } finally {
      setBusy(undefined);
    }
  }, []);
  const clear = useCallback(() => {
    setNotice(undefined);
    setError(undefined);
  }, []);
  return { busy, notice, error, run, clear };
}
