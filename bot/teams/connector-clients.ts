/**
 * botbuilder builds a new ConnectorClient (credentials, an HTTP pipeline of a dozen
 * policies) for every turn and every proactive send: ~1 ms of CPU each, two per
 * `offboard` turn (the turn's own and the notifier's). The client holds no per-turn
 * state and its credentials fetch and cache their own tokens, so one per bot app id,
 * service URL and audience is reused, as botbuilder's older BotFrameworkAdapter did.
 * Bounded: with authentication off anyone can name a service URL.
 */
import type { CloudAdapter } from 'botbuilder';
import type { BotFrameworkAuthentication, ConnectorClient, ConnectorFactory } from 'botframework-connector';

const MAX_CLIENTS = 64;

export function reuseConnectorClients(adapter: CloudAdapter): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const original = auth.createConnectorFactory.bind(auth);
  const clients = new Map<string, Promise<ConnectorClient>>();
  auth.createConnectorFactory = (claimsIdentity) => {
    const factory = original(claimsIdentity);
    const appId = (factory as unknown as { appId?: string }).appId ?? '';
    const cached: Pick<ConnectorFactory, 'create'> = {
      create(serviceUrl, audience) {
        const key = `${appId}\n${serviceUrl}\n${audience ?? ''}`;
        let client = clients.get(key);
        if (!client) {
          client = factory.create(serviceUrl, audience);
          client.catch(() => clients.delete(key));
          if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
          clients.set(key, client);
        }
        return client;
      },
    };
    return cached as ConnectorFactory;
  };
}
