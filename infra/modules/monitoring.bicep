// Log Analytics (container logs, Bot Service diagnostics) and a workspace-based
// Application Insights resource for the app's own telemetry.

param workspaceName string
param appInsightsName string
param location string
param tags object
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
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
    IngestionMode: 'LogAnalytics'
  }
}

output workspaceId string = workspace.id
output workspaceName string = workspace.name
output appInsightsName string = appInsights.name
// An ingestion address and key that identify the resource; Microsoft documents it as
// not a secret, so it is a plain setting rather than a Key Vault secret.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
