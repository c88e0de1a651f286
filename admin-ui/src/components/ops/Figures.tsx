/** A row of labelled figures (health numbers, endpoint health) as a description list. */
import type { ReactNode } from 'react';
import './ops.css';

export function Figures({ label, items }: { label: string; items: Array<{ name: string; value: ReactNode }> }) {
  return (
    <dl className="figures" aria-label={label}>
      {items.map((item) => (
        <div key={item.name}>
          <dt>{item.name}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
