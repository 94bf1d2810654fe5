/**
 * auth.modes.*.tokenRequestHeaders, from the spec through the model to the wire: a loopback token and
 * revocation endpoint that refuses every request without its version header (a
 * Notion-Version, as a user reported Notion to require) takes the code exchange, the refresh and the revocation once the spec declares it,
 * and refuses the same requests without it. The protocol's own headers are never replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuthError } from "../../../runtime/auth/errors.js";
import {
  authorizationCodeRequest,
  clientCredentialsRequest,
  processTokenResponse,
  sendTokenRequest,
  tokenRequest,
} from "../../../runtime/auth/oauth2.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { modelledOAuth2Mode } from "../../helpers/oauth2-mode.js";
import { json, startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

const VERSION = "2022-06-28";
const CLIENT = { clientId: "cid", clientSecret: "cs" };

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
  server.handle((request, response) => {
    if (request.headers["notion-version"] !== VERSION)
      return json(response, 400, { error: "invalid_request", message: "Notion-Version is missing" });
    if (request.url === "/v1/oauth/revoke") return json(response, 200, {});
    json(response, 200, { access_token: "at-new", refresh_token: "rt-new", expires_in: 3600 });
  });
});
afterAll(async () => {
  await server?.close();
});

/** The oauth mode of a spec as the generator models it, its endpoints on the loopback server. */
function specMode(extra = ""): OAuth2AuthDefinition {
  return modelledOAuth2Mode(`      authorizationUrl: https://acme.test/v1/oauth/authorize
      tokenUrl: ${server.url}/v1/oauth/token
      revocationUrl: ${server.url}/v1/oauth/revoke
      grants: [authorizationCode, refreshToken, clientCredentials]
      tokenRequestEncoding: json
${extra}`);
}
const withVersion = () => specMode(`      tokenRequestHeaders:\n        Notion-Version: "${VERSION}"\n`);

async function signedIn(mode: OAuth2AuthDefinition) {
  const store = new MemoryTokenStore();
  await store.set("k", { accessToken: "at-old", refreshToken: "rt-old", expiresAt: 0 });
  return { store, manager: new OAuth2TokenManager(mode, { ...CLIENT, store, key: "k" }) };
}

describe("tokenRequestHeaders", () => {
  it("are modelled with lower-case names", () => {
    expect(withVersion().tokenRequestHeaders).toEqual({ "notion-version": VERSION });
    expect(specMode().tokenRequestHeaders).toBeUndefined();
  });

  it("go with the refresh and the revocation to an endpoint that refuses requests without them", async () => {
    const { manager, store } = await signedIn(withVersion());
    server.requests.length = 0;
    expect(await manager.getToken()).toBe("at-new");
    expect(await manager.revoke()).toEqual({ revocation: "revoked" });
    expect(await store.get("k")).toBeUndefined();
    expect(server.requests.map((r) => [r.url, r.headers["notion-version"]])).toEqual([
      ["/v1/oauth/token", VERSION],
      ["/v1/oauth/revoke", VERSION],
    ]);
  });

  it("go with the code exchange and client credentials too", async () => {
    const mode = withVersion();
    const now = Date.now();
    for (const request of [
      authorizationCodeRequest(mode, CLIENT, { code: "c", redirectUri: "http://app.test/cb" }),
      clientCredentialsRequest(mode, CLIENT),
    ]) {
      expect(processTokenResponse(mode, await sendTokenRequest(fetch, request), now).accessToken).toBe("at-new");
    }
  });

  it("without them the same endpoint refuses the refresh and the revocation", async () => {
    const { manager } = await signedIn(specMode());
    const refused = await manager.getToken().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuthError);
    expect(refused).toMatchObject({ error: "invalid_request", status: 400 });
    await expect(manager.revoke()).rejects.toMatchObject({ error: "invalid_request", status: 400 });
  });

  it("never replace the protocol's own headers (a definition not checked by validate)", () => {
    const mode: OAuth2AuthDefinition = {
      ...withVersion(),
      tokenEndpointAuthMethod: "client_secret_basic",
      tokenRequestHeaders: { accept: "text/plain", "content-type": "text/plain", authorization: "Bearer x", "notion-version": VERSION },
    };
    const request = tokenRequest(mode, CLIENT, { grant_type: "x" });
    expect(request.headers).toEqual({
      "notion-version": VERSION,
      "content-type": "application/json",
      accept: "application/json",
      authorization: `Basic ${Buffer.from("cid:cs").toString("base64")}`,
    });
  });
});
