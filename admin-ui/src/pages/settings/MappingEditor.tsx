/**
 * The field-mapping editor of one entity: shard field ← source path or JSONata expression, with a coercion and
 * "required". Saves the conversion schema with PUT …/mappings/{entity} (parts this editor does not show, such
 * as relationships and derived shards, are kept as they are), shows each validation issue on its row, and
 * previews a sample record mapped with the draft (POST …/mappings/{entity}/preview).
 */
import { useState, type FormEvent } from 'react';
import type {
  ConversionSchemaView,
  FieldMappingView,
  IntegrationView,
  MappingPreviewResponse,
  PutMappingResponse,
} from '../../../../shared/admin/contracts/integrations';
import { api, ApiError, asApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';
import { CatalogFields, catalogListId } from './CatalogFields';

type Coercion = NonNullable<FieldMappingView['coerce']>['to'];
const COERCIONS: Coercion[] = ['json', 'string', 'number', 'integer', 'boolean', 'datetime', 'date'];

interface Row {
  key: number;
  name: string;
  mode: 'source' | 'expression';
  value: string;
  coerce: Coercion;
  required: boolean;
  /** Options this editor does not show (enum tables, defaults, writable), kept on save. */
  rest: Omit<FieldMappingView, 'source' | 'expression' | 'required'>;
}

let nextKey = 1;
function rowsOf(schema: ConversionSchemaView | undefined): Row[] {
  if (!schema)
    return [{ key: nextKey++, name: '', mode: 'source', value: '', coerce: 'json', required: false, rest: {} }];
  return Object.entries(schema.fields).map(([name, field]) => {
    const { source, expression, required, ...rest } = field;
    return {
      key: nextKey++,
      name,
      mode: expression !== undefined ? 'expression' : 'source',
      value: expression ?? source ?? '',
      coerce: field.coerce?.to ?? 'json',
      required: required === true,
      rest,
    };
  });
}

function fieldOf(row: Row): FieldMappingView {
  const keepCoerce = row.rest.coerce && row.rest.coerce.to === row.coerce ? row.rest.coerce : undefined;
  const coerce = row.coerce === 'json' && !keepCoerce ? undefined : (keepCoerce ?? { to: row.coerce });
  const { coerce: _old, ...rest } = row.rest;
  return {
    ...rest,
    ...(row.mode === 'source' ? { source: row.value } : { expression: row.value }),
    ...(coerce ? { coerce } : {}),
    ...(row.required ? { required: true } : {}),
  };
}

const SAMPLE = (entity: string) =>
  JSON.stringify(
    {
      id: 'sample-1',
      data: { id: 'sample-1', title: `An example ${entity}`, state: 'open', updatedAt: '2026-01-15T10:00:00Z' },
    },
    null,
    2,
  );

export function MappingEditor({
  integration,
  entity,
  path,
}: {
  integration: IntegrationView;
  entity: string;
  path: string;
}) {
  const stored = integration.mappings?.[entity];
  const [hasMapping, setHasMapping] = useState(stored !== undefined);
  const [shardType, setShardType] = useState(stored?.shardType ?? `${integration.provider}.${entity}`);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(stored));
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [sample, setSample] = useState(() => SAMPLE(entity));
  const [preview, setPreview] = useState<MappingPreviewResponse>();
  const [previewError, setPreviewError] = useState<ApiError>();

  const schema = (): ConversionSchemaView => ({
    ...stored,
    provider: integration.provider,
    entity,
    shardType,
    fields: Object.fromEntries(rows.map((row) => [row.name, fieldOf(row)])),
  });
  const update = (key: number, change: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    try {
      const saved = await api.send<PutMappingResponse>(
        'PUT',
        `${path}/mappings/${encodeURIComponent(entity)}`,
        schema(),
      );
      setHasMapping(true);
      setNotice(
        saved.warning
          ? `Saved. ${saved.warning}`
          : saved.checkedAgainstCatalog
            ? 'Saved and checked against the provider’s fields.'
            : 'Saved.',
      );
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  };

  const runPreview = async () => {
    setPreviewError(undefined);
    setPreview(undefined);
    let record: unknown;
    try {
      record = JSON.parse(sample);
    } catch {
      setPreviewError(new ApiError(400, 'bad_request', 'the sample record is not valid JSON', 'record'));
      return;
    }
    try {
      setPreview(
        await api.send<MappingPreviewResponse>('POST', `${path}/mappings/${encodeURIComponent(entity)}/preview`, {
          schema: schema(),
          record,
        }),
      );
    } catch (thrown) {
      setPreviewError(asApiError(thrown));
    }
  };

  const idBase = `map-${entity}`;
  const rowMessage = (row: Row) => (row.name ? errorFor(error, `fields.${row.name}`) : undefined);
  const shardTypeMessage = errorFor(error, 'shardType');
  const fieldsMessage = error?.target === 'fields' ? error.message : undefined;
  const placed = shardTypeMessage || fieldsMessage || rows.some((row) => rowMessage(row));

  return (
    <div className="two-columns">
      <form className="card" onSubmit={save} aria-labelledby={`${idBase}-title`} noValidate>
        <h3 id={`${idBase}-title`}>Field mapping: {entity}</h3>
        <CatalogFields path={path} entity={entity} />
        {!hasMapping && <p className="muted">No mapping yet: records are stored with their fields as they are.</p>}
        {!placed && <ErrorBanner error={error} title="Not saved" />}
        {placed && (
          <p className="field-error" role="alert">
            The mapping has problems; see the fields marked below.
          </p>
        )}
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${idBase}-shard-type`}>Shard type</label>
          <input
            id={`${idBase}-shard-type`}
            value={shardType}
            onChange={(event) => setShardType(event.target.value)}
            {...invalidProps(shardTypeMessage, `${idBase}-shard-type`)}
          />
          <FieldError id={`${idBase}-shard-type`} message={shardTypeMessage} />
        </div>
        <div className="mapping-row mapping-head" aria-hidden="true">
          <span>Shard field</span>
          <span>Source path or expression</span>
          <span>Convert to</span>
          <span />
        </div>
        {rows.map((row, index) => {
          const id = `${idBase}-${row.key}`;
          const message = rowMessage(row);
          return (
            <div
              className="mapping-row"
              key={row.key}
              role="group"
              aria-label={`Field ${index + 1}${row.name ? `: ${row.name}` : ''}`}
            >
              <div>
                <label className="visually-hidden" htmlFor={`${id}-name`}>
                  Shard field {index + 1}
                </label>
                <input
                  id={`${id}-name`}
                  value={row.name}
                  placeholder="title"
                  onChange={(event) => update(row.key, { name: event.target.value })}
                  {...invalidProps(message, id)}
                />
              </div>
              <div>
                <label className="visually-hidden" htmlFor={`${id}-mode`}>
                  Kind of field {index + 1}
                </label>
                <select
                  id={`${id}-mode`}
                  value={row.mode}
                  onChange={(event) => update(row.key, { mode: event.target.value as Row['mode'] })}
                >
                  <option value="source">Source path</option>
                  <option value="expression">Expression (JSONata)</option>
                </select>
                <label className="visually-hidden" htmlFor={`${id}-value`}>
                  {row.mode === 'source' ? 'Source path' : 'Expression'} of field {index + 1}
                </label>
                <input
                  id={`${id}-value`}
                  value={row.value}
                  placeholder={row.mode === 'source' ? 'fields.Name' : '$uppercase(title)'}
                  list={row.mode === 'source' ? catalogListId(entity) : undefined}
                  onChange={(event) => update(row.key, { value: event.target.value })}
                  {...invalidProps(message, id)}
                />
              </div>
              <div>
                <label className="visually-hidden" htmlFor={`${id}-coerce`}>
                  Convert field {index + 1} to
                </label>
                <select
                  id={`${id}-coerce`}
                  value={row.coerce}
                  onChange={(event) => update(row.key, { coerce: event.target.value as Coercion })}
                >
                  {COERCIONS.map((to) => (
                    <option key={to} value={to}>
                      {to === 'json' ? 'keep as is' : to}
                    </option>
                  ))}
                </select>
                <label className="inline-check">
                  <input
                    type="checkbox"
                    checked={row.required}
                    onChange={(event) => update(row.key, { required: event.target.checked })}
                  />{' '}
                  required
                </label>
              </div>
              <button
                type="button"
                className="small"
                onClick={() => setRows((current) => current.filter((candidate) => candidate.key !== row.key))}
                aria-label={`Remove field ${index + 1}${row.name ? ` (${row.name})` : ''}`}
              >
                Remove
              </button>
              <div className="row-errors">
                <FieldError id={id} message={message} />
              </div>
            </div>
          );
        })}
        {fieldsMessage && <p className="field-error">{fieldsMessage}</p>}
        <div className="form-actions">
          <button
            type="button"
            onClick={() =>
              setRows((current) => [
                ...current,
                { key: nextKey++, name: '', mode: 'source', value: '', coerce: 'json', required: false, rest: {} },
              ])
            }
          >
            Add field
          </button>
          <button type="submit" className="primary">
            Save mapping
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby={`${idBase}-preview-title`}>
        <h3 id={`${idBase}-preview-title`}>Preview</h3>
        <div className="field">
          <label htmlFor={`${idBase}-sample`}>
            Sample record <span className="hint">{'{"id": …, "data": {…}}'} as the provider returns it</span>
          </label>
          <textarea
            id={`${idBase}-sample`}
            value={sample}
            onChange={(event) => setSample(event.target.value)}
            rows={8}
          />
        </div>
        <button type="button" onClick={() => void runPreview()}>
          Preview mapped record
        </button>
        <ErrorBanner error={previewError} title="No preview" />
        {preview && !preview.ok && (
          <p className="field-error" role="alert">
            {preview.error.field ? (
              <>
                Field <code>{preview.error.field}</code>:{' '}
              </>
            ) : null}
            {preview.error.message}
          </p>
        )}
        {preview?.ok && (
          <div role="status">
            {preview.note && <p className="muted">{preview.note}</p>}
            {preview.shardType && (
              <p>
                Shard type <code>{preview.shardType}</code>
              </p>
            )}
            <pre aria-label="Mapped record">{JSON.stringify(preview.data, null, 2)}</pre>
          </div>
        )}
      </section>
    </div>
  );
}
