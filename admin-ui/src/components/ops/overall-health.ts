/**
 * The Health page's overall verdict: the dependencies' status and the integrations' health together, so a
 * tenant whose every run fails does not read "Overall ok" because its databases answer.
 */
import type { HealthStatusView, IntegrationHealthView } from '../../../../shared/admin/contracts/integrations';

export interface OverallHealth {
  status: 'ok' | 'degraded' | 'failing';
  /** One sentence per problem, most urgent first. */
  reasons: string[];
}

const PROBLEMS: Array<{ status: HealthStatusView; says: string; overall: OverallHealth['status'] }> = [
  { status: 'needs_reauth', says: 'need to be reconnected', overall: 'failing' },
  { status: 'failing', says: 'failing', overall: 'failing' },
  { status: 'stale', says: 'stale (no successful sync within 3 intervals)', overall: 'degraded' },
];

export function overallHealth(
  dependencies: { status: string } | undefined,
  integrations: ReadonlyArray<{ health: IntegrationHealthView }> | undefined,
): OverallHealth {
  const reasons: string[] = [];
  let status: OverallHealth['status'] = 'ok';
  const worse = (candidate: OverallHealth['status']) => {
    if (candidate === 'failing' || (candidate === 'degraded' && status === 'ok')) status = candidate;
  };
  if (dependencies && dependencies.status !== 'ok') {
    reasons.push(`dependencies ${dependencies.status}`);
    worse('degraded');
  }
  const all = integrations ?? [];
  for (const problem of PROBLEMS) {
    const count = all.filter((integration) => integration.health.status === problem.status).length;
    if (count === 0) continue;
    reasons.push(`${count} of ${all.length} integration${all.length === 1 ? '' : 's'} ${problem.says}`);
    worse(problem.overall);
  }
  return { status, reasons };
}
