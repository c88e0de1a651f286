/**
 * A local edit of one field of a record (PATCH …/shards/{id} with the ETag read, so an edit made on a stale copy
 * is refused rather than lost). The value is JSON when it parses as JSON, else text, as in the conflict inbox.
 */
import { useState, type FormEvent } from 'react';
import { parseEdited } from '../ops/ConflictCard';

export function RecordEditForm({
  fields,
  busy,
  onSave,
}: {
  fields: string[];
  busy: boolean;
  onSave(field: string, value: unknown): Promise<boolean>;
}) {
  const [field, setField] = useState(fields[0] ?? '');
  const [text, setText] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = field.trim();
    if (!name) return;
    if (await onSave(name, parseEdited(text))) setText('');
  };
  return (
    <form className="form-grid record-edit" aria-label="Edit a field" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor="edit-field">Field</label>
        <input
          id="edit-field"
          list="edit-field-names"
          value={field}
          maxLength={200}
          required
          onChange={(event) => setField(event.target.value)}
        />
        <datalist id="edit-field-names">
          {fields.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="edit-value">New value</label>
        <textarea id="edit-value" rows={2} value={text} onChange={(event) => setText(event.target.value)} />
        <span className="hint">Text, or JSON (a number, true, null, an object).</span>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={busy || !field.trim()}>
          {busy ? 'Saving…' : 'Save local change'}
        </button>
      </div>
    </form>
  );
}
