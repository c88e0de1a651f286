/** One field value of a record, shown so that "absent", null, "" and objects can be told apart. */
import './ops.css';

export function describeValue(value: unknown, present: boolean): string {
  if (!present) return '(absent)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function ValueView({ value, present }: { value: unknown; present: boolean }) {
  if (!present) return <span className="value-absent">(absent)</span>;
  return <pre className="value">{describeValue(value, true)}</pre>;
}
