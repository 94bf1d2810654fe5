/**
 * auth.modes.*.revocationToken and rotatingRefreshTokens, from the spec through the model to the wire,
 * against a loopback token and revocation endpoint: a Notion-style endpoint that revokes only access
 * tokens gets the access token when the spec says so (the refresh token otherwise), and a refresh that
 * failed with a 500 is repeated only when the spec (or the manager's option, which wins) says the
 * provider never rotates its refresh tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { modelledOAuth2Mode } from "../../helpers/oauth2-mode.js";
import { json, startLoopbackServer, type LoopbackServer, type RecordedRequest } from "../../helpers/loopback-server.js";

const CLIENT = { clientId: "cid", clientSecret: "cs-SECRET-8d2e" };
const ACCESS = "secret_notion-access-1";
const REFRESH = "notion-refresh-1";

let server: LoopbackServer;
/** The token endpoint's answers, one per request, in order; the revocation endpoint always answers 200. */
let answers: ((request: RecordedRequest, response: ServerResponse) => void)[] = [];

beforeAll(async () => {
  server = await startLoopbackServer();
  server.handle((request, response) => {
    if (request.url === "/v1/oauth/revoke") return json(response, 200, {});
    const next = answers.shift();
    if (!next) return json(response, 500, { error: "unexpected_request" });
    next(request, response);
  });
});
afterAll(async () => {
  await server?.close();
});

function specMode(extra: string): OAuth2AuthDefinition {
  return modelledOAuth2Mode(`      authorizationUrl: https://api.notion.test/v1/oauth/authorize
      tokenUrl: ${server.url}/v1/oauth/token
      revocationUrl: ${server.url}/v1/oauth/revoke
      grants: [authorizationCode, refreshToken]
      tokenRequestEncoding: json
${extra}`);
}

async function signedIn(mode: OAuth2AuthDefinition, options: { rotatingRefreshTokens?: boolean } = {}) {
  const store = new MemoryTokenStore();
  await store.set("k", { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: 0 });
  const manager = new OAuth2TokenManager(mode, { ...CLIENT, store, key: "k", retry: { baseMs: 1 }, ...options });
  return { store, manager };
}

const serverError = (_request: RecordedRequest, response: ServerResponse) => json(response, 500, { error: "server_error" });
const refreshed = (_request: RecordedRequest, response: ServerResponse) =>
  json(response, 200, { access_token: "secret_notion-access-2", refresh_token: "notion-refresh-2", expires_in: 3600 });

describe("revocationToken", () => {
  it("is modelled only when it departs from the default", () => {
    expect(specMode("      revocationToken: accessToken\n").revocationToken).toBe("accessToken");
    expect(specMode("      revocationToken: refreshToken\n").revocationToken).toBeUndefined();
    expect(specMode("").revocationToken).toBeUndefined();
  });

  it("accessToken: revoke() sends the access token, though a refresh token is stored", async () => {
    const { manager, store } = await signedIn(specMode("      revocationToken: accessToken\n"));
    server.requests.length = 0;
    expect(await manager.revoke()).toEqual({ revocation: "revoked" });
    expect(server.requests.map((r) => [r.url, JSON.parse(r.body)])).toEqual([
      ["/v1/oauth/revoke", { token: ACCESS, token_type_hint: "access_token" }],
    ]);
    expect(await store.get("k")).toBeUndefined();
  });

  it("by default revoke() sends the refresh token", async () => {
    const { manager } = await signedIn(specMode(""));
    server.requests.length = 0;
    await manager.revoke();
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ token: REFRESH, token_type_hint: "refresh_token" });
  });
});

describe("rotatingRefreshTokens", () => {
  it("is modelled only when false", () => {
    expect(specMode("      rotatingRefreshTokens: false\n").rotatingRefreshTokens).toBe(false);
    expect(specMode("      rotatingRefreshTokens: true\n").rotatingRefreshTokens).toBeUndefined();
  });

  it("false in the spec: a refresh answered 500 is repeated and succeeds", async () => {
    const { manager, store } = await signedIn(specMode("      rotatingRefreshTokens: false\n"));
    server.requests.length = 0;
    answers = [serverError, refreshed];
    expect(await manager.getToken()).toBe("secret_notion-access-2");
    expect(server.requests.map((r) => JSON.parse(r.body).refresh_token)).toEqual([REFRESH, REFRESH]);
    expect(await store.get("k")).toMatchObject({ refreshToken: "notion-refresh-2" });
  });

  it("by default (the provider may rotate) the same 500 is not repeated: outcome unknown", async () => {
    const { manager } = await signedIn(specMode(""));
    server.requests.length = 0;
    answers = [serverError, refreshed];
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ outcome: "unknown", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("the manager's option overrides the spec", async () => {
    const { manager } = await signedIn(specMode("      rotatingRefreshTokens: false\n"), { rotatingRefreshTokens: true });
    server.requests.length = 0;
    answers = [serverError, refreshed];
    await expect(manager.getToken()).rejects.toMatchObject({ outcome: "unknown", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});
