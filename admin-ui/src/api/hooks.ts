/** Data loading for pages: one GET resource, optionally polled, that keeps its last data while it refreshes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, asApiError, type ApiError } from './client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** GET `path` (relative to /api/admin/); a null path stays idle. With pollMs it refetches on that interval. */
export function useResource<T>(path: string | null, options: { pollMs?: number } = {}): Resource<T> {
  const [state, setState] = useState<{
    path: string | null;
    data: T | undefined;
    error: ApiError | undefined;
    loading: boolean;
  }>({
    path,
    data: undefined,
    error: undefined,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const latest = useRef(0);

  // A new path starts from nothing: data of another resource must never show under this one.
  if (state.path !== path) setState({ path, data: undefined, error: undefined, loading: path !== null });

  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const ticket = ++latest.current;
      setState((current) => (current.loading ? current : { ...current, loading: true }));
      try {
        const data = await api.get<T>(path);
        if (!cancelled && ticket === latest.current) setState({ path, data, error: undefined, loading: false });
      } catch (error) {
        if (!cancelled && ticket === latest.current)
          setState((current) => ({ ...current, path, error: asApiError(error), loading: false }));
      }
      if (!cancelled && options.pollMs) timer = setTimeout(() => void load(), options.pollMs);
    };
    void load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, options.pollMs, generation]);

  return { data: state.data, error: state.error, loading: state.loading, reload };
}
