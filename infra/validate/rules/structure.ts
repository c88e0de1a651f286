/**
 * Rules about the files themselves: every .bicep file parses, every module call passes exactly the
 * params its module declares (there is no compiler to catch a typo), and every environment has a parameter
 * file that fits main.bicep.
 */
import { dirname, posix } from 'node:path';
import { where } from '../project';
import type { Rule } from './common';

const ENVIRONMENTS = ['dev', 'staging', 'prod'];

export const bicepSyntax: Rule = {
  id: 'bicep-syntax',
  title: 'every .bicep file parses without ERROR or MISSING nodes',
  check(project) {
    if (project.files.length === 0) return [`${project.dir}: no .bicep files found`];
    return project.files.flatMap((file) =>
      file.syntax.map((problem) => `${file.path}:${problem.line}:${problem.column}: ${problem.message}`),
    );
  },
};

export const moduleWiring: Rule = {
  id: 'module-wiring',
  title: 'every module exists and receives exactly the params it declares (all required ones)',
  check(project) {
    const problems: string[] = [];
    for (const file of project.files) {
      for (const module of file.modules) {
        const at = where(file, module.line);
        const targetPath = posix.normalize(posix.join(dirname(file.path), module.path));
        const target = project.files.find((candidate) => candidate.path === targetPath);
        if (!target) {
          problems.push(
            `${at}: module '${module.symbol}' points at ${module.path}, which does not exist (registry modules cannot compile offline)`,
          );
          continue;
        }
        for (const name of Object.keys(module.params)) {
          if (!target.params.has(name))
            problems.push(`${at}: module '${module.symbol}' passes '${name}', which ${target.path} does not declare`);
        }
        for (const param of target.params.values()) {
          if (!param.hasDefault && !(param.name in module.params))
            problems.push(
              `${at}: module '${module.symbol}' does not pass required param '${param.name}' of ${target.path}`,
            );
        }
      }
    }
    return problems;
  },
};

export const parameterFiles: Rule = {
  id: 'parameter-files',
  title: 'params/<env>.parameters.json exists for dev, staging and prod and fits main.bicep',
  check(project) {
    const main = project.files.find((file) => file.path === 'main.bicep');
    if (!main) return ['main.bicep is missing'];
    const problems: string[] = [];
    for (const environment of ENVIRONMENTS) {
      const paramFile = project.paramFiles.find((candidate) => candidate.environment === environment);
      if (!paramFile) {
        problems.push(`params/${environment}.parameters.json is missing`);
        continue;
      }
      if (paramFile.error || !paramFile.parameters) {
        problems.push(`${paramFile.path} ${paramFile.error ?? 'has no parameters'}`);
        continue;
      }
      const given = paramFile.parameters;
      for (const name of Object.keys(given)) {
        if (!main.params.has(name)) problems.push(`${paramFile.path}: '${name}' is not a param of main.bicep`);
      }
      for (const param of main.params.values()) {
        // Secure params are passed on the command line by deploy.sh, never written to a file.
        if (!param.hasDefault && !param.decorators['secure'] && !(param.name in given))
          problems.push(`${paramFile.path}: required param '${param.name}' is not set`);
      }
      const declaredEnvironment = (given['environmentName'] as { value?: unknown } | undefined)?.value;
      if (declaredEnvironment !== environment)
        problems.push(
          `${paramFile.path}: environmentName must be '${environment}', found ${JSON.stringify(declaredEnvironment)}`,
        );
    }
    return problems;
  },
};
