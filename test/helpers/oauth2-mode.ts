/**
 * An oauth2 auth mode as a generated definition carries it, with RFC 6749 defaults (answer fields at
 * $.access_token, $.refresh_token, $.expires_in; bearer token in Authorization): tests name only what
 * they depend on.
 */
import type { OAuth2AuthDefinition } from "../../runtime/definition.js";

export function oauth2TestMode(overrides: Partial<OAuth2AuthDefinition> & Pick<OAuth2AuthDefinition, "tokenUrl">): OAuth2AuthDefinition {
  return {
    type: "oauth2",
    grants: ["refreshToken"],
    pkce: "none",
    tokenEndpointAuthMethod: "client_secret_post",
    scopes: [],
    scopeSeparator: " ",
    authorizationParams: {},
    tokenResponse: { accessTokenPath: ["access_token"], refreshTokenPath: ["refresh_token"], expiresInPath: ["expires_in"] },
    refreshSkewMs: 0,
    header: "authorization",
    prefix: "Bearer ",
    ...overrides,
  };
}
