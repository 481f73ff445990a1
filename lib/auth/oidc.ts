import * as client from 'openid-client';
import type { OidcConfig } from './config';
import type { Identity } from './identity';
import { groupsFromClaim, roleFromGroups } from './role-groups';
import { openValue, sealValue } from './session';

/**
 * AUTH_MODE=oidc with openid-client: authorization code + PKCE (S256), state and nonce. What the
 * callback must check comes back in a short-lived encrypted cookie (LOGIN_COOKIE), so any server
 * of a fleet can finish a login another one began.
 */
export const LOGIN_COOKIE = 'fm_login';
export const LOGIN_MAX_AGE_SECONDS = 600;

let discovered: { key: string; configuration: Promise<client.Configuration> } | undefined;

function configuration(config: OidcConfig): Promise<client.Configuration> {
  const key = `${config.issuer} ${config.clientId}`;
  if (!discovered || discovered.key !== key) {
    const issuer = new URL(config.issuer);
    const configuration = client
      .discovery(
        issuer,
        config.clientId,
        undefined,
        config.clientSecret ? client.ClientSecretPost(config.clientSecret) : client.None(),
        // A plain-http issuer is a provider on this machine (tests, a local Dex): allowed only then.
        issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined; // try again on the next login, the provider may be back
        throw error;
      });
    discovered = { key, configuration };
  }
  return discovered.configuration;
}

/** A path of this site to come back to after signing in: never another origin. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next))
    return '/';
  return next.length > 2048 ? '/' : next;
}

export async function beginLogin(
  config: OidcConfig,
  secret: string,
  redirectUri: string,
  next: string,
): Promise<{ url: URL; cookie: string }> {
  const oidc = await configuration(config);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(oidc, {
    redirect_uri: redirectUri,
    scope: config.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const cookie = await sealValue({ verifier, state, nonce, next, redirectUri }, secret, LOGIN_MAX_AGE_SECONDS);
  return { url, cookie };
}

export class LoginError extends Error {}

/** Trades the code for tokens, checks them, and maps the groups claim to a role. */
export async function finishLogin(
  config: OidcConfig,
  secret: string,
  callbackSearch: string,
  loginCookie: string | undefined,
): Promise<{ identity: Identity; next: string }> {
  const login = await openValue(loginCookie, secret);
  if (!login?.verifier || !login.state || !login.nonce || !login.redirectUri)
    throw new LoginError('the sign-in expired or was started elsewhere; sign in again');
  const oidc = await configuration(config);
  const currentUrl = new URL(login.redirectUri);
  currentUrl.search = callbackSearch;
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(oidc, currentUrl, {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new LoginError(
      `the provider's answer was refused: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const idToken = tokens.claims()!;
  let claims: Record<string, unknown> = idToken;
  // Many providers put groups and email in the userinfo answer only, not in the ID token
  // (fetchUserInfo checks that it speaks of the same subject).
  if ((idToken[config.groupsClaim] === undefined || idToken.email === undefined) && tokens.access_token) {
    claims = { ...(await client.fetchUserInfo(oidc, tokens.access_token, idToken.sub)), ...idToken };
  }
  const groupsClaim = claims[config.groupsClaim];
  const actor = typeof claims.email === 'string' && claims.email ? claims.email : idToken.sub;
  return {
    identity: { actor, role: roleFromGroups(groupsFromClaim(groupsClaim), config.roleGroups), source: 'oidc' },
    next: safeNext(login.next ?? null),
  };
}
