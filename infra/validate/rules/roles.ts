/**
 * Rule: every role in required-roles.ts is assigned to a principal, on a resource of the right type.
 * Azure RBAC roles are matched by role definition id and by the type of the resource the assignment's
 * `scope` points at; the Cosmos DB data role by its SQL role definition id.
 */
import { flattenStrings, getPath } from '../bicep-values';
import { resourcesOfType, where, type LocatedResource } from '../project';
import { REQUIRED_ROLES, type RequiredRole } from '../required-roles';
import { referencedSymbol, type Rule } from './common';

function mentionsRole(assignment: LocatedResource, role: RequiredRole): boolean {
  const roleDefinition = getPath(assignment.resource.body, 'properties.roleDefinitionId');
  return flattenStrings(roleDefinition).some((text) => text.toLowerCase().includes(role.roleDefinitionId));
}

function scopeType(assignment: LocatedResource): string | undefined {
  const symbol = referencedSymbol(assignment.resource.body['scope']);
  return assignment.file.resources.find((resource) => resource.symbol === symbol)?.type;
}

function hasPrincipal(assignment: LocatedResource): boolean {
  const principal = getPath(assignment.resource.body, 'properties.principalId');
  return principal !== undefined && principal !== '';
}

export const roleAssignments: Rule = {
  id: 'role-assignments',
  title: 'the app identity holds every data-plane role the code needs (infra/validate/required-roles.ts)',
  check(project) {
    const rbac = resourcesOfType(project, 'Microsoft.Authorization/roleAssignments');
    const cosmosSql = resourcesOfType(project, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    const problems: string[] = [];
    for (const role of REQUIRED_ROLES) {
      const candidates = (role.kind === 'cosmos-sql' ? cosmosSql : rbac).filter((assignment) =>
        mentionsRole(assignment, role),
      );
      const label = `${role.name} (${role.roleDefinitionId}) on ${role.scopeType}, needed by ${role.neededBy}`;
      if (candidates.length === 0) {
        problems.push(`no assignment of ${label}`);
        continue;
      }
      const rightScope =
        role.kind === 'cosmos-sql'
          ? candidates
          : candidates.filter((assignment) => scopeType(assignment)?.toLowerCase() === role.scopeType.toLowerCase());
      if (rightScope.length === 0) {
        const first = candidates[0]!;
        problems.push(
          `${where(first.file, first.resource.line)}: ${role.name} is assigned, but its scope is ${scopeType(first) ?? 'not a resource declared in the file'} instead of a ${role.scopeType}`,
        );
        continue;
      }
      if (!rightScope.some(hasPrincipal)) {
        const first = rightScope[0]!;
        problems.push(`${where(first.file, first.resource.line)}: ${role.name} is assigned without a principalId`);
      }
    }
    return problems;
  },
};
