// Log Analytics workspace and the workspace-based Application Insights component the app logs and traces to.
param workspaceName string
param appInsightsName string
param location string
param tags object
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry is accepted only with an Entra token (Monitoring Metrics Publisher), not with the key alone.
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
// The connection string names the component; with DisableLocalAuth it is not a credential.
output connectionString string = appInsights.properties.ConnectionString
output workspaceId string = workspace.id
