/**
 * Run controls of the admin API (issue 18 §5): cancelling a run, a sync of some entities or from a date,
 * resetting an entity's checkpoint, testing an integration's connection and reading its catalog.
 */

/** POST …/runs/{runId}/cancel → 202. */
export interface CancelRunResponse {
  runId: string;
  status: 'cancelled';
}
