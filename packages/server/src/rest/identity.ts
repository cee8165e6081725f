/**
 * `GET|POST /identity/oauth/token`: OAuth client_credentials, answered as Marketo's identity
 * service does (`{access_token, token_type, expires_in, scope}`; 401 with an OAuth error body for
 * bad credentials). The same token comes back until it expires, `expires_in` counting down. The
 * identity service sits outside the REST API's limits (authentication.md), so it admits nothing.
 */
import type { Runtime } from '../runtime.js';

export interface IdentityAnswer {
  status: number;
  body: Record<string, unknown>;
  clientId: string | null;
}

export async function identity(rt: Runtime, params: URLSearchParams, now: number): Promise<IdentityAnswer> {
  const clientId = params.get('client_id');
  const grant = params.get('grant_type');
  if (!grant) {
    return { status: 400, body: { error: 'invalid_request', error_description: 'Missing grant type' }, clientId };
  }
  if (grant !== 'client_credentials') {
    return {
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${grant}` },
      clientId,
    };
  }
  const client = clientId ? rt.state.restClient(clientId) : undefined;
  if (!client || client.clientSecret !== params.get('client_secret')) {
    return { status: 401, body: { error: 'unauthorized', error_description: 'Bad client credentials' }, clientId };
  }
  const token = await rt.restTokens.issue(client.clientId, now, rt.config.restTokenTtlMs);
  return {
    status: 200,
    body: {
      access_token: token.token,
      token_type: 'bearer',
      // Whole seconds left, rounded down as Marketo's countdown (3599 right after issue).
      expires_in: Math.max(0, Math.floor((token.expiresAt - now - 1) / 1000)),
      // Marketo names the API-only user the client belongs to.
      scope: `${client.clientId}@mktows.local`,
    },
    clientId: client.clientId,
  };
}
