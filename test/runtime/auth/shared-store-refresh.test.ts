/**
 * Several token managers (several clients) sharing one store that does not coordinate refreshes
 * (MemoryTokenStore, or any store with only get/set/delete), against a loopback token endpoint that
 * rotates refresh tokens and refuses a rotated-away one (Atlassian's way), optionally revoking the whole
 * grant when one is reused. A manager reads the store before it refreshes and after a refusal, so it
 * uses the pair another manager stored instead of sending the refresh token that pair replaced.
 * Time is a manual clock.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { ReauthorizationRequiredError } from "../../../runtime/auth/errors.js";
import { MemoryTokenStore, type StoredTokens } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { coreFor } from "../../helpers/client-core.js";
import { oauth2TestMode } from "../../helpers/oauth2-mode.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { json, startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const KEY = "oauth2:client-1";
const LIFETIME_S = 3600;

/**
 * A rotating authorization server: each refresh token works once and is replaced; the access token it
 * replaced stops working. A rotated-away refresh token is refused with invalid_grant, and with
 * `reuseRevokesGrant` the whole grant dies with it (reuse detection).
 */
class RotatingServer {
  reuseRevokesGrant = true;
  /** A refusal is answered only once this settles (lets a test order a race without waiting). */
  holdRefusals: Promise<unknown> = Promise.resolve();
  /** Refresh tokens as they were sent. */
  readonly sent: string[] = [];
  revoked = false;
  #n = 1;
  #liveRefresh = "rt-1";
  #liveAccess = new Set(["at-1"]);
  readonly #used = new Set<string>();

  reset(): void {
    Object.assign(this, { reuseRevokesGrant: true, holdRefusals: Promise.resolve(), revoked: false });
    this.sent.length = 0;
    this.#n = 1;
    this.#liveRefresh = "rt-1";
    this.#liveAccess = new Set(["at-1"]);
    this.#used.clear();
  }

  isActive(accessToken: string): boolean {
    return !this.revoked && this.#liveAccess.has(accessToken);
  }

  async token(body: string, response: ServerResponse): Promise<void> {
    const refreshToken = new URLSearchParams(body).get("refresh_token") ?? "";
    this.sent.push(refreshToken);
    if (!this.revoked && refreshToken === this.#liveRefresh) {
      this.#used.add(refreshToken);
      this.#n++;
      this.#liveRefresh = `rt-${this.#n}`;
      this.#liveAccess = new Set([`at-${this.#n}`]);
      return json(response, 200, { access_token: `at-${this.#n}`, refresh_token: this.#liveRefresh, expires_in: LIFETIME_S });
    }
    if (this.#used.has(refreshToken) && this.reuseRevokesGrant) this.revoked = true;
    await this.holdRefusals;
    json(response, 400, { error: "invalid_grant", error_description: "refresh token already used" });
  }
}

const server = new RotatingServer();
let tokenEndpoint: LoopbackServer;
let api: LoopbackServer;

beforeAll(async () => {
  tokenEndpoint = await startLoopbackServer();
  tokenEndpoint.handle((request, response) => server.token(request.body, response));
  api = await startLoopbackServer();
  api.handle((request, response) => {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
    json(
      response,
      token !== undefined && server.isActive(token) ? 200 : 401,
      token !== undefined && server.isActive(token) ? { ok: true } : {},
    );
  });
});
afterAll(async () => {
  await tokenEndpoint?.close();
  await api?.close();
});
beforeEach(() => {
  server.reset();
  api.requests.length = 0;
});

function mode(): OAuth2AuthDefinition {
  return oauth2TestMode({ tokenUrl: `${tokenEndpoint.url}/oauth/token`, grants: ["authorizationCode", "refreshToken"] });
}

/** A MemoryTokenStore that says when a pair was written. */
class WatchedStore extends MemoryTokenStore {
  readonly #waiters: ((tokens: StoredTokens) => void)[] = [];
  /** Settles with the next pair written. */
  nextWrite(): Promise<StoredTokens> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  override async set(key: string, tokens: StoredTokens): Promise<void> {
    await super.set(key, tokens);
    for (const resolve of this.#waiters.splice(0)) resolve(tokens);
  }
}

/** Two managers on one store holding the first pair (at-1 / rt-1), each of them having read it. */
async function twoManagers(clock: ManualClock) {
  const store = new WatchedStore();
  await store.set(KEY, { accessToken: "at-1", refreshToken: "rt-1", expiresAt: clock.now() + LIFETIME_S * 1000 });
  const manager = () => new OAuth2TokenManager(mode(), { clientId: "client-1", clientSecret: "cs", store, key: KEY, clock, retry: false });
  const a = manager();
  const b = manager();
  expect(await a.getToken()).toBe("at-1");
  expect(await b.getToken()).toBe("at-1");
  return { store, a, b };
}

describe("managers sharing a store that does not coordinate refreshes", () => {
  it("after A refreshed, B (at expiry) uses the pair A stored: no second token request, the grant survives", async () => {
    const clock = new ManualClock();
    const { store, a, b } = await twoManagers(clock);
    await clock.advance(LIFETIME_S * 1000 + 1);
    expect(await a.getToken()).toBe("at-2");
    expect(await b.getToken()).toBe("at-2");
    expect(server.sent).toEqual(["rt-1"]);
    expect(server.revoked).toBe(false);
    expect(await store.get(KEY)).toMatchObject({ accessToken: "at-2", refreshToken: "rt-2" });
  });

  it("B's 401 on an access token the clock still calls good: B takes the stored pair and replays once", async () => {
    const clock = new ManualClock();
    const { a, b } = await twoManagers(clock);
    a.invalidate("at-1"); // A was answered 401 and refreshed; at-1 is dead at the server
    expect(await a.getToken()).toBe("at-2");
    const client = coreFor(
      testDefinition({ environments: { live: { baseUrl: api.url } }, auth: { modes: { oauth: mode() }, defaultMode: "oauth" } }),
      {
        auth: { mode: "oauth", accessToken: b },
        retry: false,
      },
    );
    expect(await client.request(op("GET", "/me"), { path: "/me" })).toEqual({ ok: true });
    expect(api.requests.map((r) => r.headers.authorization)).toEqual(["Bearer at-1", "Bearer at-2"]);
    expect(server.sent).toEqual(["rt-1"]);
    expect(server.revoked).toBe(false);
  });

  it("when the stored pair has expired too, B refreshes with the stored refresh token, never the rotated-away one", async () => {
    const clock = new ManualClock();
    const { store, a, b } = await twoManagers(clock);
    await clock.advance(LIFETIME_S * 1000 + 1);
    expect(await a.getToken()).toBe("at-2");
    await clock.advance(LIFETIME_S * 1000 + 1);
    expect(await b.getToken()).toBe("at-3");
    expect(await a.getToken()).toBe("at-3");
    expect(server.sent).toEqual(["rt-1", "rt-2"]);
    expect(server.revoked).toBe(false);
    expect(await store.get(KEY)).toMatchObject({ accessToken: "at-3", refreshToken: "rt-3" });
  });

  it("a refresh refused because the other manager used the token first takes the successor from the store", async () => {
    const clock = new ManualClock();
    const { store, a, b } = await twoManagers(clock);
    server.reuseRevokesGrant = false;
    server.holdRefusals = store.nextWrite(); // the refusal arrives after the winner stored its pair
    await clock.advance(LIFETIME_S * 1000 + 1);
    // Both read the store before either wrote: both send rt-1, one of them is refused.
    const tokens = await Promise.all([a.getToken(), b.getToken()]);
    expect(tokens).toEqual(["at-2", "at-2"]);
    expect(server.sent).toEqual(["rt-1", "rt-1"]);
    expect(await store.get(KEY)).toMatchObject({ accessToken: "at-2", refreshToken: "rt-2" });
    // Neither manager holds the refused pair any more: the next expiry refreshes once, with rt-2.
    await clock.advance(LIFETIME_S * 1000 + 1);
    expect(await a.getToken()).toBe("at-3");
    expect(await b.getToken()).toBe("at-3");
    expect(server.sent).toEqual(["rt-1", "rt-1", "rt-2"]);
  });

  it("a refusal with nothing newer in the store is ReauthorizationRequiredError, and that token is not sent again", async () => {
    const clock = new ManualClock();
    const { b } = await twoManagers(clock);
    server.revoked = true; // the user revoked the app
    await clock.advance(LIFETIME_S * 1000 + 1);
    await expect(b.getToken()).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    await expect(b.getToken()).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(server.sent).toEqual(["rt-1"]);
  });

  it("a new authorization stored after a refusal is used by the manager that was refused", async () => {
    const clock = new ManualClock();
    const { store, b } = await twoManagers(clock);
    server.revoked = true;
    await clock.advance(LIFETIME_S * 1000 + 1);
    await expect(b.getToken()).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    await store.set(KEY, { accessToken: "at-new", refreshToken: "rt-new", expiresAt: clock.now() + 1000 });
    expect(await b.getToken()).toBe("at-new");
    expect(server.sent).toEqual(["rt-1"]);
  });
});
