/**
 * Rules tying infra to the code's own lists: every queue of shared/stores/queue/queues.ts and every Cosmos
 * container of shared/stores/documents/containers.ts exists with the same name, partition key and properties.
 */
import { parseSettings } from '../../../shared/config/settings';
import { QUEUES } from '../../../shared/stores/queue/queues';
import { CONTAINERS } from '../../../shared/stores/documents/cosmos/containers';
import { getPath, refsOf, type Value } from '../bicep-values';
import { resourcesOfType, where, type InfraProject, type LocatedResource } from '../project';
import type { Rule } from './common';

function shortName(resource: LocatedResource): string | undefined {
  const name = resource.resource.body['name'];
  return typeof name === 'string' ? name.split('/').pop() : undefined;
}

export const serviceBusQueues: Rule = {
  id: 'service-bus-queues',
  title: 'every queue the code uses exists with its sessions, duplicate detection and dead-lettering',
  check(project) {
    const problems = checkNamespaces(project);
    const queues = resourcesOfType(project, 'Microsoft.ServiceBus/namespaces/queues');
    for (const expected of Object.values(QUEUES)) {
      const found = queues.find((queue) => shortName(queue) === expected.name);
      if (!found) {
        problems.push(`queue '${expected.name}' (shared/stores/queue/queues.ts) is not declared`);
        continue;
      }
      const at = where(found.file, found.resource.line);
      const property = (name: string): Value | undefined => getPath(found.resource.body, `properties.${name}`);
      if (property('requiresSession') !== expected.requiresSession) {
        problems.push(
          `${at}: queue '${expected.name}' must have requiresSession: ${expected.requiresSession}, found ${JSON.stringify(property('requiresSession') ?? null)}`,
        );
      }
      if (property('requiresDuplicateDetection') !== expected.requiresDuplicateDetection) {
        problems.push(
          `${at}: queue '${expected.name}' must have requiresDuplicateDetection: ${expected.requiresDuplicateDetection}`,
        );
      }
      if (expected.requiresDuplicateDetection && property('duplicateDetectionHistoryTimeWindow') === undefined) {
        problems.push(`${at}: queue '${expected.name}' sets no duplicateDetectionHistoryTimeWindow`);
      }
      if (property('deadLetteringOnMessageExpiration') !== true)
        problems.push(
          `${at}: queue '${expected.name}' must dead-letter expired messages (deadLetteringOnMessageExpiration: true)`,
        );
      const maxDeliveryCount = property('maxDeliveryCount');
      if (
        maxDeliveryCount === undefined ||
        (typeof maxDeliveryCount === 'number' && (maxDeliveryCount < 1 || maxDeliveryCount > 100))
      ) {
        problems.push(`${at}: queue '${expected.name}' needs a maxDeliveryCount between 1 and 100`);
      }
      if (property('lockDuration') === undefined) problems.push(`${at}: queue '${expected.name}' sets no lockDuration`);
    }
    return problems;
  },
};

/** Sessions and duplicate detection do not exist on the Basic tier. */
function checkNamespaces(project: InfraProject): string[] {
  const problems: string[] = [];
  for (const namespace of resourcesOfType(project, 'Microsoft.ServiceBus/namespaces')) {
    const at = where(namespace.file, namespace.resource.line);
    const sku = getPath(namespace.resource.body, 'sku.name');
    if (sku === 'Basic') problems.push(`${at}: Service Bus sku Basic has no sessions or duplicate detection`);
    for (const name of refsOf(sku)) {
      const allowed = namespace.file.params.get(name)?.decorators['allowed'];
      if (Array.isArray(allowed) && allowed.includes('Basic'))
        problems.push(
          `${at}: param '${name}' allows the Basic Service Bus tier, which has no sessions or duplicate detection`,
        );
    }
  }
  return problems;
}

export const cosmosContainers: Rule = {
  id: 'cosmos-containers',
  title: 'the database and every container the code uses exist with the same partition key and an indexing policy',
  check(project) {
    const problems: string[] = [];
    const databaseName = parseSettings({}).cosmos.database;
    const databases = resourcesOfType(project, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
    if (
      !databases.some(
        (database) =>
          shortName(database) === databaseName &&
          getPath(database.resource.body, 'properties.resource.id') === databaseName,
      )
    ) {
      problems.push(
        `Cosmos database '${databaseName}' (the COSMOS_DATABASE default) is not declared with name and resource.id '${databaseName}'`,
      );
    }
    const declared = resourcesOfType(project, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    const expectedNames = new Set<string>(Object.values(CONTAINERS).map((container) => container.name));
    for (const expected of Object.values(CONTAINERS)) {
      const found = declared.find((container) => shortName(container) === expected.name);
      if (!found) {
        problems.push(`container '${expected.name}' (shared/stores/documents/containers.ts) is not declared`);
        continue;
      }
      const at = where(found.file, found.resource.line);
      const resource = getPath(found.resource.body, 'properties.resource');
      if (getPath(resource, 'id') !== expected.name)
        problems.push(`${at}: container '${expected.name}' must have resource.id '${expected.name}'`);
      const paths = getPath(resource, 'partitionKey.paths');
      if (!Array.isArray(paths) || paths.length !== 1 || paths[0] !== expected.partitionKey) {
        problems.push(
          `${at}: container '${expected.name}' must be partitioned by ${expected.partitionKey} (the code's key), found ${JSON.stringify(paths ?? null)}`,
        );
      }
      const included = getPath(resource, 'indexingPolicy.includedPaths');
      if (!Array.isArray(included) || included.length === 0)
        problems.push(`${at}: container '${expected.name}' has no indexingPolicy with includedPaths`);
    }
    for (const container of declared) {
      const name = shortName(container);
      if (name && !expectedNames.has(name))
        problems.push(
          `${where(container.file, container.resource.line)}: container '${name}' is not used by the code (shared/stores/documents/containers.ts)`,
        );
    }
    return problems;
  },
};
