// Azure Cache for Redis for rate-limit state, webhook delivery dedupe and locks. TLS only (port 6380).
param name string
param location string
param tags object
param publicNetworkAccess string
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string
@description('Size within the SKU family: 0-6 for Basic/Standard (C), 1-5 for Premium (P).')
param capacity int

resource redis 'Microsoft.Cache/redis@2024-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
      family: skuName == 'Premium' ? 'P' : 'C'
      capacity: capacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess
  }
}

output name string = redis.name
output hostName string = redis.properties.hostName
