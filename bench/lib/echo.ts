import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { MAX_BODY_BYTES } from '../../bot/server';

/**
 * The baseline: the smallest bot on the same stack as ours (botbuilder CloudAdapter,
 * restify with the same body parser and cap, authentication off as in our sandbox)
 * that answers every message with one reply through the Bot Connector. No Teams AI,
 * no store, no Defender: what is left is the cost of the protocol itself.
 */
export interface EchoBot {
  botUrl: string;
  close(): Promise<void>;
}

export async function startEchoBot(): Promise<EchoBot> {
  // No MicrosoftAppId: botbuilder skips JWT validation and sends without a token.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (ctx) => {
      if (ctx.activity.type === 'message') await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    botUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
