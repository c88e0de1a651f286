/** The adapter registry: lookup by provider, capabilities listing, duplicate and unknown providers. */
import { AdapterRegistry, createDefaultRegistry } from './registry';
import { githubAdapterFactory } from './github';

describe('AdapterRegistry', () => {
  it('lists the shipped providers with their capabilities', () => {
    const registry = createDefaultRegistry();
    const listed = registry.list();
    expect(listed.map((entry) => entry.provider)).toEqual(expect.arrayContaining(['github', 'notion']));
    expect(listed.find((entry) => entry.provider === 'github')!.capabilities.entities).toEqual([
      'issues',
      'issue_comments',
    ]);
    expect(registry.get('notion').provider).toBe('notion');
  });

  it('throws not_found for an unknown provider and configuration for a duplicate', () => {
    const registry = new AdapterRegistry().register(githubAdapterFactory);
    expect(() => registry.get('myspace')).toThrow(expect.objectContaining({ code: 'not_found', retryable: false }));
    expect(() => registry.register(githubAdapterFactory)).toThrow(expect.objectContaining({ code: 'configuration' }));
  });

  it('creates adapters bound to a context', () => {
    const adapter = createDefaultRegistry().create('github', {
      baseUrl: 'http://127.0.0.1:1',
      options: { repositories: ['a/b'] },
      requestTimeoutMs: 1000,
      auth: { headers: async () => ({}) },
    });
    expect(adapter.provider).toBe('github');
  });
});
