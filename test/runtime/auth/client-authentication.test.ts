/**
 * A spec whose token endpoint authenticates the client with a secret (client_secret_basic or
 * client_secret_post) used without one: refused with ConfigurationError where the client is configured
 * (token manager, authorization) and by the request builders, before anything reaches the token
 * endpoint; a mode with tokenEndpointAuthMethod none needs no secret.
 */
import { describe, expect, it } from "vitest";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import {
  authorizationCodeRequest,
  clientCredentialsRequest,
  refreshTokenRequest,
  revocationRequest,
} from "../../../runtime/auth/oauth2.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import { ConfigurationError } from "../../../runtime/errors/errors.js";
import { oauth2TestMode } from "../../helpers/oauth2-mode.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";

const server = useLoopbackServer();
const PUBLIC = { clientId: "public-client" };
const REDIRECT = "http://127.0.0.1:7999/callback";

function modeWith(method: "client_secret_basic" | "client_secret_post" | "none") {
  return oauth2TestMode({
    tokenUrl: `${server.url}/token`,
    revocationUrl: `${server.url}/revoke`,
    authorizationUrl: `${server.url}/authorize`,
    grants: ["authorizationCode", "refreshToken", "clientCredentials"],
    tokenEndpointAuthMethod: method,
  });
}

describe.each(["client_secret_basic", "client_secret_post"] as const)("tokenEndpointAuthMethod %s without a clientSecret", (method) => {
  const expected = { code: "configuration", message: expect.stringContaining(`${method}, which needs a clientSecret`) };

  it("the request builders refuse it instead of sending only client_id", () => {
    const mode = modeWith(method);
    for (const build of [
      () => refreshTokenRequest(mode, PUBLIC, "rt-1"),
      () => clientCredentialsRequest(mode, PUBLIC),
      () => authorizationCodeRequest(mode, PUBLIC, { code: "c", redirectUri: REDIRECT }),
      () => revocationRequest(mode, PUBLIC, "rt-1"),
    ]) {
      expect(build).toThrow(ConfigurationError);
      expect(build).toThrow(expect.objectContaining(expected));
    }
  });

  it("OAuth2TokenManager and OAuth2Authorization refuse it when made; nothing reaches the token endpoint", async () => {
    const mode = modeWith(method);
    const store = new MemoryTokenStore();
    await store.set("oauth2:public-client", { accessToken: "at-1", refreshToken: "rt-1", expiresAt: 0 });
    expect(() => new OAuth2TokenManager(mode, { ...PUBLIC, store })).toThrow(expect.objectContaining(expected));
    expect(() => new OAuth2TokenManager(mode, { ...PUBLIC, grant: "clientCredentials" })).toThrow(ConfigurationError);
    expect(() => new OAuth2Authorization(mode, { ...PUBLIC, redirectUri: REDIRECT })).toThrow(expect.objectContaining(expected));
    expect(server.requests).toEqual([]);
  });

  it("with the secret, the request authenticates the client (and the message above never held a secret)", async () => {
    const mode = modeWith(method);
    const secret = "cs-SECRET-73a1";
    server.handle((_request, response) => json(response, 200, { access_token: "at-2", expires_in: 3600 }));
    const manager = new OAuth2TokenManager(mode, { ...PUBLIC, clientSecret: secret, grant: "clientCredentials" });
    expect(await manager.getToken()).toBe("at-2");
    const [request] = server.requests;
    const sent = method === "client_secret_basic" ? String(request!.headers.authorization) : request!.body;
    expect(sent).toContain(method === "client_secret_basic" ? "Basic " : `client_secret=${secret}`);
  });
});

describe("tokenEndpointAuthMethod none", () => {
  it("a public client needs no secret: client_id only", async () => {
    const mode = modeWith("none");
    server.handle((_request, response) => json(response, 200, { access_token: "at-3", refresh_token: "rt-3", expires_in: 3600 }));
    const store = new MemoryTokenStore();
    await store.set("oauth2:public-client", { accessToken: "at-1", refreshToken: "rt-1", expiresAt: 0 });
    const manager = new OAuth2TokenManager(mode, { ...PUBLIC, store });
    expect(new OAuth2Authorization(mode, { ...PUBLIC, redirectUri: REDIRECT }).key).toBe("oauth2:public-client");
    expect(await manager.getToken()).toBe("at-3");
    expect(new URLSearchParams(server.requests[0]!.body).get("client_id")).toBe("public-client");
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });
});
