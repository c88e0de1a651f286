// Service Bus namespace and the two queues of shared/stores/queue/queues.ts. Local (SAS) auth is off: the app
// and the Functions trigger connect with the managed identity (ServiceBusConnection__fullyQualifiedNamespace).
param name string
param location string
param tags object
// Basic has neither sessions nor duplicate detection, both of which sync-inbound relies on.
@allowed([
  'Standard'
  'Premium'
])
param skuName string
param publicNetworkAccess string
param maxDeliveryCount int
@description('ISO 8601 duration a received message stays locked, e.g. PT1M.')
param lockDuration string
@description('ISO 8601 window for duplicate detection by message id, e.g. PT10M.')
param duplicateDetectionWindow string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: true
    publicNetworkAccess: publicNetworkAccess
  }
}

// One page of one sync job per message. Sessions keyed by integration keep one integration's pages in order;
// duplicate detection drops a page enqueued twice; a page that keeps failing ends in the dead-letter queue.
resource syncInbound 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: 'sync-inbound'
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: maxDeliveryCount
    lockDuration: lockDuration
    defaultMessageTimeToLive: 'P14D'
  }
}

// One local shard change per message, pushed to its provider; no ordering needed, so no sessions.
resource syncOutbound 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: 'sync-outbound'
  properties: {
    requiresSession: false
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: maxDeliveryCount
    lockDuration: lockDuration
    defaultMessageTimeToLive: 'P14D'
  }
}

output name string = namespace.name
// Host name only (serviceBusEndpoint is https://<host>:443/): the form identity-based connections expect.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
