// Event Grid topic the app publishes sync events to (CloudEvents); publishing needs an Entra token.
param name string
param location string
param tags object
param publicNetworkAccess string

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    minimumTlsVersionAllowed: '1.2'
    publicNetworkAccess: publicNetworkAccess
  }
}

output name string = topic.name
output endpoint string = topic.properties.endpoint
