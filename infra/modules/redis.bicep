// Azure Managed Redis (Redis Enterprise) for rate-limit state, webhook delivery dedupe and locks. TLS only on
// port 10000, access keys disabled: the app signs in with Microsoft Entra ID (user name = its identity's object
// id, password = an access token), so no Redis key exists anywhere in the deployment.
param name string
param location string
param tags object
param publicNetworkAccess string
// Non-clustered databases exist up to 25 GB, hence only these sizes (see clusteringPolicy below).
@allowed([
  'Balanced_B0'
  'Balanced_B1'
  'Balanced_B3'
  'Balanced_B5'
  'Balanced_B10'
  'Balanced_B20'
])
param skuName string
@description('Enabled keeps a replica (needed for the SLA); Disabled halves the cost for dev.')
@allowed([
  'Enabled'
  'Disabled'
])
param highAvailability string
@description('Object (principal) id of the app\'s managed identity: the Redis user it signs in as.')
param appPrincipalId string

// Managed Redis serves its database on this TLS port only.
var port = 10000

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: highAvailability
    publicNetworkAccess: publicNetworkAccess
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  // Managed Redis serves exactly one database, and it must be called 'default'.
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: port
    // NoCluster: one unsharded keyspace behind one endpoint. The rate limiter's Lua script touches the keys of
    // several levels in one call, which the sharded policies refuse (CROSSSLOT) unless every key shares a hash
    // slot, and OSSCluster would also need a cluster-aware client; the app uses one plain ioredis client.
    clusteringPolicy: 'NoCluster'
    // Locks, delivery dedupe and limiter state must not vanish under memory pressure: a full cache fails writes
    // (the limiter then falls back to its local budget) instead of silently dropping a lock.
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Disabled'
  }
}

// The built-in 'default' access policy (all data commands) for the app's identity only.
resource appAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = {
  parent: database
  name: 'app${uniqueString(appPrincipalId)}'
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: appPrincipalId
    }
  }
}

output name string = cluster.name
// <name>.<region>.redis.azure.net
output hostName string = cluster.properties.hostName
output port int = port
