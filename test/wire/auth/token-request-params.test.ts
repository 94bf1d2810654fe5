/**
 * Extra token-request parameters (auth.modes.*.tokenRequestParams), Shopify's expiring=1: the code
 * exchange carries it to the token endpoint, the mock's OAuth server issues an expiring token with a
 * rotating refresh token only when asked, and the refresh that follows works and rotates. Real HTTP on
 * loopback: the mock provider built from specs/shopify.yaml and a loopback endpoint that records requests.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import { authorizationCodeRequest, clientCredentialsRequest, refreshTokenRequest } from "../../../runtime/auth/oauth2.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { shopifyDefinition } from "../../../generated/shopify/client.js";
import { loadMockSpec, startMockProvider, type MockProvider } from "../../../testing/index.js";
import { json, startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

const shopify = loadMockSpec("specs/shopify.yaml");
const CLIENT = { clientId: "shopify_app", clientSecret: "shpss_secret" };
const REDIRECT = "http://app.test/auth/callback";

const mocks: MockProvider[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.stop()));
});

let recorder: LoopbackServer;
beforeAll(async () => {
  recorder = await startLoopbackServer();
});
afterAll(async () => {
  await recorder?.close();
});

async function shopifyMock(): Promise<{ server: MockProvider; mode: OAuth2AuthDefinition }> {
  const server = await startMockProvider(shopify, { oauthClients: [{ ...CLIENT, redirectUris: [REDIRECT] }] });
  mocks.push(server);
  const mode = server.definition.auth.modes.oauth;
  if (mode?.type !== "oauth2") throw new Error("specs/shopify.yaml has no oauth2 mode named oauth");
  return { server, mode };
}

/** The status of GET shop.json on the mock with `token`. */
async function shopStatus(server: MockProvider, token: string): Promise<number> {
  const answer = await fetch(`${server.url}/admin/api/2026-07/shop.json`, { headers: { "x-shopify-access-token": token } });
  await answer.body?.cancel();
  return answer.status;
}

/** Runs the authorization-code flow of `mode` against the mock; returns what the token endpoint gave. */
async function authorize(mode: OAuth2AuthDefinition) {
  const store = new MemoryTokenStore();
  const flow = new OAuth2Authorization(mode, { ...CLIENT, redirectUri: REDIRECT, store });
  const started = await flow.start();
  const redirect = await fetch(started.url, { redirect: "manual" });
  expect(redirect.status).toBe(302);
  return { store, tokens: await flow.finish(redirect.headers.get("location")!) };
}

describe("tokenRequestParams (Shopify expiring=1)", () => {
  it("the generated Shopify definition declares expiring=1 for the code exchange only", () => {
    const mode = shopifyDefinition.auth.modes.oauth;
    expect(mode).toMatchObject({ type: "oauth2", tokenRequestParams: { authorizationCode: { expiring: "1" } } });
    expect((mode as OAuth2AuthDefinition).tokenRequestParams?.refreshToken).toBeUndefined();
  });

  it("the code exchange sends expiring=1 to the token endpoint; the grant's own parameters are not replaced", async () => {
    const mode = { ...(shopifyDefinition.auth.modes.oauth as OAuth2AuthDefinition), tokenUrl: `${recorder.url}/admin/oauth/access_token` };
    recorder.handle((_request, response) => json(response, 200, { access_token: "at" }));
    const request = authorizationCodeRequest(mode, CLIENT, { code: "the-code", redirectUri: REDIRECT });
    const answer = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    expect(answer.status).toBe(200);
    const received = Object.fromEntries(new URLSearchParams(recorder.requests.at(-1)!.body));
    expect(received).toMatchObject({ grant_type: "authorization_code", code: "the-code", expiring: "1", client_id: "shopify_app" });
    // A declared parameter never overrides the protocol's: grant_type and code stay the request's own.
    const hostile = { ...mode, tokenRequestParams: { refreshToken: { grant_type: "password", refresh_token: "x", extra: "y" } } };
    const refresh = Object.fromEntries(new URLSearchParams(refreshTokenRequest(hostile, CLIENT, "rt_1").body));
    expect(refresh).toMatchObject({ grant_type: "refresh_token", refresh_token: "rt_1", extra: "y" });
    expect(new URLSearchParams(clientCredentialsRequest(mode, CLIENT).body).has("expiring")).toBe(false);
  });

  it("against the mock: expiring=1 gets an expiring token with a refresh token; the rotating refresh then works", async () => {
    const { server, mode } = await shopifyMock();
    const { store, tokens } = await authorize(mode);
    expect(tokens.refreshToken).toMatch(/^mock_rt_/);
    expect(tokens.expiresAt).toBeTypeOf("number");
    const exchange = server.requests.find((r) => r.operation === "oauth.token")!;
    expect(exchange.body).toMatchObject({ grant_type: "authorization_code", expiring: "1" });

    // The access token expires and the API refuses it (a 401 invalidates it): the manager refreshes, and
    // the refresh rotates the refresh token.
    server.expireToken(tokens.accessToken);
    expect(await shopStatus(server, tokens.accessToken)).toBe(401);
    const manager = new OAuth2TokenManager(mode, { ...CLIENT, store });
    expect(await manager.getToken()).toBe(tokens.accessToken);
    manager.invalidate(tokens.accessToken);
    const fresh = await manager.getToken();
    expect(fresh).not.toBe(tokens.accessToken);
    expect(await shopStatus(server, fresh)).toBe(200);
    const rotated = (await store.get(manager.key))!;
    expect(rotated.refreshToken).toMatch(/^mock_rt_/);
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    const refresh = server.requests.filter((r) => r.operation === "oauth.token").at(-1)!;
    expect(refresh.body).toMatchObject({ grant_type: "refresh_token" });
    expect(refresh.body).not.toHaveProperty("expiring");
    // The rotated-out refresh token is refused.
    const reuse = await fetch(mode.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        ...{ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
        grant_type: "refresh_token",
        refresh_token: tokens.refreshToken!,
      }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("against the mock: a code exchange without expiring=1 gets a token that never expires and no refresh token", async () => {
    const { server, mode } = await shopifyMock();
    const { tokenRequestParams: _dropped, ...legacy } = mode;
    const { tokens } = await authorize(legacy);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.expiresAt).toBeUndefined();
    expect(await shopStatus(server, tokens.accessToken)).toBe(200);
    const exchange = server.requests.find((r) => r.operation === "oauth.token")!;
    expect(exchange.body).not.toHaveProperty("expiring");
  });
});
