import type { AuthMode, Env } from '../server/env';
import type { BasicConfig } from './basic';
import type { ProxyConfig } from './proxy-headers';
import type { RoleGroup } from './role-groups';

/** The identity settings of the environment, in the shape the auth modules take. */
export interface AuthConfig {
  mode: AuthMode;
  basic: BasicConfig;
  kioskToken?: string;
  sessionSecret?: string;
  sessionMaxAgeSeconds: number;
  oidc?: OidcConfig;
  proxy: ProxyConfig;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string;
  groupsClaim: string;
  roleGroups: readonly RoleGroup[];
  redirectUrl?: string;
}

const built = new WeakMap<Env, AuthConfig>();

export function authConfig(env: Env): AuthConfig {
  let config = built.get(env);
  if (!config) {
    config = {
      mode: env.AUTH_MODE,
      basic: { user: env.BASIC_AUTH_USER, password: env.BASIC_AUTH_PASSWORD, usersFile: env.BASIC_AUTH_USERS_FILE },
      kioskToken: env.KIOSK_TOKEN,
      sessionSecret: env.SESSION_SECRET,
      sessionMaxAgeSeconds: env.SESSION_MAX_AGE_SECONDS,
      oidc:
        env.OIDC_ISSUER && env.OIDC_CLIENT_ID
          ? {
              issuer: env.OIDC_ISSUER,
              clientId: env.OIDC_CLIENT_ID,
              clientSecret: env.OIDC_CLIENT_SECRET,
              scopes: env.OIDC_SCOPES,
              groupsClaim: env.OIDC_GROUPS_CLAIM,
              roleGroups: env.OIDC_ROLE_GROUPS,
              redirectUrl: env.OIDC_REDIRECT_URL,
            }
          : undefined,
      proxy: {
        userHeader: env.PROXY_USER_HEADER,
        groupsHeader: env.PROXY_GROUPS_HEADER,
        secret: env.PROXY_SECRET,
        trustedAddresses: env.PROXY_TRUSTED_ADDRESSES,
        roleGroups: env.PROXY_ROLE_GROUPS,
      },
    };
    built.set(env, config);
  }
  return config;
}
