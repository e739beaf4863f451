/**
 * botframework-connector rethrows jsonwebtoken's own errors for a bad signature, a
 * token not yet valid, `alg: none` or an HS256 token keyed with the public key, and
 * CloudAdapter answers anything that is not an AuthenticationError with 500 (and the
 * jsonwebtoken message in the body). A request with a bad token is the caller's
 * fault: 401, no detail. Nothing reaches a handler either way.
 */
import type { CloudAdapter } from 'botbuilder';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';

const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

export function answerBadTokensWith401(adapter: CloudAdapter): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const original = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await original(activity, authHeader);
    } catch (e) {
      if (e instanceof Error && JWT_ERRORS.has(e.name)) throw new AuthenticationError('Unauthorized', 401);
      throw e;
    }
  };
}
