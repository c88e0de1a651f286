// Cosmos DB (SQL API) account, database `integrations` and the containers of shared/stores/documents/containers.ts.
// Keys are off (disableLocalAuth): the app reaches data through the Built-in Data Contributor SQL role only.
param name string
param location string
param tags object
param publicNetworkAccess string
@allowed([
  'serverless'
  'autoscale'
])
param capacityMode string
@description('Shared autoscale ceiling (RU/s) of the database; ignored when serverless.')
param autoscaleMaxThroughput int
@description('Seconds a webhook receipt is kept; the receipt log only has to outlive provider retries and replays.')
param webhookDeliveryTtlSeconds int

var databaseName = 'integrations'

// Every query is scoped to one partition and filters on a few top-level fields, so the default "index
// everything" is kept; only the system _etag, never filtered on, is left out.
var defaultIncludedPaths = [
  {
    path: '/*'
  }
]
var defaultExcludedPaths = [
  {
    path: '/"_etag"/?'
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: capacityMode == 'serverless' ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: publicNetworkAccess
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    // Autoscale throughput is shared by all containers; serverless accounts take no throughput at all.
    options: capacityMode == 'autoscale' ? {
      autoscaleSettings: {
        maxThroughput: autoscaleMaxThroughput
      }
    } : {}
  }
}

// SyncScheduler scans for due integrations across tenants: status equality + nextSyncAt order.
resource integrations 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'integrations'
  properties: {
    resource: {
      id: 'integrations'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
        compositeIndexes: [
          [
            {
              path: '/status'
              order: 'ascending'
            }
            {
              path: '/nextSyncAt'
              order: 'ascending'
            }
          ]
        ]
      }
    }
  }
}

// The changed-shard scan orders by _ts (the change feed is not used); dedupe looks shards up by type.
resource shards 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'shards'
  properties: {
    resource: {
      id: 'shards'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
        compositeIndexes: [
          [
            {
              path: '/shardType'
              order: 'ascending'
            }
            {
              path: '/_ts'
              order: 'ascending'
            }
          ]
        ]
      }
    }
  }
}

// Cursor, id map and base snapshots: read by point reads and by integration + entity.
resource syncState 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'sync-state'
  properties: {
    resource: {
      id: 'sync-state'
      partitionKey: {
        paths: [
          '/integrationId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
      }
    }
  }
}

// The admin UI lists the runs of one integration, newest first, optionally by status.
resource syncRuns 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'sync-runs'
  properties: {
    resource: {
      id: 'sync-runs'
      partitionKey: {
        paths: [
          '/integrationId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
        compositeIndexes: [
          [
            {
              path: '/status'
              order: 'ascending'
            }
            {
              path: '/startedAt'
              order: 'descending'
            }
          ]
        ]
      }
    }
  }
}

// Conflicts held for a person: one tenant's open conflicts, newest first.
resource conflicts 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'conflicts'
  properties: {
    resource: {
      id: 'conflicts'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
        compositeIndexes: [
          [
            {
              path: '/status'
              order: 'ascending'
            }
            {
              path: '/createdAt'
              order: 'descending'
            }
          ]
        ]
      }
    }
  }
}

// Notification channels, routing rules and the delivery record (sent, failed with its reason, held), per tenant.
// Delivery records carry a per-item ttl, so the container enables TTL without a default expiry.
resource notifications 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'notifications'
  properties: {
    resource: {
      id: 'notifications'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
      }
    }
  }
}

// Rate-limit overrides set through the admin API, one document per tenant or integration: the durable copy
// (Redis caches it and is rebuilt from here after losing its data).
resource rateLimitOverrides 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'rate-limit-overrides'
  properties: {
    resource: {
      id: 'rate-limit-overrides'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
      }
    }
  }
}

// The activity log (audit trail of admin changes included) and the per-run logs of provider calls, per tenant.
// Every document carries its own ttl (ACTIVITY_RETENTION_DAYS, RUN_LOG_RETENTION_DAYS), so the container enables
// TTL without a default expiry. Pages of the log are read newest first by id (time first).
resource activity 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'activity'
  properties: {
    resource: {
      id: 'activity'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
      }
    }
  }
}

// Receipt log for delivery dedupe and replay; expires by TTL.
resource webhookDeliveries 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'webhook-deliveries'
  properties: {
    resource: {
      id: 'webhook-deliveries'
      partitionKey: {
        paths: [
          '/integrationId'
        ]
        kind: 'Hash'
      }
      defaultTtl: webhookDeliveryTtlSeconds
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
        compositeIndexes: [
          [
            {
              path: '/verdict'
              order: 'ascending'
            }
            {
              path: '/receivedAt'
              order: 'descending'
            }
          ]
        ]
      }
    }
  }
}

// Shard history: which run or person changed which fields of a shard (names only, never values), one small
// document per change; the record page reads one shard's entries within the tenant's partition, newest first.
// Entries carry a per-item ttl (SHARD_HISTORY_RETENTION_DAYS), so the container enables TTL without a default.
resource shardHistory 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'shard-history'
  properties: {
    resource: {
      id: 'shard-history'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
      }
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        includedPaths: defaultIncludedPaths
        excludedPaths: defaultExcludedPaths
        compositeIndexes: [
          [
            {
              path: '/shardId'
              order: 'ascending'
            }
            {
              path: '/at'
              order: 'descending'
            }
          ]
        ]
      }
    }
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
