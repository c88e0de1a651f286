// The Function App on the Flex Consumption plan (Linux, Node). It runs as the user-assigned identity: the
// host storage, the deployment package, Service Bus, Cosmos DB, Key Vault references and telemetry all
// authenticate with it. Every setting the app reads in Azure (shared/config/settings.ts) is set here.
param name string
param planName string
param location string
param tags object
param publicNetworkAccess string
param identityId string
param identityClientId string
param hostStorageName string
param deploymentContainerName string
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int
@description('Node.js major version of the worker (Node 20 reached end of life on 2026-04-30).')
@allowed([
  '22'
  '24'
])
param nodeVersion string = '22'

param appInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabaseName string
param serviceBusFullyQualifiedNamespace string
param archiveBlobEndpoint string
param archiveContainerName string
param keyVaultUri string
@description('Host of the Azure Managed Redis database (<name>.<region>.redis.azure.net) and its TLS port.')
param redisHostName string
param redisPort int
@description('Object (principal) id of the app identity: its Redis user name (Entra ID auth).')
param identityPrincipalId string
param adminApiKeySecretUri string
param eventGridEndpoint string

param logLevel string
param adminAuthMode string
param entraIssuer string
param entraAudience string
param entraJwksUrl string
param syncSchedule string
param tokenRefreshSchedule string
param syncDefaultIntervalMinutes int
param schedulerMaxClaimsPerTick int
param queueMaxDeliveryCount int
param redisKeyPrefix string
param webhookMaxBodyBytes int
param adminMaxBodyBytes int

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: publicNetworkAccess
    // Key Vault references (@Microsoft.KeyVault(...)) resolve with the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Flex Consumption takes the runtime from functionAppConfig, so FUNCTIONS_WORKER_RUNTIME and
      // FUNCTIONS_EXTENSION_VERSION are not app settings here.
      appSettings: [
        // Functions host storage, identity-based.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: hostStorage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // Service Bus trigger and sender connection "ServiceBusConnection", identity-based.
        {
          name: 'ServiceBusConnection__fullyQualifiedNamespace'
          value: serviceBusFullyQualifiedNamespace
        }
        {
          name: 'ServiceBusConnection__credential'
          value: 'managedidentity'
        }
        {
          name: 'ServiceBusConnection__clientId'
          value: identityClientId
        }
        {
          name: 'QUEUE_MAX_DELIVERY_COUNT'
          value: string(queueMaxDeliveryCount)
        }
        // DefaultAzureCredential in the app picks the user-assigned identity by this id.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        // The Node worker's V8 flags (NODE_OPTIONS refuses the first). V8 lets the heap grow to 1.5 times what
        // is live before a full collection, not up to 4 times (a 100,000-record sync peaks near 180-190 MB
        // resident instead of 295, at the same speed), and never past half the instance memory.
        {
          name: 'languageWorkers__node__arguments'
          value: '--heap-growing-percent=50 --max-old-space-size=${instanceMemoryMB / 2}'
        }
        {
          name: 'LOG_FORMAT'
          value: 'json'
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmosEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'BLOB_ACCOUNT_URL'
          value: archiveBlobEndpoint
        }
        {
          name: 'WEBHOOK_ARCHIVE_CONTAINER'
          value: archiveContainerName
        }
        {
          name: 'WEBHOOK_MAX_BODY_BYTES'
          value: string(webhookMaxBodyBytes)
        }
        {
          name: 'ADMIN_MAX_BODY_BYTES'
          value: string(adminMaxBodyBytes)
        }
        // No password in the URL: the app signs in to Managed Redis as its identity with Entra ID tokens.
        {
          name: 'REDIS_URL'
          value: 'rediss://${redisHostName}:${redisPort}'
        }
        {
          name: 'REDIS_AUTH_MODE'
          value: 'entra'
        }
        {
          name: 'REDIS_ENTRA_USER'
          value: identityPrincipalId
        }
        {
          name: 'REDIS_KEY_PREFIX'
          value: redisKeyPrefix
        }
        {
          name: 'ADMIN_AUTH_MODE'
          value: adminAuthMode
        }
        {
          name: 'ADMIN_API_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${adminApiKeySecretUri})'
        }
        // Entra admin mode accepts tokens of this directory only (their `tid` and issuers); unused in api_key mode.
        {
          name: 'ENTRA_TENANT_ID'
          value: tenant().tenantId
        }
        {
          name: 'ENTRA_ISSUER'
          value: entraIssuer
        }
        {
          name: 'ENTRA_AUDIENCE'
          value: entraAudience
        }
        {
          name: 'ENTRA_JWKS_URL'
          value: entraJwksUrl
        }
        {
          name: 'SYNC_SCHEDULE'
          value: syncSchedule
        }
        {
          name: 'TOKEN_REFRESH_SCHEDULE'
          value: tokenRefreshSchedule
        }
        {
          name: 'SYNC_DEFAULT_INTERVAL_MINUTES'
          value: string(syncDefaultIntervalMinutes)
        }
        {
          name: 'SCHEDULER_MAX_CLAIMS_PER_TICK'
          value: string(schedulerMaxClaimsPerTick)
        }
        {
          name: 'OUTBOUND_SCAN_OVERLAP_SECONDS'
          value: '60'
        }
        {
          name: 'OUTBOUND_SCAN_MAX_PER_TICK'
          value: '500'
        }
        {
          name: 'WEBHOOK_HEALTH_SCHEDULE'
          value: '0 */15 * * * *'
        }
        {
          name: 'WEBHOOK_SUBSCRIPTION_SCHEDULE'
          value: '0 */30 * * * *'
        }
        {
          name: 'RATE_LIMIT_MAX_WAIT_MS'
          value: '10000'
        }
        {
          name: 'WEBHOOK_TENANT_RATE_PER_S'
          value: '1000'
        }
        {
          name: 'ADMIN_TENANT_RATE_PER_S'
          value: '50'
        }
        {
          name: 'TOKEN_REFRESH_MARGIN_MINUTES'
          value: '15'
        }
        {
          name: 'SYNC_PAGE_SIZE'
          value: '100'
        }
        {
          name: 'SYNC_MAX_DELETE_SHARE'
          value: '0.5'
        }
        {
          name: 'PROVIDER_REQUEST_TIMEOUT_MS'
          value: '30000'
        }
        {
          name: 'KEY_VAULT_URL'
          value: keyVaultUri
        }
        {
          // The default host name is <name>.azurewebsites.net; set a custom domain here when one is bound.
          name: 'PUBLIC_BASE_URL'
          value: 'https://${name}.azurewebsites.net'
        }
        {
          name: 'EVENTGRID_TOPIC_ENDPOINT'
          value: eventGridEndpoint
        }
        {
          name: 'NOTIFY_DIGEST_SCHEDULE'
          value: '0 0 * * * *'
        }
        {
          name: 'NOTIFY_DEDUPE_WINDOW_MS'
          value: '900000'
        }
        {
          name: 'NOTIFY_SEND_TIMEOUT_MS'
          value: '10000'
        }
        {
          name: 'NOTIFY_MAX_ATTEMPTS'
          value: '4'
        }
        {
          name: 'NOTIFY_MAX_RETRY_WAIT_MS'
          value: '30000'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
