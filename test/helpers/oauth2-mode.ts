/**
 * An oauth2 auth mode as a generated definition carries it, with RFC 6749 defaults (answer fields at
 * $.access_token, $.refresh_token, $.expires_in; bearer token in Authorization): tests name only what
 * they depend on.
 */
import { loadSpec } from "../../generator/load.js";
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

/**
 * The oauth2 mode of a small spec as the generator models it: `modeYaml` is the mode's body (`tokenUrl: ...`
 * and so on, indented six spaces), `type: oauth2` is added. A spec with errors throws them.
 */
export function modelledOAuth2Mode(modeYaml: string): OAuth2AuthDefinition {
  const head = "switchboard: 1\nprovider: { name: acme, title: Acme }\nenvironments: { live: { baseUrl: https://api.acme.test } }\n";
  const text = `${head}auth:\n  modes:\n    oauth:\n      type: oauth2\n${modeYaml}`;
  const result = loadSpec("specs/test.yaml", text);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the spec has errors: ${errors.map((d) => d.message).join("; ")}`);
  const mode = result.model!.definition.auth.modes["oauth"];
  if (mode?.type !== "oauth2") throw new Error("the spec has no oauth2 mode");
  return mode;
}
