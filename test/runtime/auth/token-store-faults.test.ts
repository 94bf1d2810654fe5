/**
 * A token store that fails (rejects, hangs, throws synchronously) never crashes the process or hangs a
 * token request: the manager fails closed with StoreUnavailableError, or fails open on what it holds in
 * memory, as the store declares; failures and recoveries are events that carry no token. The token
 * endpoint is a loopback server answering client credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import type { StoredTokens, TokenStore } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { oauth2TestMode } from "../../helpers/oauth2-mode.js";
import { isStoreUnavailableError } from "../../../runtime/errors/errors.js";
import type { StoreFaultMode, StoreHealthEvent } from "../../../runtime/policies/store-guard.js";
import { json, startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

let server: LoopbackServer;
let issued = 0;
beforeAll(async () => {
  server = await startLoopbackServer();
  server.handle((_request, response) => json(response, 200, { access_token: `at_secret_${++issued}`, expires_in: 3600 }));
});
afterAll(async () => {
  await server?.close();
});

const SECRET = "cs_very_secret";

function mode(): OAuth2AuthDefinition {
  return oauth2TestMode({ tokenUrl: `${server.url}/token`, grants: ["clientCredentials"], refreshSkewMs: 60_000 });
}

type Fault = "ok" | "reject" | "hang" | "throw";

/** A store whose get and set misbehave as told; `saved` is what a working set stored last. */
class FaultyStore implements TokenStore {
  get = (_key: string): Promise<StoredTokens | undefined> => this.#act(this.getFault, () => undefined);
  set = (_key: string, tokens: StoredTokens): Promise<void> =>
    this.#act(this.setFault, () => {
      this.saved = tokens;
    });
  delete = (): Promise<void> => Promise.resolve();
  saved: StoredTokens | undefined;
  getFault: Fault = "ok";
  setFault: Fault = "ok";
  constructor(readonly onFailure?: StoreFaultMode) {}

  #act<T>(fault: Fault, ok: () => T): Promise<T> {
    switch (fault) {
      case "ok":
        return Promise.resolve(ok());
      case "reject":
        return Promise.reject(Object.assign(new Error(`redis://user:${SECRET}@cache refused`), { code: "ECONNREFUSED" }));
      case "hang":
        return new Promise<T>(() => {});
      case "throw":
        throw new Error(`store broke holding ${SECRET}`);
    }
  }
}

function manager(store: TokenStore) {
  const events: StoreHealthEvent[] = [];
  const now = 1_700_000_000_000;
  const tokens = new OAuth2TokenManager(mode(), {
    clientId: "cid",
    clientSecret: SECRET,
    grant: "clientCredentials",
    store,
    now: () => now,
    storeTimeoutMs: 25,
    onStoreEvent: (event) => events.push(event),
  });
  return { tokens, events };
}

describe("token store faults (fail closed, the default)", () => {
  it.each(["reject", "throw", "hang"] as const)("a get that does %s fails the token request with StoreUnavailableError", async (fault) => {
    const store = new FaultyStore();
    store.getFault = fault;
    const { tokens, events } = manager(store);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ store: "token", operation: "get" });
    expect(events).toEqual([{ type: "storeFailure", store: "token", error: expect.any(String) }]);
    expect(JSON.stringify(events) + String(error) + JSON.stringify(error)).not.toContain(SECRET);
  });

  it("a set that fails keeps the new tokens unsaved and unused; once the store answers they are saved first, without a new token request", async () => {
    const store = new FaultyStore();
    store.setFault = "hang";
    const { tokens, events } = manager(store);
    const before = issued;
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "store_unavailable", operation: "set" });
    expect(issued).toBe(before + 1);
    store.setFault = "ok";
    const token = await tokens.getToken();
    expect(token).toBe(`at_secret_${before + 1}`);
    expect(store.saved?.accessToken).toBe(token);
    expect(issued).toBe(before + 1);
    expect(events.map((e) => e.type)).toEqual(["storeFailure", "storeRecovered"]);
  });
});

describe("token store faults (a store that declares fail open)", () => {
  it("a failing set still hands out the new token, and saves it once the store answers", async () => {
    const store = new FaultyStore("open");
    store.setFault = "reject";
    const { tokens, events } = manager(store);
    const token = await tokens.getToken();
    expect(token).toMatch(/^at_secret_/);
    expect(store.saved).toBeUndefined();
    store.setFault = "ok";
    expect(await tokens.getToken()).toBe(token);
    expect(store.saved?.accessToken).toBe(token);
    expect(events.map((e) => e.type)).toEqual(["storeFailure", "storeRecovered"]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it("a get that throws synchronously reads as the tokens held in memory", async () => {
    const store = new FaultyStore("open");
    const { tokens } = manager(store);
    const first = await tokens.getToken();
    store.getFault = "throw";
    tokens.invalidate("not-the-current-token");
    expect(await tokens.getToken()).toBe(first);
  });
});
