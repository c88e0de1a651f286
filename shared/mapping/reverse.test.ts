import type { Catalog } from '../adapters/contract';
import { compileSchema } from './compile';
import { buildEntityMap } from './entity-map';
import { reverseMap } from './reverse';
import { parseConversionSchema } from './validate';

const catalog: Catalog = {
  provider: 'salesforce',
  entities: [
    {
      name: 'Contact',
      supportsIncremental: true,
      supportsWebhooks: false,
      supportsPush: true,
      reportsDeletions: true,
      fields: [
        { name: 'Email', type: 'string', writable: true },
        { name: 'MailingAddress', type: 'object', writable: true },
        { name: 'LeadSource', type: 'string', writable: true },
        { name: 'CreatedDate', type: 'datetime' },
        { name: 'FirstName', type: 'string', writable: true },
        { name: 'LastName', type: 'string', writable: true },
      ],
    },
  ],
};

const schema = parseConversionSchema(
  {
    provider: 'salesforce',
    entity: 'Contact',
    shardType: 'person',
    fields: {
      email: { source: 'Email', coerce: { to: 'string' } },
      city: { source: 'MailingAddress.city' },
      source: { source: 'LeadSource', coerce: { to: 'enum', values: { Web: 'web', 'Phone Inquiry': 'phone' } } },
      created: { source: 'CreatedDate', coerce: { to: 'datetime' } },
      fullName: { expression: 'FirstName & " " & LastName' },
    },
  },
  catalog,
);

describe('reverse mapping', () => {
  const compiled = compileSchema(schema);

  it('maps writable fields back along their source paths, enums through the inverted table', () => {
    const result = reverseMap(compiled, { email: 'a@b.co', city: 'Paris', source: 'phone' });
    expect(result).toEqual({
      data: { Email: 'a@b.co', MailingAddress: { city: 'Paris' }, LeadSource: 'Phone Inquiry' },
      notReversible: [],
      unknownFields: [],
    });
  });

  it('says which fields cannot go back and why: computed, read-only, no inverse; and which are unknown', () => {
    const result = reverseMap(compiled, {
      fullName: 'Ada L',
      created: '2024-01-01T00:00:00.000Z',
      source: 'email',
      nickname: 'x',
      email: null,
    });
    expect(result.data).toEqual({ Email: null });
    expect(result.notReversible.map((item) => [item.field, item.reason])).toEqual([
      ['source', 'no_inverse'],
      ['created', 'read_only'],
      ['fullName', 'computed'],
    ]);
    expect(result.unknownFields).toEqual(['nickname']);
  });

  it('validation with the catalog writes the writable flags into the saved schema', () => {
    expect(schema.fields.email!.writable).toBe(true);
    expect(schema.fields.created!.writable).toBe(false);
    expect(schema.fields.fullName!.writable).toBeUndefined();
  });

  it('without the catalog nothing is writable unless the schema says so', () => {
    const bare = parseConversionSchema({
      provider: 'salesforce',
      entity: 'Contact',
      shardType: 'person',
      fields: { email: { source: 'Email' }, phone: { source: 'Phone', writable: true } },
    });
    const result = reverseMap(bare, { email: 'a@b.co', phone: '+1 555' });
    expect(result.data).toEqual({ Phone: '+1 555' });
    expect(result.notReversible).toEqual([
      { field: 'email', reason: 'read_only', message: '"email" is not writable at the provider' },
    ]);
  });
});

describe('entity map', () => {
  it('maps entities to their schema and shard type, and refuses an entity mapped twice', () => {
    const map = buildEntityMap([schema]);
    expect(map.shardTypeOf('Contact')).toBe('person');
    expect(map.schemaFor('Account')).toBeUndefined();
    expect(() => buildEntityMap([schema, schema])).toThrow('schemas.1.entity: entity "Contact" is mapped twice');
  });
});
