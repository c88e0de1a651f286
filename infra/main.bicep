// Entry point of the Azure deployment: every resource the sync engine needs, in one resource group.
// Deploy with infra/deploy.sh (what-if first); the environment's values are in infra/params/<env>.parameters.json.
targetScope = 'resourceGroup'

@allowed([
  'dev'
  'staging'
  'prod'
])
param environmentName string
param location string = resourceGroup().location
@description('Short lowercase letters/digits prefix of every resource name (storage and Key Vault names are short).')
@minLength(3)
@maxLength(8)
param baseName string = 'isync'
param tags object = {}

@description('Enabled, or Disabled when private endpoints are added (this template creates none; webhooks need a reachable app).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@allowed([
  'serverless'
  'autoscale'
])
param cosmosCapacityMode string = 'serverless'
param cosmosAutoscaleMaxThroughput int = 1000
param webhookDeliveryTtlSeconds int = 2592000

@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'
param queueMaxDeliveryCount int = 10
param queueLockDuration string = 'PT1M'
param queueDuplicateDetectionWindow string = 'PT10M'

@description('Azure Managed Redis size (non-clustered, so at most 25 GB: Balanced_B0 to Balanced_B20).')
@allowed([
  'Balanced_B0'
  'Balanced_B1'
  'Balanced_B3'
  'Balanced_B5'
  'Balanced_B10'
  'Balanced_B20'
])
param redisSku string = 'Balanced_B0'
@allowed([
  'Enabled'
  'Disabled'
])
param redisHighAvailability string = 'Enabled'

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'
param webhookArchiveRetentionDays int = 30

param functionMaximumInstanceCount int = 40
param functionInstanceMemoryMB int = 2048
@description('Node.js major version of the worker (Node 20 reached end of life on 2026-04-30).')
@allowed([
  '22'
  '24'
])
param nodeVersion string = '22'
param logRetentionDays int = 30

@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'
@allowed([
  'api_key'
  'entra'
])
param adminAuthMode string = 'api_key'
@description('Admin API key (at least 16 characters); stored in Key Vault only. deploy.sh generates one when unset.')
@secure()
@minLength(16)
param adminApiKey string
param entraIssuer string = ''
param entraAudience string = ''
// The cloud's own sign-in host (login.microsoftonline.com in Azure's public cloud) rather than a literal one.
param entraJwksUrl string = '${environment().authentication.loginEndpoint}common/discovery/v2.0/keys'
param syncSchedule string = '0 * * * * *'
param tokenRefreshSchedule string = '0 */5 * * * *'
param syncDefaultIntervalMinutes int = 60
param schedulerMaxClaimsPerTick int = 500
param redisKeyPrefix string = 'ise:'
param webhookMaxBodyBytes int = 1048576
param adminMaxBodyBytes int = 262144

var suffix = take(uniqueString(subscription().id, resourceGroup().id, environmentName), 6)
var prefix = '${baseName}-${environmentName}'
// Storage and Key Vault names are global, short and (storage) without hyphens.
var compact = '${toLower(baseName)}${take(environmentName, 1)}${suffix}'
var allTags = union(tags, {
  app: 'integration-sync-engine'
  environment: environmentName
})
var deploymentContainerName = 'app-package'
var webhookArchiveContainerName = 'webhook-archive'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${prefix}'
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${prefix}'
    appInsightsName: 'appi-${prefix}'
    location: location
    tags: allTags
    retentionInDays: logRetentionDays
  }
}

module hostStorage 'modules/storage.bicep' = {
  name: 'host-storage'
  params: {
    name: 'st${compact}h'
    location: location
    tags: allTags
    skuName: storageSku
    publicNetworkAccess: publicNetworkAccess
    containerNames: [
      deploymentContainerName
    ]
  }
}

module archiveStorage 'modules/storage.bicep' = {
  name: 'archive-storage'
  params: {
    name: 'st${compact}a'
    location: location
    tags: allTags
    skuName: storageSku
    publicNetworkAccess: publicNetworkAccess
    containerNames: [
      webhookArchiveContainerName
    ]
    deleteAfterDays: webhookArchiveRetentionDays
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'service-bus'
  params: {
    name: 'sb-${prefix}-${suffix}'
    location: location
    tags: allTags
    skuName: serviceBusSku
    publicNetworkAccess: publicNetworkAccess
    maxDeliveryCount: queueMaxDeliveryCount
    lockDuration: queueLockDuration
    duplicateDetectionWindow: queueDuplicateDetectionWindow
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: 'cosmos-${prefix}-${suffix}'
    location: location
    tags: allTags
    publicNetworkAccess: publicNetworkAccess
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    webhookDeliveryTtlSeconds: webhookDeliveryTtlSeconds
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    name: 'redis-${prefix}-${suffix}'
    location: location
    tags: allTags
    publicNetworkAccess: publicNetworkAccess
    skuName: redisSku
    highAvailability: redisHighAvailability
    appPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  params: {
    name: 'kv${compact}'
    location: location
    tags: allTags
    publicNetworkAccess: publicNetworkAccess
    adminApiKey: adminApiKey
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'event-grid'
  params: {
    name: 'evgt-${prefix}-${suffix}'
    location: location
    tags: allTags
    publicNetworkAccess: publicNetworkAccess
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    serviceBusName: serviceBus.outputs.name
    cosmosAccountName: cosmos.outputs.name
    cosmosDatabaseName: cosmos.outputs.databaseName
    keyVaultName: keyVault.outputs.name
    hostStorageName: hostStorage.outputs.name
    archiveStorageName: archiveStorage.outputs.name
    eventGridTopicName: eventGrid.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'function-app'
  // The host needs its storage and Key Vault roles before its first start.
  dependsOn: [
    roles
  ]
  params: {
    name: 'func-${prefix}-${suffix}'
    planName: 'plan-${prefix}'
    location: location
    tags: allTags
    publicNetworkAccess: publicNetworkAccess
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityPrincipalId: identity.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    nodeVersion: nodeVersion
    appInsightsConnectionString: monitoring.outputs.connectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    archiveBlobEndpoint: archiveStorage.outputs.blobEndpoint
    archiveContainerName: webhookArchiveContainerName
    keyVaultUri: keyVault.outputs.vaultUri
    redisHostName: redis.outputs.hostName
    redisPort: redis.outputs.port
    adminApiKeySecretUri: keyVault.outputs.adminApiKeySecretUri
    eventGridEndpoint: eventGrid.outputs.endpoint
    logLevel: logLevel
    adminAuthMode: adminAuthMode
    entraIssuer: entraIssuer
    entraAudience: entraAudience
    entraJwksUrl: entraJwksUrl
    syncSchedule: syncSchedule
    tokenRefreshSchedule: tokenRefreshSchedule
    syncDefaultIntervalMinutes: syncDefaultIntervalMinutes
    schedulerMaxClaimsPerTick: schedulerMaxClaimsPerTick
    queueMaxDeliveryCount: queueMaxDeliveryCount
    redisKeyPrefix: redisKeyPrefix
    webhookMaxBodyBytes: webhookMaxBodyBytes
    adminMaxBodyBytes: adminMaxBodyBytes
  }
}

var appHost = functionApp.outputs.defaultHostName

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${appHost}'
output oauthRedirectUri string = 'https://${appHost}/api/oauth/callback'
output webhookUrlTemplate string = 'https://${appHost}/api/webhooks/{provider}/{integrationId}'
output healthUrl string = 'https://${appHost}/api/health'
output identityClientId string = identity.outputs.clientId
output cosmosEndpoint string = cosmos.outputs.endpoint
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.vaultUri
output redisHostName string = redis.outputs.hostName
output eventGridEndpoint string = eventGrid.outputs.endpoint
output archiveBlobEndpoint string = archiveStorage.outputs.blobEndpoint
output hostStorageName string = hostStorage.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
