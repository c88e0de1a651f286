/**
 * Runs every infra rule over an infra folder and reports a verdict per rule. `assertInfraValid` turns a
 * failed report into an AppError whose message names each failing rule, for tests and scripts.
 */
import { AppError } from '../../shared/core/app-error';
import { loadInfraProject, type InfraProject } from './project';
import type { Rule, RuleId } from './rules/common';
import { cosmosContainers, serviceBusQueues } from './rules/data-plane';
import { appSettings, flexConsumption } from './rules/function-app';
import { roleAssignments } from './rules/roles';
import { identityOnly, keyVault, minTls, publicNetworkAccess } from './rules/security';
import { bicepSyntax, moduleWiring, parameterFiles } from './rules/structure';

export const RULES: readonly Rule[] = [
  bicepSyntax,
  moduleWiring,
  parameterFiles,
  flexConsumption,
  appSettings,
  serviceBusQueues,
  cosmosContainers,
  roleAssignments,
  identityOnly,
  minTls,
  publicNetworkAccess,
  keyVault,
];

export interface RuleVerdict {
  rule: RuleId;
  title: string;
  passed: boolean;
  problems: string[];
}

export interface InfraReport {
  dir: string;
  passed: boolean;
  verdicts: RuleVerdict[];
}

export function validateProject(project: InfraProject): InfraReport {
  const verdicts = RULES.map((rule) => {
    let problems: string[];
    try {
      problems = rule.check(project);
    } catch (error) {
      // A rule that trips over a half-parsed file fails itself, not the whole run.
      problems = [`rule crashed: ${error instanceof Error ? error.message : String(error)}`];
    }
    return { rule: rule.id, title: rule.title, passed: problems.length === 0, problems };
  });
  return { dir: project.dir, passed: verdicts.every((verdict) => verdict.passed), verdicts };
}

export function validateInfra(dir: string): InfraReport {
  return validateProject(loadInfraProject(dir));
}

/** One line per rule, problems indented under the failing ones. */
export function formatReport(report: InfraReport): string {
  const lines = report.verdicts.flatMap((verdict) => [
    `${verdict.passed ? 'PASS' : 'FAIL'}  ${verdict.rule}: ${verdict.title}`,
    ...verdict.problems.map((problem) => `        [${verdict.rule}] ${problem}`),
  ]);
  const failed = report.verdicts.filter((verdict) => !verdict.passed).length;
  lines.push(
    failed === 0
      ? `infra valid: ${report.verdicts.length} rules passed`
      : `infra invalid: ${failed} of ${report.verdicts.length} rules failed`,
  );
  return lines.join('\n');
}

export function assertInfraValid(dir: string): InfraReport {
  const report = validateInfra(dir);
  if (!report.passed) {
    const failing = report.verdicts.filter((verdict) => !verdict.passed);
    throw new AppError(
      'validation',
      `infra validation failed: ${failing.map((verdict) => `[${verdict.rule}] ${verdict.problems[0]}`).join('; ')}`,
      {
        target: dir,
        details: { failedRules: failing.map((verdict) => verdict.rule) },
      },
    );
  }
  return report;
}
