/**
 * azure.yaml (`azd up`) checked without azd, which cannot be installed here: against the published azd schema
 * (a copy in infra/schemas, see its README), and against the repository it points at (the Bicep entry, its
 * parameters file, the output that names the app, the stage step that builds what ships).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'infra', 'schemas', 'azure.yaml.v1.0.json'), 'utf8'));
const config = parse(readFileSync(join(ROOT, 'azure.yaml'), 'utf8'));

/**
 * The schema refers to the schemas of azd extensions (AI hosts) by URL. They only apply to those hosts; empty
 * stand-ins let the validator compile offline without changing what applies to a `function` service.
 */
function externalRefs(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => externalRefs(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('https://')) found.add(value);
      else externalRefs(value, found);
    }
  }
  return found;
}

const ajv = new Ajv2019({ strict: false, allErrors: true });
for (const uri of externalRefs(schema)) ajv.addSchema({ $id: uri }, uri);
const validate = ajv.compile(schema);

function errorsOf(candidate: unknown): string[] {
  return validate(candidate) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

const service = () => config.services['sync-engine'];
const clone = () => structuredClone(config);

describe('azure.yaml', () => {
  it('is valid against the published azd schema', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it.each([
    ['a function service without project or image', (copy: any) => delete copy.services['sync-engine'].project],
    ['remoteBuild as a string', (copy: any) => (copy.services['sync-engine'].remoteBuild = 'false')],
    [
      'a hook shell azd does not know',
      (copy: any) => (copy.services['sync-engine'].hooks.prepackage.posix.shell = 'bash'),
    ],
    ['an application name with capitals', (copy: any) => (copy.name = 'Integration_Sync')],
    ['an unknown service hook', (copy: any) => (copy.services['sync-engine'].hooks.prestage = { run: 'true' })],
  ])('fails the schema with %s (the check can fail)', (_name, mutate) => {
    const copy = clone();
    mutate(copy);
    expect(errorsOf(copy)).not.toEqual([]);
  });

  it('has one service, a TypeScript function app, in the terms the schema documents', () => {
    expect(Object.keys(config.services)).toEqual(['sync-engine']);
    const documented = schema.properties.services.additionalProperties.properties;
    expect(service().host).toBe('function');
    expect(documented.host.examples).toContain(service().host);
    expect(service().language).toBe('ts');
    expect(documented.language.examples).toContain(service().language);
  });

  it('deploys the staged package, which its prepackage hook builds with infra/stage, as it is', () => {
    const { dist, remoteBuild, hooks } = service();
    expect(remoteBuild).toBe(false);
    for (const platform of ['posix', 'windows']) {
      expect(hooks.prepackage[platform].run).toContain(`infra/stage/cli.ts ${dist}`);
    }
    // Gitignored and never uploaded by a publish from the repository (.funcignore).
    expect(dist.startsWith('.local/')).toBe(true);
  });

  it('provisions infra/main.bicep, whose every param without a default the parameters file sets', () => {
    expect(config.infra).toEqual({ provider: 'bicep', path: 'infra', module: 'main' });
    const bicep = readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    const params = [...bicep.matchAll(/^param (\w+) \w+( =)?/gm)].map((match) => ({
      name: match[1]!,
      hasDefault: match[2] !== undefined,
    }));
    const given = Object.keys(JSON.parse(readFileSync(join(ROOT, 'infra', 'main.parameters.json'), 'utf8')).parameters);
    expect(given.filter((name) => !params.some((param) => param.name === name))).toEqual([]);
    expect(
      params.filter((param) => !param.hasDefault && !given.includes(param.name)).map((param) => param.name),
    ).toEqual([]);
  });

  it('names the app by an output main.bicep has', () => {
    const output = /^\$\{(\w+)\}$/.exec(service().resourceName)?.[1];
    expect(output).toBeDefined();
    expect(readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8')).toMatch(
      new RegExp(`^output ${output} string`, 'm'),
    );
  });
});
