// Container Apps environment (Consumption) and the Offboarder container app. Every
// setting the app reads is in `settings` below; each is documented in .env.sample
// (test/unit/deploy-files.test.ts keeps the two in step).

param environmentName string
param appName string
param location string
param tags object
param workspaceName string
param identityResourceId string
param identityClientId string
param tenantId string
param registryLoginServer string
@description('Full image reference; empty until the first deploy (a placeholder then answers the probes).')
param image string
param databaseUrlSecretUri string
param appInsightsConnectionString string
param mdeApiBaseUrl string
param mdeAuthorityHost string
param mdeScope string
param botChannelService string
param offboardRequesters string
param offboardApprovers string
param approvalsRequired int
param allowedTenantIds string
param logLevel string

var port = 3978

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

var baseSettings = [
  { name: 'PORT', value: string(port) }
  { name: 'LOG_LEVEL', value: logLevel }
  { name: 'BOT_ID', value: identityClientId }
  { name: 'BOT_TYPE', value: 'UserAssignedMsi' }
  { name: 'BOT_TENANT_ID', value: tenantId }
  { name: 'MDE_TENANT_ID', value: tenantId }
  { name: 'MDE_MANAGED_IDENTITY_CLIENT_ID', value: identityClientId }
  { name: 'MDE_API_BASE_URL', value: mdeApiBaseUrl }
  { name: 'MDE_AUTHORITY_HOST', value: mdeAuthorityHost }
  { name: 'MDE_SCOPE', value: mdeScope }
  { name: 'OFFBOARD_REQUESTERS', value: offboardRequesters }
  { name: 'OFFBOARD_APPROVERS', value: offboardApprovers }
  { name: 'APPROVALS_REQUIRED', value: string(approvalsRequired) }
  { name: 'DATABASE_URL', secretRef: 'database-url' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
]
var tenantSettings = empty(allowedTenantIds) ? [] : [{ name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }]
// botbuilder switches to its Azure Government endpoints when this is set.
var cloudSettings = empty(botChannelService) ? [] : [{ name: 'ChannelService', value: botChannelService }]
var settings = concat(baseSettings, tenantSettings, cloudSettings)

// Until the first `deploy` pushes the real image, a stock Node image answers the
// probes on the same port so provisioning completes; it accepts no bot traffic.
var placeholderImage = 'mcr.microsoft.com/azurelinux/base/nodejs:20'
var placeholderScript = 'require("http").createServer((q,s)=>{s.statusCode=/^\\/(healthz|readyz)$/.test(q.url)?200:503;s.end()}).listen(${port})'
var usePlaceholder = empty(image)

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      // One active revision: an upgrade starts the new one, waits for /readyz, moves
      // traffic, then stops the old one with SIGTERM (README, "Deploying for real").
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'http'
        allowInsecure: false
      }
      registries: [
        {
          server: registryLoginServer
          identity: identityResourceId
        }
      ]
      secrets: [
        {
          name: 'database-url'
          keyVaultUrl: databaseUrlSecretUri
          identity: identityResourceId
        }
      ]
    }
    template: {
      // Time for in-flight turns and Defender calls to finish after SIGTERM.
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'offboarder'
          image: usePlaceholder ? placeholderImage : image
          command: usePlaceholder ? ['node', '-e', placeholderScript] : null
          env: settings
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/healthz', port: port }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: port }
              periodSeconds: 30
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: port }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      // One replica: approvals, tracking and the maintenance sweep run in-process.
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output name string = app.name
output id string = app.id
output fqdn string = app.properties.configuration.ingress.fqdn
