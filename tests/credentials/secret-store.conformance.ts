/**
 * One conformance suite for every SecretStore adapter: versions, tags, soft delete and recover-on-set,
 * listing without values, name validation. Each adapter's test file calls it with a factory.
 */
import { randomUUID } from 'node:crypto';
import { isAppError } from '../../shared/core/app-error';
import type { SecretStore } from '../../shared/credentials/secret-store';

export function secretStoreConformance(label: string, makeStore: () => Promise<SecretStore>): void {
  describe(`SecretStore conformance: ${label}`, () => {
    let store: SecretStore;
    const unique = (): string => `conf-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      store = await makeStore();
    });

    it('returns undefined for a missing secret', async () => {
      expect(await store.get(unique())).toBeUndefined();
    });

    it('stores a value with content type and tags, and reads it back', async () => {
      const name = unique();
      const written = await store.set(name, '{"a":1}', {
        contentType: 'application/json',
        tags: { type: 'api_key', integration: 'i-1' },
      });
      expect(written.version).toMatch(/\S/);
      const read = await store.get(name);
      expect(read).toMatchObject({
        name,
        value: '{"a":1}',
        contentType: 'application/json',
        version: written.version,
        tags: { type: 'api_key', integration: 'i-1' },
      });
    });

    it('creates a new version on every set and keeps older versions readable', async () => {
      const name = unique();
      const first = await store.set(name, 'one');
      const second = await store.set(name, 'two');
      expect(second.version).not.toBe(first.version);
      expect((await store.get(name))?.value).toBe('two');
      expect((await store.get(name, { version: first.version }))?.value).toBe('one');
      expect(await store.get(name, { version: 'ffffffffffffffffffffffffffffffff' })).toBeUndefined();
    });

    it('lists metadata with tags and without values', async () => {
      const prefix = `lst${randomUUID().slice(0, 6)}`;
      await store.set(`${prefix}-a`, 'secret-a', { tags: { k: 'a' } });
      await store.set(`${prefix}-b`, 'secret-b', { tags: { k: 'b' } });
      const listed = await store.list({ prefix });
      expect(listed.map((item) => item.name).sort()).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(listed.find((item) => item.name === `${prefix}-b`)?.tags).toEqual({ k: 'b' });
      expect(JSON.stringify(listed)).not.toContain('secret-a');
    });

    it('soft-deletes: the secret disappears from get and list; a second delete reports false', async () => {
      const name = unique();
      await store.set(name, 'v');
      expect(await store.delete(name)).toBe(true);
      expect(await store.get(name)).toBeUndefined();
      expect((await store.list({ prefix: name })).length).toBe(0);
      expect(await store.delete(name)).toBe(false);
    });

    it('setting a soft-deleted name recovers it and writes a new version', async () => {
      const name = unique();
      const first = await store.set(name, 'before');
      await store.delete(name);
      const again = await store.set(name, 'after', { tags: { round: '2' } });
      expect(again.version).not.toBe(first.version);
      expect(await store.get(name)).toMatchObject({ value: 'after', tags: { round: '2' } });
      expect((await store.get(name, { version: first.version }))?.value).toBe('before');
    });

    it('rejects names Key Vault would reject, with a validation AppError', async () => {
      const error = await store.set('bad_name!', 'v').catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('validation');
    });

    it('keeps concurrent writes to different names', async () => {
      const prefix = `par${randomUUID().slice(0, 6)}`;
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`${prefix}-${i}`, `value-${i}`)));
      const listed = await store.list({ prefix });
      expect(listed.length).toBe(20);
      expect((await store.get(`${prefix}-7`))?.value).toBe('value-7');
    });
  });
}
