/**
 * botbuilder builds a new ConnectorClient (credentials, an HTTP pipeline of a dozen
 * policies) for every turn and every proactive send, and a user-token client for every
 * turn: ~1 ms of CPU each, three per `offboard` turn. These clients hold no per-turn
 * state and their credentials fetch and cache their own tokens, so one per bot app id,
 * service URL and audience is reused, as botbuilder's older BotFrameworkAdapter did.
 * Bounded: with authentication off anyone can name a service URL.
 */
import type { CloudAdapter } from 'botbuilder';
import {
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

const MAX_CLIENTS = 64;
const { AudienceClaim: AUDIENCE, AppIdClaim: APP_ID } = AuthenticationConstants;

export function reuseConnectorClients(adapter: CloudAdapter): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const clients = new Map<string, Promise<ConnectorClient>>();
  const cached = (factory: ConnectorFactory): ConnectorFactory => {
    const appId = (factory as unknown as { appId?: string }).appId ?? '';
    const reusing: Pick<ConnectorFactory, 'create'> = {
      create: (serviceUrl, audience) =>
        remember(clients, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () =>
          factory.create(serviceUrl, audience),
        ),
    };
    return reusing as ConnectorFactory;
  };
  // Proactive sends (the notifier) ask for a factory; incoming turns get one with the
  // result of authentication.
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claims) => cached(createFactory(claims));
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, header) => {
    const result = await authenticate(activity, header);
    return { ...result, connectorFactory: result.connectorFactory && cached(result.connectorFactory) };
  };
  const tokenClients = new Map<string, Promise<UserTokenClient>>();
  const createTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = (claims) =>
    // Keyed as botframework-connector picks the app id for that client.
    remember(tokenClients, claims.getClaimValue(AUDIENCE) ?? claims.getClaimValue(APP_ID) ?? '', () =>
      createTokenClient(claims),
    );
}

function remember<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = make();
    value.catch(() => map.delete(key));
    if (map.size >= MAX_CLIENTS) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
  return value;
}
