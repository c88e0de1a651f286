/**
 * What every rule shares: the rule shape (an id the failure message names, a title, a check returning
 * problems) and lookups of the Function App and its app settings.
 */
import { Expr, getPath, isPlainObject, type Value } from '../bicep-values';
import { resourcesOfType, where, type InfraProject, type LocatedResource } from '../project';

export const RULE_IDS = [
  'bicep-syntax',
  'module-wiring',
  'parameter-files',
  'flex-consumption',
  'app-settings',
  'service-bus-queues',
  'cosmos-containers',
  'role-assignments',
  'identity-only',
  'min-tls',
  'public-network-access',
  'key-vault',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export interface Rule {
  id: RuleId;
  title: string;
  /** Problems found, each naming a file:line; empty means the rule passes. */
  check(project: InfraProject): string[];
}

export interface AppSetting {
  name: string;
  value: Value | undefined;
}

export function functionApps(project: InfraProject): LocatedResource[] {
  return resourcesOfType(project, 'Microsoft.Web/sites').filter(({ resource }) => {
    const kind = resource.body['kind'];
    return typeof kind === 'string' && kind.toLowerCase().includes('functionapp');
  });
}

/**
 * App settings of a site: siteConfig.appSettings ({name, value} list) plus any sites/config 'appsettings'
 * resource in the same file. Settings built at deploy time (union(), concat()) cannot be checked offline,
 * so they are reported instead of guessed.
 */
export function appSettingsOf(app: LocatedResource): { settings: AppSetting[]; problems: string[] } {
  const settings: AppSetting[] = [];
  const problems: string[] = [];
  const at = where(app.file, app.resource.line);
  const list = getPath(app.resource.body, 'properties.siteConfig.appSettings');
  if (Array.isArray(list)) {
    for (const entry of list) {
      const name = getPath(entry, 'name');
      if (typeof name === 'string') settings.push({ name, value: getPath(entry, 'value') });
      else problems.push(`${at}: an app setting without a literal name cannot be checked`);
    }
  } else if (list !== undefined) {
    problems.push(
      `${at}: siteConfig.appSettings must be a literal list of { name, value } so it can be checked offline`,
    );
  }
  for (const config of app.file.resources) {
    if (config.type.toLowerCase() !== 'microsoft.web/sites/config' || getPath(config.body, 'name') !== 'appsettings')
      continue;
    const properties = config.body['properties'];
    if (isPlainObject(properties))
      for (const [name, value] of Object.entries(properties)) settings.push({ name, value });
  }
  return { settings, problems };
}

/** Resource symbol an expression such as `scope: vault` or `parent: account` points at. */
export function referencedSymbol(value: Value | undefined): string | undefined {
  return value instanceof Expr ? value.refs[0] : undefined;
}
