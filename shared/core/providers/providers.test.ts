import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProviderId, PROVIDER_IDS, PROVIDERS, providerDescriptor } from '.';

/** `*.example.com` matches any subdomain; anything else matches itself (as the outbound address rule reads it). */
function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
}

describe('provider descriptors', () => {
  it('declare each id once, in the order the product lists them', () => {
    expect(PROVIDER_IDS).toEqual(['github', 'salesforce', 'notion', 'slack', 'google']);
    for (const id of PROVIDER_IDS) expect(providerDescriptor(id).id).toBe(id);
    expect(isProviderId('generic')).toBe(false);
  });

  it.each(PROVIDERS.map((provider) => [provider.id, provider] as const))(
    '%s: defaults are supported entities, and every endpoint is on one of its hosts',
    (_id, provider) => {
      expect(provider.entities.defaults.length).toBeGreaterThan(0);
      for (const entity of provider.entities.defaults) expect(provider.entities.supported).toContain(entity);
      const endpoints: (string | undefined)[] = [
        provider.api.baseUrl,
        provider.oauth.authorizeUrl,
        provider.oauth.tokenUrl,
      ];
      for (const url of endpoints.filter((value): value is string => value !== undefined)) {
        expect(new URL(url).protocol).toBe('https:');
        expect(hostAllowed(new URL(url).hostname, provider.api.hosts)).toBe(true);
      }
    },
  );

  it('import nothing but each other, so the admin UI can bundle them', () => {
    const folder = __dirname;
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      const source = readFileSync(join(folder, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      for (const path of imports) expect(`${file}: ${path}`).toMatch(/: \.\/[a-z-]+$/);
    }
  });
});
