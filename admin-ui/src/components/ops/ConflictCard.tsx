/**
 * One held conflict: per field, the base, local and remote values side by side, and a choice per field
 * (keep local, take remote, or type a value). Resolving sends one choice for every held field.
 */
import { useId, useState } from 'react';
import type { ConflictChoice, ConflictView } from '../../../../shared/admin/contracts/operations';
import { relativeTime } from '../../format';
import { StatusBadge } from '../StatusBadge';
import { describeValue, ValueView } from './ValueView';
import './ops.css';

type Draft = { kind: 'local' | 'remote' } | { kind: 'edit'; text: string };

/** A typed value is JSON when it parses as JSON (numbers, true, null, objects), else the text as a string. */
export function parseEdited(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toChoices(drafts: Record<string, Draft>): Record<string, ConflictChoice> {
  return Object.fromEntries(
    Object.entries(drafts).map(([field, draft]) => [
      field,
      draft.kind === 'edit' ? { value: parseEdited(draft.text) } : { take: draft.kind },
    ]),
  );
}

/** What a resolved field ended up with: the side taken, or the typed value. */
export function chosenValue(
  conflict: ConflictView,
  field: ConflictView['fields'][number],
): { present: boolean; value: unknown; how: string } | undefined {
  const choice = conflict.resolution?.choices[field.field] as
    { take: 'local' | 'remote' } | { value: unknown } | undefined;
  if (!choice) return undefined;
  if ('value' in choice) return { present: true, value: choice.value, how: 'typed value' };
  return choice.take === 'local'
    ? { present: 'local' in field, value: field.local, how: 'kept local' }
    : { present: 'remote' in field, value: field.remote, how: 'took remote' };
}

export interface ConflictCardProps {
  conflict: ConflictView;
  /** The integration's name (the id is shown while names load, or for a deleted integration). */
  integrationName?: string;
  selected: boolean;
  onSelect(selected: boolean): void;
  busy: boolean;
  onResolve(choices: Record<string, ConflictChoice>): void;
}

export function ConflictCard({ conflict, integrationName, selected, onSelect, busy, onResolve }: ConflictCardProps) {
  const headingId = useId();
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(conflict.fields.map((field) => [field.field, { kind: 'local' } as Draft])),
  );
  const open = conflict.status === 'open';
  const set = (field: string, draft: Draft) => setDrafts((current) => ({ ...current, [field]: draft }));
  const title = `${conflict.entity} ${conflict.externalId}`;

  return (
    <article className="card conflict-card" aria-labelledby={headingId} data-conflict-id={conflict.id}>
      <header>
        {open && (
          <label className="inline-check">
            <input type="checkbox" checked={selected} onChange={(event) => onSelect(event.target.checked)} />
            <span className="visually-hidden">Select {title}</span>
          </label>
        )}
        <h2 id={headingId}>{title}</h2>
        <StatusBadge status={conflict.status} />
        <span className="muted">
          integration {integrationName ?? conflict.integrationId} · held {relativeTime(conflict.createdAt)} · shard{' '}
          <code>{conflict.shardId}</code>
        </span>
      </header>
      <div className="table-wrap">
        <table className="stack conflict-table">
          <caption className="visually-hidden">Held fields of {title}: base, local and remote values</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Base (last agreed)</th>
              <th scope="col">Local (shard)</th>
              <th scope="col">Remote (provider)</th>
              {open && <th scope="col">Decision</th>}
              {conflict.resolution && <th scope="col">Chosen</th>}
            </tr>
          </thead>
          <tbody>
            {conflict.fields.map((field) => {
              const draft = drafts[field.field] ?? { kind: 'local' };
              return (
                <tr key={field.field} data-field={field.field}>
                  <th scope="row" data-label="Field">
                    <code>{field.field}</code>
                  </th>
                  <td data-label="Base">
                    <ValueView value={field.base} present={'base' in field} />
                  </td>
                  <td data-label="Local" className={open && draft.kind === 'local' ? 'chosen' : undefined}>
                    <ValueView value={field.local} present={'local' in field} />
                  </td>
                  <td data-label="Remote" className={open && draft.kind === 'remote' ? 'chosen' : undefined}>
                    <ValueView value={field.remote} present={'remote' in field} />
                  </td>
                  {conflict.resolution && (
                    <td data-label="Chosen" data-testid="chosen">
                      <ChosenValue conflict={conflict} field={field} />
                    </td>
                  )}
                  {open && (
                    <td data-label="Decision">
                      <FieldChoice
                        field={field.field}
                        draft={draft}
                        onChange={(next) => set(field.field, next)}
                        seed={describeValue(field.local, 'local' in field)}
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {open && (
        <div className="form-actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => onResolve(toChoices(drafts))}
            aria-label={`Resolve ${title}`}
          >
            {busy ? 'Resolving…' : 'Resolve'}
          </button>
        </div>
      )}
      {conflict.resolution && (
        <p className="muted">
          Resolved {relativeTime(conflict.resolvedAt)}
          {conflict.resolution.resolvedBy ? ` by ${conflict.resolution.resolvedBy}` : ''}.
        </p>
      )}
    </article>
  );
}

function ChosenValue({ conflict, field }: { conflict: ConflictView; field: ConflictView['fields'][number] }) {
  const chosen = chosenValue(conflict, field);
  if (!chosen) return <span className="muted">—</span>;
  return (
    <>
      <ValueView value={chosen.value} present={chosen.present} /> <span className="muted">({chosen.how})</span>
    </>
  );
}

function FieldChoice({
  field,
  draft,
  onChange,
  seed,
}: {
  field: string;
  draft: Draft;
  onChange(draft: Draft): void;
  seed: string;
}) {
  const name = useId();
  const editId = useId();
  return (
    <fieldset className="choice-group">
      <legend className="visually-hidden">Value to keep for {field}</legend>
      <label>
        <input type="radio" name={name} checked={draft.kind === 'local'} onChange={() => onChange({ kind: 'local' })} />{' '}
        Keep local
      </label>
      <label>
        <input
          type="radio"
          name={name}
          checked={draft.kind === 'remote'}
          onChange={() => onChange({ kind: 'remote' })}
        />{' '}
        Take remote
      </label>
      <label>
        <input
          type="radio"
          name={name}
          checked={draft.kind === 'edit'}
          onChange={() => onChange({ kind: 'edit', text: seed === '(absent)' ? '' : seed })}
        />{' '}
        Edit value
      </label>
      {draft.kind === 'edit' && (
        <>
          <label htmlFor={editId} className="visually-hidden">
            New value for {field} (JSON, or plain text)
          </label>
          <textarea
            id={editId}
            value={draft.text}
            onChange={(event) => onChange({ kind: 'edit', text: event.target.value })}
          />
        </>
      )}
    </fieldset>
  );
}
