// Offboarder on Azure, in one resource group: the managed identity that is both the
// bot and the Defender caller, the Azure Bot (Teams only), the container app, its
// registry, PostgreSQL, Key Vault, Log Analytics and Application Insights.
// Every parameter is described in infra/README.md. Deployed by m365agents.yml
// (arm/deploy, parameters from main.parameters.json) or by `az deployment group create`.

targetScope = 'resourceGroup'

@minLength(3)
@maxLength(12)
@description('Prefix of every resource name: lower-case letters and digits, starting with a letter.')
param resourceBaseName string

@description('Azure region of every resource except the bot registration (always global).')
param location string = resourceGroup().location

@allowed(['Public', 'GCC', 'GCCHigh', 'DoD'])
@description('Microsoft 365 cloud of the tenant: picks the Defender API, sign-in host and Bot Framework endpoints.')
param cloud string = 'Public'

@description('Defender API base URL; empty: the cloud\'s default. A regional URL such as https://eu.api.security.microsoft.com keeps calls in that region.')
param mdeApiBaseUrl string = ''

@description('Comma-separated Entra object ids of the people who may request an offboarding.')
param offboardRequesters string

@description('Comma-separated Entra object ids of the people who may approve; at least approvalsRequired + 1.')
param offboardApprovers string

@minValue(1)
@maxValue(10)
@description('Distinct approvals needed before a device is offboarded.')
param approvalsRequired int = 2

@description('Comma-separated tenant ids whose users may use the bot; empty: this tenant only.')
param allowedTenantIds string = ''

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
@description('Log level of the app.')
param logLevel string = 'info'

@description('Image to run, e.g. <registry>.azurecr.io/offboarder:20261201.1; empty before the first deploy.')
param containerImage string = ''

@secure()
@minLength(16)
@description('Password of the PostgreSQL administrator login the app uses; only ever stored in Key Vault.')
param postgresAdminPassword string

@description('PostgreSQL compute size.')
param postgresSkuName string = 'Standard_B1ms'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
@description('Tier of postgresSkuName.')
param postgresSkuTier string = 'Burstable'

@minValue(32)
@description('PostgreSQL storage in GiB.')
param postgresStorageSizeGB int = 32

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps logs and telemetry.')
param logRetentionDays int = 30

@maxLength(42)
@description('Name of the bot as Azure shows it (Teams shows the app manifest\'s name).')
param botDisplayName string = 'Offboarder'

@description('Tags put on every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var allTags = union({ app: 'offboarder' }, tags)

// Defender for Endpoint API, sign-in host and scope per cloud (docs/defender-api.md).
var mdeByCloud = {
  Public: {
    api: 'https://api.securitycenter.microsoft.com'
    authority: 'https://login.microsoftonline.com'
  }
  GCC: {
    api: 'https://api-gcc.securitycenter.microsoft.us'
    authority: 'https://login.microsoftonline.com'
  }
  GCCHigh: {
    api: 'https://api-gov.securitycenter.microsoft.us'
    authority: 'https://login.microsoftonline.us'
  }
  DoD: {
    api: 'https://api-gov.securitycenter.microsoft.us'
    authority: 'https://login.microsoftonline.us'
  }
}
var mdeApi = empty(mdeApiBaseUrl) ? mdeByCloud[cloud].api : mdeApiBaseUrl
// The token audience stays the cloud's, also for a regional API URL.
var mdeScope = '${mdeByCloud[cloud].api}/.default'
// GCC High and DoD bots live in Azure Government and talk to its Bot Framework.
var botChannelService = contains(['GCCHigh', 'DoD'], cloud) ? 'https://botframework.azure.us' : ''

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${resourceBaseName}-id'
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: '${resourceBaseName}-logs'
    appInsightsName: '${resourceBaseName}-insights'
    location: location
    tags: allTags
    retentionInDays: logRetentionDays
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    name: take('${resourceBaseName}acr${suffix}', 50)
    location: location
    tags: allTags
    pullPrincipalId: identity.outputs.principalId
  }
}

var postgresLogin = 'offboarder'
var postgresDatabase = 'offboarder'

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: '${resourceBaseName}-pg-${suffix}'
    location: location
    tags: allTags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    version: '16'
    administratorLogin: postgresLogin
    administratorPassword: postgresAdminPassword
    databaseName: postgresDatabase
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('${resourceBaseName}-kv-${suffix}', 24)
    location: location
    tags: allTags
    readerPrincipalId: identity.outputs.principalId
    databaseUrl: 'postgres://${postgresLogin}:${uriComponent(postgresAdminPassword)}@${postgres.outputs.fqdn}:5432/${postgres.outputs.databaseName}?sslmode=verify-full'
  }
}

module containerApp 'modules/containerapp.bicep' = {
  name: 'containerapp'
  params: {
    environmentName: '${resourceBaseName}-env'
    appName: '${resourceBaseName}-app'
    location: location
    tags: allTags
    workspaceName: monitoring.outputs.workspaceName
    identityResourceId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: identity.outputs.tenantId
    registryLoginServer: registry.outputs.loginServer
    image: containerImage
    databaseUrlSecretUri: keyVault.outputs.databaseUrlSecretUri
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    mdeApiBaseUrl: mdeApi
    mdeAuthorityHost: mdeByCloud[cloud].authority
    mdeScope: mdeScope
    botChannelService: botChannelService
    offboardRequesters: offboardRequesters
    offboardApprovers: offboardApprovers
    approvalsRequired: approvalsRequired
    allowedTenantIds: allowedTenantIds
    logLevel: logLevel
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${resourceBaseName}-bot-${suffix}'
    displayName: botDisplayName
    tags: allTags
    identityResourceId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityTenantId: identity.outputs.tenantId
    messagingEndpoint: 'https://${containerApp.outputs.fqdn}/api/messages'
    workspaceId: monitoring.outputs.workspaceId
  }
}

// Written by the Agents Toolkit into env/.env.<environment> (same names).
output BOT_ID string = identity.outputs.clientId
output BOT_TENANT_ID string = identity.outputs.tenantId
output BOT_DOMAIN string = containerApp.outputs.fqdn
output BOT_AZURE_NAME string = bot.outputs.name
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_CONTAINER_APP_NAME string = containerApp.outputs.name
output AZURE_CONTAINER_APP_RESOURCE_ID string = containerApp.outputs.id
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_REGISTRY_LOGIN_SERVER string = registry.outputs.loginServer
output KEY_VAULT_NAME string = keyVault.outputs.name
output POSTGRES_SERVER_NAME string = postgres.outputs.name
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
output LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.workspaceName
