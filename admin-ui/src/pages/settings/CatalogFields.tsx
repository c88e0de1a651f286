/**
 * The mapping editor's field picker: the provider's fields of one entity, from GET …/catalog (the adapter's
 * discovery with the stored credential), offered as suggestions for every source path. Without a credential
 * (or when the provider cannot be reached) the editor still works, with free text and a note saying why.
 */
import type { CatalogView } from '../../../../shared/admin/contracts/run-controls';
import { useResource } from '../../api/hooks';

export function catalogListId(entity: string): string {
  return `catalog-fields-${entity.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function CatalogFields({ path, entity }: { path: string; entity: string }) {
  const catalog = useResource<CatalogView>(`${path}/catalog`);
  const fields = catalog.data?.entities.find((candidate) => candidate.name === entity)?.fields ?? [];
  return (
    <>
      <datalist id={catalogListId(entity)}>
        {fields.map((field) => (
          <option key={field.name} value={field.name}>
            {`${field.type}${field.required ? ', required' : ''}${field.writable ? ', writable' : ''}`}
          </option>
        ))}
      </datalist>
      <p className="muted" data-catalog-fields={fields.length}>
        {catalog.error
          ? `The provider’s fields could not be read (${catalog.error.message}); type source paths by hand.`
          : catalog.data
            ? `${fields.length} fields from the provider are suggested for source paths.`
            : 'Reading the provider’s fields…'}
      </p>
    </>
  );
}
