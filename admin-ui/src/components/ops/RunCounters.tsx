/** A run's counters as a labelled grid; the numbers a person watches move while a run goes on. */
import type { RunCountersView } from '../../../../shared/admin/contracts/integrations';
import { formatNumber } from '../../format';
import './ops.css';

const COUNTERS: Array<{ key: keyof RunCountersView; label: string; tone?: 'bad' | 'warn' }> = [
  { key: 'fetched', label: 'Fetched' },
  { key: 'created', label: 'Created' },
  { key: 'updated', label: 'Updated' },
  { key: 'unchanged', label: 'Unchanged' },
  { key: 'deleted', label: 'Deleted' },
  { key: 'conflicts', label: 'Conflicts', tone: 'warn' },
  { key: 'errors', label: 'Errors', tone: 'bad' },
  { key: 'pages', label: 'Pages' },
];

export function RunCounters({ counters, label }: { counters: RunCountersView; label: string }) {
  return (
    <dl className="counter-grid" aria-label={label}>
      {COUNTERS.map(({ key, label: name, tone }) => (
        <div key={key} className={tone && counters[key] > 0 ? `counter-${tone}` : undefined}>
          <dt>{name}</dt>
          <dd data-counter={key}>{formatNumber(counters[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
