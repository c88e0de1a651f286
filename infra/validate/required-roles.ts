/**
 * The data-plane roles the app's managed identity needs, as data: which built-in role, on which kind of
 * resource, and which code needs it. infra/modules/roles.bicep must assign each (rule role-assignments).
 * Role definition ids are Azure's built-in ids, the same in every tenant.
 */
export interface RequiredRole {
  name: string;
  /** Azure RBAC roles are Microsoft.Authorization/roleAssignments; Cosmos DB data roles are SQL role assignments. */
  kind: 'azure-rbac' | 'cosmos-sql';
  roleDefinitionId: string;
  /** Resource type the assignment is scoped to. */
  scopeType: string;
  neededBy: string;
}

export const REQUIRED_ROLES: readonly RequiredRole[] = [
  {
    name: 'Azure Service Bus Data Sender',
    kind: 'azure-rbac',
    roleDefinitionId: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
    scopeType: 'Microsoft.ServiceBus/namespaces',
    neededBy:
      'shared/stores/queue (Service Bus adapter): SyncScheduler and WebhookReceiver enqueue jobs, SyncInboundWorker enqueues the next page',
  },
  {
    name: 'Azure Service Bus Data Receiver',
    kind: 'azure-rbac',
    roleDefinitionId: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
    scopeType: 'Microsoft.ServiceBus/namespaces',
    neededBy:
      'the Service Bus triggers of SyncInboundWorker (sync-inbound, sessions) and SyncOutboundWorker (sync-outbound)',
  },
  {
    name: 'Cosmos DB Built-in Data Contributor',
    kind: 'cosmos-sql',
    roleDefinitionId: '00000000-0000-0000-0000-000000000002',
    scopeType: 'Microsoft.DocumentDB/databaseAccounts',
    neededBy:
      'shared/stores/documents (Cosmos repositories of every container), through @azure/cosmos with DefaultAzureCredential',
  },
  {
    name: 'Key Vault Secrets Officer',
    kind: 'azure-rbac',
    roleDefinitionId: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    scopeType: 'Microsoft.KeyVault/vaults',
    neededBy:
      'shared/credentials (Key Vault secret store): stores, refreshes and rotates provider credentials; Key Vault app-setting references',
  },
  {
    name: 'Storage Blob Data Owner',
    kind: 'azure-rbac',
    roleDefinitionId: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    scopeType: 'Microsoft.Storage/storageAccounts',
    neededBy:
      'the Functions host (AzureWebJobsStorage: timer leases, host keys) and the Flex Consumption deployment container',
  },
  {
    name: 'Storage Queue Data Contributor',
    kind: 'azure-rbac',
    roleDefinitionId: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    scopeType: 'Microsoft.Storage/storageAccounts',
    neededBy: 'the Functions host (AzureWebJobsStorage queues)',
  },
  {
    name: 'Storage Table Data Contributor',
    kind: 'azure-rbac',
    roleDefinitionId: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    scopeType: 'Microsoft.Storage/storageAccounts',
    neededBy: 'the Functions host (AzureWebJobsStorage tables)',
  },
  {
    name: 'Storage Blob Data Contributor',
    kind: 'azure-rbac',
    roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    scopeType: 'Microsoft.Storage/storageAccounts',
    neededBy: 'shared/webhooks (archive): WebhookReceiver writes raw payloads, replay reads them',
  },
  {
    name: 'EventGrid Data Sender',
    kind: 'azure-rbac',
    roleDefinitionId: 'd5a91429-5739-47e2-a06b-3470a27159e7',
    scopeType: 'Microsoft.EventGrid/topics',
    neededBy: 'the Event Grid publisher (events out: sync completed, conflicts, failures)',
  },
  {
    name: 'Monitoring Metrics Publisher',
    kind: 'azure-rbac',
    roleDefinitionId: '3913510d-42f4-4e42-8a64-420c390055eb',
    scopeType: 'Microsoft.Insights/components',
    neededBy:
      'shared/platform/observability and the host: telemetry to Application Insights with Entra auth (local auth is off)',
  },
];
