// Key Vault in RBAC mode holding provider credentials (written by the app) and the one secret the deployment
// creates: the admin API key, read by the app through a Key Vault reference. Redis needs no secret: the app
// signs in to Azure Managed Redis with its managed identity.
param name string
param location string
param tags object
param publicNetworkAccess string
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

resource adminApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'admin-api-key'
  properties: {
    value: adminApiKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
// A versionless URI, so a rotated secret is picked up without redeploying.
output adminApiKeySecretUri string = adminApiKeySecret.properties.secretUri
