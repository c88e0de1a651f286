/** The limiter's current usage per level: the rule, the adaptive factor, and how much of the burst is spoken for. */
import type { LevelUsageView, RateRuleView } from '../../../../shared/admin/contracts/operations';
import './ops.css';

export function describeRule(rule: LevelUsageView['rule']): string {
  if (rule.kind === 'concurrency') return `${rule.limit} at once (lease ${Math.round(rule.leaseMs / 1000)} s)`;
  return `${rule.limit} per ${describeWindow(rule)}${rule.burst && rule.burst > 1 ? `, bursts of ${rule.burst}` : ''}`;
}

function describeWindow(rule: RateRuleView): string {
  const s = rule.windowMs / 1000;
  if (s % 86_400 === 0) return s === 86_400 ? 'day' : `${s / 86_400} days`;
  if (s % 3600 === 0) return s === 3600 ? 'hour' : `${s / 3600} h`;
  if (s % 60 === 0) return s === 60 ? 'minute' : `${s / 60} min`;
  return s === 1 ? 'second' : `${s} s`;
}

export function Meter({ used, capacity, label }: { used: number; capacity: number; label: string }) {
  const share = capacity > 0 ? Math.min(1, used / capacity) : 0;
  const tone = share >= 1 ? 'meter-full' : share >= 0.75 ? 'meter-high' : '';
  return (
    <div className="meter">
      <div
        className="meter-bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={capacity}
        aria-valuenow={Math.min(used, capacity)}
        aria-valuetext={`${formatUsed(used)} of ${capacity}`}
      >
        <div className={`meter-fill ${tone}`} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <span>
        {formatUsed(used)} / {capacity}
      </span>
    </div>
  );
}

function formatUsed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

const LEVEL_NAMES: Record<string, string> = {
  tenant: 'Tenant',
  integration: 'Integration',
  operation: 'Operation',
  app: 'Provider app',
  concurrency: 'Concurrency',
};

export function UsageTable({ levels }: { levels: LevelUsageView[] }) {
  return (
    <div className="table-wrap">
      <table className="stack">
        <caption className="visually-hidden">Current usage per limit level</caption>
        <thead>
          <tr>
            <th scope="col">Level</th>
            <th scope="col">Limit</th>
            <th scope="col">In use</th>
            <th scope="col" className="numeric">
              Available now
            </th>
            <th scope="col" className="numeric">
              Next call waits
            </th>
          </tr>
        </thead>
        <tbody>
          {levels.map((level) => {
            const name = `${LEVEL_NAMES[level.level] ?? level.level}${level.operation ? ` (${level.operation})` : ''}`;
            return (
              <tr key={`${level.level}:${level.operation ?? ''}`} data-level={level.level}>
                <th scope="row" data-label="Level">
                  {name}
                </th>
                <td data-label="Limit">
                  {describeRule(level.rule)}
                  {level.kind === 'rate' && level.factor < 1 && (
                    <div className="field-error">
                      throttled to {Math.round(level.factor * 100)}% after provider limit answers
                    </div>
                  )}
                </td>
                <td data-label="In use">
                  <Meter
                    used={level.kind === 'rate' ? level.reserved : level.inUse}
                    capacity={level.capacity}
                    label={`${name} usage`}
                  />
                </td>
                <td data-label="Available now" className="numeric">
                  {level.available}
                </td>
                <td data-label="Next call waits" className="numeric">
                  {level.kind === 'rate' && level.waitMs > 0 ? `${(level.waitMs / 1000).toFixed(1)} s` : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
