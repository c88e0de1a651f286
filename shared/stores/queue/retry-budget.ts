/**
 * The retry budget a queued unit of work carries in its body: `attempt`, how many times this one unit (one
 * page of a run, one push of a shard) has failed so far. Rescheduled copies of the same unit carry it on; work
 * that moves on (the next page) or that an operator hands back (a dead-letter redrive) starts a fresh budget,
 * so a long run or a redriven message gets the full number of attempts instead of what an earlier unit left.
 */

/** The body without its spent attempts; any other value as it is. */
export function withFreshRetryBudget<T>(body: T): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('attempt' in body)) return body;
  const { attempt: _spent, ...fresh } = body as Record<string, unknown>;
  return fresh as T;
}
