/**
 * OAuth 2.0 against a real authorization server (oidc-provider 8 on loopback): code + PKCE, state
 * checks, states bound to the flow (token-store key, session) that issued them, refresh with rotation, single-flight refresh counted at the server, reactive refresh after a
 * 401, a revoked refresh token, client credentials caching.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import {
  AuthorizationStateError,
  isReauthorizationRequiredError,
  OAuthError,
  ReauthorizationRequiredError,
} from "../../../runtime/auth/errors.js";
import { processTokenResponse, refreshTokenRequest, sendTokenRequest } from "../../../runtime/auth/oauth2.js";
import { MemoryStateStore, type AuthorizationStateStore, type PendingAuthorization } from "../../../runtime/auth/state-store.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore, type StoredTokens } from "../../../runtime/auth/token-store.js";
import { ClientCore } from "../../../runtime/client/client-core.js";
import { coreFor } from "../../helpers/client-core.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import type { TokenRequestEvent } from "../../../runtime/client/credentials.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";
import { CONFIDENTIAL, loginWithHttp, PUBLIC, SCOPES, startOidcServer, type OidcServer } from "../../helpers/oidc-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

let oidc: OidcServer;
let api: LoopbackServer;

beforeAll(async () => {
  oidc = await startOidcServer();
  api = await startLoopbackServer();
  // The resource server: 200 for a live access token of the authorization server, 401 otherwise.
  api.handle(async (request, response) => {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
    const ok = token !== undefined && (await oidc.isActive(token));
    response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    response.end(JSON.stringify(ok ? { ok: true } : { error: { code: "invalid_token", message: "bad token" } }));
  });
});

afterAll(async () => {
  await api?.close();
  await oidc?.close();
});

const REDIRECT = "http://127.0.0.1:7999/callback";

async function authorize(
  mode: OAuth2AuthDefinition,
  client: { clientId: string; clientSecret?: string } = CONFIDENTIAL,
): Promise<{ tokens: StoredTokens; store: MemoryTokenStore; flow: OAuth2Authorization; callback: string }> {
  const store = new MemoryTokenStore();
  const flow = new OAuth2Authorization(mode, { ...client, redirectUri: REDIRECT, scopes: SCOPES, store });
  const { url } = await flow.start();
  const callback = await loginWithHttp(url);
  const tokens = await flow.finish(callback);
  return { tokens, store, flow, callback };
}

function clientWith(mode: OAuth2AuthDefinition, manager: OAuth2TokenManager): ClientCore {
  return coreFor(
    testDefinition({
      environments: { live: { baseUrl: api.url } },
      auth: { defaultMode: "oauth", modes: { oauth: mode } },
    }),
    { auth: { mode: "oauth", accessToken: manager }, retry: false },
  );
}

const GET_ME = op("GET", "/me");

describe("authorization code + PKCE", () => {
  it("OAuth2Authorization.start/finish exchanges the code of a confidential client and stores live tokens", async () => {
    const mode = oidc.mode();
    const store = new MemoryTokenStore();
    const flow = new OAuth2Authorization(mode, { ...CONFIDENTIAL, redirectUri: REDIRECT, scopes: SCOPES, store });
    const { url, state } = await flow.start();
    const query = new URL(url).searchParams;
    expect(query.get("code_challenge_method")).toBe("S256");
    expect(query.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(query.get("state")).toBe(state);
    expect(query.get("scope")).toBe("openid offline_access api:read");
    const callback = await loginWithHttp(url);
    expect(callback.startsWith(REDIRECT)).toBe(true);
    const tokens = await flow.finish(callback);
    expect(await store.get(flow.key)).toEqual(tokens);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    expect(await oidc.isActive(tokens.accessToken)).toBe(true);
  });

  it("OAuth2Authorization works for a public client (no secret, PKCE only)", async () => {
    const mode = oidc.mode({ tokenEndpointAuthMethod: "none" });
    const { tokens } = await authorize(mode, PUBLIC);
    expect(await oidc.isActive(tokens.accessToken)).toBe(true);
  });

  it("the server refuses the exchange when PKCE is left out (pkce: none), so PKCE is really being sent", async () => {
    const mode = oidc.mode({ pkce: "none" });
    const flow = new OAuth2Authorization(mode, { ...CONFIDENTIAL, redirectUri: REDIRECT, scopes: SCOPES });
    const { url } = await flow.start();
    expect(new URL(url).searchParams.has("code_challenge")).toBe(false);
    // oidc-provider answers the authorization request itself with an error redirect.
    const callback = await loginWithHttp(url);
    const rejection = await flow.finish(callback).catch((e: unknown) => e);
    expect(rejection).toBeInstanceOf(OAuthError);
    expect((rejection as OAuthError).error).toBe("invalid_request");
  });

  it("finish rejects a replayed callback (state is single use) with invalid_state", async () => {
    const { flow, callback } = await authorize(oidc.mode());
    const replay = await flow.finish(callback).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(AuthorizationStateError);
    expect((replay as AuthorizationStateError).code).toBe("invalid_state");
    expect((replay as Error).message).toBe("the callback's state is unknown, expired or already used");
  });

  it("finish rejects a wrong state without exchanging the code", async () => {
    const mode = oidc.mode();
    const flow = new OAuth2Authorization(mode, { ...CONFIDENTIAL, redirectUri: REDIRECT, scopes: SCOPES });
    const { url, state } = await flow.start();
    const callback = new URL(await loginWithHttp(url));
    const before = oidc.tokenRequests.length;
    callback.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
    const wrong = await flow.finish(callback).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthorizationStateError);
    expect((wrong as AuthorizationStateError).code).toBe("invalid_state");
    callback.searchParams.delete("state");
    await expect(flow.finish(callback)).rejects.toMatchObject({ code: "invalid_state", message: "the callback has no state" });
    expect(oidc.tokenRequests.length).toBe(before);
  });

  it("finish refuses a state after its TTL", async () => {
    let now = Date.now();
    const flow = new OAuth2Authorization(oidc.mode(), { ...CONFIDENTIAL, redirectUri: REDIRECT, stateTtlMs: 1000, now: () => now });
    const { state } = await flow.start();
    now += 1001;
    await expect(flow.finish(`${REDIRECT}?code=x&state=${state}`)).rejects.toMatchObject({ code: "invalid_state" });
  });
});

describe("a state is bound to the flow that issued it", () => {
  it("two users' flows on one shared state store: a cross-finish is refused without an exchange, the own finish works", async () => {
    const mode = oidc.mode();
    const stateStore = new MemoryStateStore();
    const store = new MemoryTokenStore();
    const common = { ...CONFIDENTIAL, redirectUri: REDIRECT, scopes: SCOPES, store, stateStore };
    const alice = new OAuth2Authorization(mode, { ...common, key: "oauth2:user-alice" });
    const bob = new OAuth2Authorization(mode, { ...common, key: "oauth2:user-bob" });
    const aliceCallback = await loginWithHttp((await alice.start()).url, "alice");
    const before = oidc.tokenRequests.length;
    // Alice's callback reaches Bob's flow (a forged link, or the callback handler picked the wrong flow).
    const crossed = await bob.finish(aliceCallback).catch((e: unknown) => e);
    expect(crossed).toBeInstanceOf(AuthorizationStateError);
    expect((crossed as AuthorizationStateError).code).toBe("invalid_state");
    expect((crossed as Error).message).not.toContain("user-");
    expect(oidc.tokenRequests.length).toBe(before);
    expect(await store.get(bob.key)).toBeUndefined();
    expect(await store.get(alice.key)).toBeUndefined();
    // The refused finish left Alice's state pending: her own flow still finishes, once.
    const tokens = await alice.finish(aliceCallback);
    expect(await store.get(alice.key)).toEqual(tokens);
    expect(await store.get(bob.key)).toBeUndefined();
    expect(await oidc.isActive(tokens.accessToken)).toBe(true);
    await expect(alice.finish(aliceCallback)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("a session binding given to start() must be given to finish(): another session's or none is refused", async () => {
    const mode = oidc.mode();
    const stateStore = new MemoryStateStore();
    const flow = new OAuth2Authorization(mode, { ...CONFIDENTIAL, redirectUri: REDIRECT, scopes: SCOPES, stateStore });
    const { url, state } = await flow.start(undefined, { binding: "session-1" });
    const callback = await loginWithHttp(url);
    const before = oidc.tokenRequests.length;
    await expect(flow.finish(callback, { binding: "session-2" })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(flow.finish(callback)).rejects.toMatchObject({ code: "invalid_state" });
    expect(oidc.tokenRequests.length).toBe(before);
    // The binding is kept only as its hash.
    const saved: PendingAuthorization[] = [];
    const spy = new OAuth2Authorization(mode, {
      ...CONFIDENTIAL,
      redirectUri: REDIRECT,
      stateStore: { save: (pending) => void saved.push(pending), take: () => undefined },
    });
    await spy.start(undefined, { binding: "session-1" });
    expect(JSON.stringify(saved)).not.toContain("session-1");
    expect(saved[0]!.key).toBe(spy.key);
    const tokens = await flow.finish(callback, { binding: "session-1" });
    expect(await oidc.isActive(tokens.accessToken)).toBe(true);
    // A state started without a binding is refused when finish() is given one.
    const unbound = await flow.start();
    await expect(flow.finish(`${REDIRECT}?code=x&state=${unbound.state}`, { binding: "session-1" })).rejects.toMatchObject({
      code: "invalid_state",
    });
    expect(state).not.toBe(unbound.state);
  });

  it("a shared state store that loses the recorded key makes every finish fail closed", async () => {
    const entries = new Map<string, PendingAuthorization>();
    const lossy: AuthorizationStateStore = {
      save: (pending) => {
        // A store with no column for the key: it keeps the rest.
        const { key: _dropped, ...rest } = pending;
        entries.set(pending.state, rest as PendingAuthorization);
      },
      take: (state) => {
        const entry = entries.get(state);
        entries.delete(state);
        return entry;
      },
    };
    const flow = new OAuth2Authorization(oidc.mode(), { ...CONFIDENTIAL, redirectUri: REDIRECT, stateStore: lossy });
    const { state } = await flow.start();
    const before = oidc.tokenRequests.length;
    await expect(flow.finish(`${REDIRECT}?code=x&state=${state}`)).rejects.toMatchObject({ code: "invalid_state" });
    expect(oidc.tokenRequests.length).toBe(before);
  });
});

describe("refresh", () => {
  it("rotation: the refreshed pair is stored, the old refresh token no longer works", async () => {
    const mode = oidc.mode();
    const { tokens, store, flow } = await authorize(mode);
    let now = Date.now();
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store, key: flow.key, now: () => now });
    expect(await manager.getToken()).toBe(tokens.accessToken);
    now = tokens.expiresAt! - mode.refreshSkewMs + 1; // inside the skew: proactive refresh
    const fresh = await manager.getToken();
    expect(fresh).not.toBe(tokens.accessToken);
    const stored = await store.get(flow.key);
    expect(stored?.accessToken).toBe(fresh);
    expect(stored?.refreshToken).toBeTruthy();
    expect(stored?.refreshToken).not.toBe(tokens.refreshToken);
    expect(await oidc.isActive(fresh)).toBe(true);
    // The rotated-out refresh token is refused by the server.
    const old = await sendTokenRequest(fetch, refreshTokenRequest(mode, CONFIDENTIAL, tokens.refreshToken!));
    expect(() => processTokenResponse(mode, old, Date.now())).toThrowError(expect.objectContaining({ error: "invalid_grant" }));
  });

  it("a rotated pair is persisted before the new access token is handed out; a failed save is retried first", async () => {
    const mode = oidc.mode();
    const { tokens, flow } = await authorize(mode);
    class FlakyStore extends MemoryTokenStore {
      failNext = false;
      override set(key: string, value: StoredTokens): Promise<void> {
        if (this.failNext) {
          this.failNext = false;
          return Promise.reject(new Error("disk full"));
        }
        return super.set(key, value);
      }
    }
    const store = new FlakyStore();
    await store.set(flow.key, tokens);
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store, key: flow.key, now: () => tokens.expiresAt! + 1 });
    const before = oidc.tokenRequests.length;
    store.failNext = true;
    // Fails closed with the typed error (issue 14), naming the store and operation, not what the store said.
    await expect(manager.getToken()).rejects.toMatchObject({ code: "store_unavailable", store: "token", operation: "set" });
    expect((await store.get(flow.key))?.refreshToken).toBe(tokens.refreshToken); // nothing handed out, nothing saved
    const fresh = await manager.getToken(); // saves the pending pair, no new token request
    expect(oidc.tokenRequests.length - before).toBe(1);
    const stored = await store.get(flow.key);
    expect(stored?.accessToken).toBe(fresh);
    expect(stored?.refreshToken).not.toBe(tokens.refreshToken);
    expect(await oidc.isActive(fresh)).toBe(true);
  });

  it("100 concurrent calls on an expired token cause exactly 1 request to the token endpoint", async () => {
    const mode = oidc.mode();
    const { tokens, store, flow } = await authorize(mode);
    let now = Date.now();
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store, key: flow.key, now: () => now });
    await manager.getToken();
    now = tokens.expiresAt! + 1000;
    const before = oidc.tokenRequests.length;
    const client = clientWith(mode, manager);
    const results = await Promise.all(Array.from({ length: 100 }, () => client.request(GET_ME, { path: "/me" })));
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(oidc.tokenRequests.slice(before)).toEqual([{ grantType: "refresh_token" }]);
  });

  it("a 401 invalidates the token, refreshes once and replays the request", async () => {
    const mode = oidc.mode();
    const { tokens, flow } = await authorize(mode);
    const store = new MemoryTokenStore();
    // An access token the resource server refuses, though it has not expired by the clock.
    await store.set(flow.key, { ...tokens, accessToken: "revoked-access-token" });
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store, key: flow.key });
    const client = clientWith(mode, manager);
    const before = oidc.tokenRequests.length;
    const seen = api.requests.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => client.request(GET_ME, { path: "/me" })));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ ok: true })));
    expect(oidc.tokenRequests.slice(before)).toEqual([{ grantType: "refresh_token" }]);
    expect(api.requests.length - seen).toBe(20); // each call: one 401, one replay
  });

  it("a revoked refresh token gives ReauthorizationRequiredError, once, without a retry loop", async () => {
    const mode = oidc.mode();
    const { tokens, store, flow } = await authorize(mode);
    await oidc.revokeRefreshToken(tokens.refreshToken!);
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store, key: flow.key, now: () => tokens.expiresAt! + 1 });
    const client = clientWith(mode, manager);
    const before = oidc.tokenRequests.length;
    const first = await client.request(GET_ME, { path: "/me" }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ReauthorizationRequiredError);
    expect(isReauthorizationRequiredError(first)).toBe(true);
    expect((first as ReauthorizationRequiredError).code).toBe("reauthorization_required");
    expect((first as Error).message).toBe("the provider refused the refresh token (invalid_grant): authorize again");
    expect(JSON.stringify(first) + String((first as Error).message)).not.toContain(tokens.refreshToken!);
    const second = await client.request(GET_ME, { path: "/me" }).catch((e: unknown) => e);
    expect(isReauthorizationRequiredError(second)).toBe(true);
    expect(oidc.tokenRequests.length - before).toBe(1);
  });
});

describe("revocation", () => {
  it("OAuth2TokenManager.revoke revokes the grant at the server and empties the store", async () => {
    const mode = oidc.mode();
    const { tokens, store, flow } = await authorize(mode);
    const events: TokenRequestEvent[] = [];
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store, key: flow.key, onEvent: (event) => void events.push(event) });
    await manager.revoke();
    expect(await store.get(flow.key)).toBeUndefined();
    // Through the token-request policies: its events, with no token or secret in them.
    expect(events.map((e) => [e.grant, e.phase, e.attempt, e.status])).toEqual([
      ["revocation", "start", 1, undefined],
      ["revocation", "success", 1, 200],
    ]);
    expect(events[0]!.endpoint).toBe(`${new URL(mode.revocationUrl!).host}${new URL(mode.revocationUrl!).pathname}`);
    for (const secret of [tokens.refreshToken!, tokens.accessToken, CONFIDENTIAL.clientSecret!])
      expect(JSON.stringify(events)).not.toContain(secret);
    // Revoking the refresh token ends the grant: its access token is gone too.
    expect(await oidc.isActive(tokens.accessToken)).toBe(false);
    const refused = await sendTokenRequest(fetch, refreshTokenRequest(mode, CONFIDENTIAL, tokens.refreshToken!));
    expect(() => processTokenResponse(mode, refused, Date.now())).toThrowError(expect.objectContaining({ error: "invalid_grant" }));
    await expect(manager.getToken()).rejects.toMatchObject({
      code: "reauthorization_required",
      message: "no tokens stored for this grant: authorize first",
    });
  });
});

describe("client credentials", () => {
  it("OAuth2TokenManager caches the client's token until it expires", async () => {
    const mode = oidc.mode();
    let now = Date.now();
    const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, grant: "clientCredentials", scopes: ["api:read"], now: () => now });
    const client = clientWith(mode, manager);
    const before = oidc.tokenRequests.length;
    await Promise.all(Array.from({ length: 20 }, () => client.request(GET_ME, { path: "/me" })));
    for (let i = 0; i < 5; i++) await client.request(GET_ME, { path: "/me" });
    expect(oidc.tokenRequests.slice(before)).toEqual([{ grantType: "client_credentials" }]);
    now += 3600_000;
    await client.request(GET_ME, { path: "/me" });
    expect(oidc.tokenRequests.slice(before).length).toBe(2);
  });
});
