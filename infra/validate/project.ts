/**
 * Loads an infra folder for validation: every .bicep file (parsed and modelled) and every ARM parameter
 * file under params/. Works on any copy of the folder, which is how the tests break things on purpose.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AppError } from '../../shared/core/app-error';
import { loadBicepFile, type BicepFile, type ResourceDecl } from './bicep-model';

export interface ParamFile {
  /** Path relative to the infra folder. */
  path: string;
  /** Environment named by the file name: params/<environment>.parameters.json. */
  environment: string;
  parameters?: Record<string, unknown>;
  error?: string;
}

export interface LocatedResource {
  file: BicepFile;
  resource: ResourceDecl;
}

export interface InfraProject {
  dir: string;
  files: BicepFile[];
  paramFiles: ParamFile[];
}

const SKIPPED_DIRS = new Set(['node_modules', 'validate', '.git']);

function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return SKIPPED_DIRS.has(name) ? [] : listFiles(full, accept);
      return accept(name) ? [full] : [];
    });
}

function toRelative(dir: string, full: string): string {
  return relative(dir, full).split(sep).join('/');
}

export function loadInfraProject(dir: string): InfraProject {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AppError('configuration', `infra folder not found: ${dir}`, { target: dir });
  }
  const files = listFiles(dir, (name) => name.endsWith('.bicep')).map((full) =>
    loadBicepFile(toRelative(dir, full), readFileSync(full, 'utf8')),
  );
  const paramsDir = join(dir, 'params');
  const paramFiles = existsSync(paramsDir)
    ? listFiles(paramsDir, (name) => name.endsWith('.parameters.json')).map((full) => readParamFile(dir, full))
    : [];
  return { dir, files, paramFiles };
}

function readParamFile(dir: string, full: string): ParamFile {
  const path = toRelative(dir, full);
  const environment = path
    .split('/')
    .pop()!
    .replace(/\.parameters\.json$/, '');
  try {
    const json = JSON.parse(readFileSync(full, 'utf8')) as { parameters?: Record<string, unknown> };
    if (typeof json.parameters !== 'object' || json.parameters === null)
      return { path, environment, error: 'has no "parameters" object' };
    return { path, environment, parameters: json.parameters };
  } catch (error) {
    return {
      path,
      environment,
      error: `is not valid JSON (${error instanceof Error ? error.message : 'unknown error'})`,
    };
  }
}

/** Every declared resource of a type (deployed ones only unless `existing` references are wanted). */
export function resourcesOfType(
  project: InfraProject,
  type: string,
  options: { includeExisting?: boolean } = {},
): LocatedResource[] {
  return project.files.flatMap((file) =>
    file.resources
      .filter(
        (resource) =>
          resource.type.toLowerCase() === type.toLowerCase() && (options.includeExisting || !resource.existing),
      )
      .map((resource) => ({ file, resource })),
  );
}

export function where(file: BicepFile, line: number): string {
  return `${file.path}:${line}`;
}
