// The one user-assigned managed identity: it is the bot's Microsoft App ID (BOT_ID), it
// signs in to Defender for Endpoint, pulls the image and reads Key Vault secrets.

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
