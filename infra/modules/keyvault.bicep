// Key Vault in RBAC mode holding provider credentials (written by the app) and the two secrets the
// deployment creates: the admin API key and the Redis URL. The app reads both through Key Vault references.
param name string
param location string
param tags object
param publicNetworkAccess string
param redisName string
@secure()
param adminApiKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // A deleted vault cannot be purged inside the retention window: credentials survive an accident.
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
  }
}

resource redis 'Microsoft.Cache/redis@2024-03-01' existing = {
  name: redisName
}

resource adminApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'admin-api-key'
  properties: {
    value: adminApiKey
    contentType: 'text/plain'
  }
}

// ioredis takes the access key inside the URL (no Entra token support in the app yet), so the key lives
// only in this secret and reaches the app through a Key Vault reference, never as a plain app setting.
resource redisUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-url'
  properties: {
    value: 'rediss://:${uriComponent(redis.listKeys().primaryKey)}@${redis.properties.hostName}:${redis.properties.sslPort}'
    contentType: 'text/plain'
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
// Versionless URIs, so a rotated secret is picked up without redeploying.
output adminApiKeySecretUri string = adminApiKeySecret.properties.secretUri
output redisUrlSecretUri string = redisUrlSecret.properties.secretUri
