/** GET /api/health: public and outside /api/admin, so it is fetched directly rather than through the admin client. */
import { useCallback, useEffect, useState } from 'react';
import type { HealthReportView } from '../../../../shared/admin/contracts/operations';

export function useHealthReport(pollMs: number): {
  data: HealthReportView | undefined;
  error: Error | undefined;
  reload(): void;
} {
  const [data, setData] = useState<HealthReportView>();
  const [error, setError] = useState<Error>();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        // 503 still carries the report (status "degraded"): read the body whatever the status.
        const response = await fetch('/api/health', { headers: { accept: 'application/json' } });
        const body = (await response.json()) as HealthReportView;
        if (!cancelled) {
          setData(body);
          setError(undefined);
        }
      } catch (thrown) {
        if (!cancelled)
          setError(
            new Error(
              `the health endpoint did not answer (${thrown instanceof Error ? thrown.message : String(thrown)})`,
            ),
          );
      }
      if (!cancelled) timer = setTimeout(() => void load(), pollMs);
    };
    void load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [pollMs, generation]);
  return { data, error, reload };
}
