/**
 * TokenProvider in the core: static tokens stay synchronous, providers are awaited, and a 401 makes
 * the client invalidate, renew and replay exactly once (never a loop), with no token in any event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coreFor } from "../../helpers/client-core.js";
import { applyCredentials, type TokenProvider } from "../../../runtime/client/credentials.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { oauth2TestMode } from "../../helpers/oauth2-mode.js";
import { isProviderError } from "../../../runtime/errors/errors.js";
import type { ClientEvent } from "../../../runtime/client/events.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const mode: OAuth2AuthDefinition = oauth2TestMode({ tokenUrl: "http://127.0.0.1:1/token", tokenEndpointAuthMethod: "none" });

let api: LoopbackServer;
let valid = new Set<string>();
beforeAll(async () => {
  api = await startLoopbackServer();
  api.handle((request, response) => {
    const token = String(request.headers.authorization ?? "").replace(/^Bearer /, "");
    const ok = valid.has(token);
    response
      .writeHead(ok ? 200 : 401, { "content-type": "application/json" })
      .end(ok ? '{"ok":true}' : '{"error":{"code":"unauthorized"}}');
  });
});
afterAll(async () => {
  await api?.close();
});

/** Hands out tok-1, tok-2, ... ; each invalidate() of the current token moves to the next. */
function rotatingProvider(): TokenProvider & { invalidated: string[] } {
  let n = 1;
  const invalidated: string[] = [];
  return {
    invalidated,
    getToken: () => Promise.resolve(`tok-${n}`),
    invalidate(token) {
      invalidated.push(token);
      if (token === `tok-${n}`) n++;
    },
  };
}

function client(source: TokenProvider, events?: ClientEvent[]) {
  return coreFor(testDefinition({ environments: { live: { baseUrl: api.url } }, auth: { modes: { oauth: mode }, defaultMode: "oauth" } }), {
    auth: { mode: "oauth", accessToken: source },
    retry: false,
    ...(events && { onEvent: (e: ClientEvent) => void events.push(e) }),
  });
}

const GET = op("GET", "/thing");

describe("applyCredentials", () => {
  it("stays synchronous for a static token and a synchronous provider", () => {
    const headers: Record<string, string> = {};
    expect(applyCredentials(mode, { accessToken: "static" }, headers, {})).toBeUndefined();
    expect(headers.authorization).toBe("Bearer static");
    expect(applyCredentials(mode, { accessToken: { getToken: () => "sync" } }, headers, {})).toBeUndefined();
    expect(headers.authorization).toBe("Bearer sync");
  });

  it("rejects an object that is no TokenProvider with ConfigurationError", () => {
    expect(() => applyCredentials(mode, { accessToken: {} as TokenProvider }, {}, {})).toThrowError(
      expect.objectContaining({ code: "configuration", message: "auth.accessToken is missing or empty" }),
    );
  });
});

describe("ClientCore 401 hook", () => {
  it("invalidates the refused token, renews it and replays once; events carry no token", async () => {
    valid = new Set(["tok-2"]);
    const provider = rotatingProvider();
    const events: ClientEvent[] = [];
    const seen = api.requests.length;
    expect(await client(provider, events).request(GET, { path: "/thing" })).toEqual({ ok: true });
    expect(provider.invalidated).toEqual(["tok-1"]);
    expect(api.requests.slice(seen).map((r) => r.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(events.filter((e) => e.type === "request")).toHaveLength(2);
    expect(JSON.stringify(events)).not.toMatch(/tok-\d/);
  });

  it("a second 401 after the replay is the provider's error, not another refresh", async () => {
    valid = new Set();
    const provider = rotatingProvider();
    const seen = api.requests.length;
    const error = await client(provider)
      .request(GET, { path: "/thing" })
      .catch((e: unknown) => e);
    expect(isProviderError(error)).toBe(true);
    expect(error).toMatchObject({ code: "provider_error", status: 401 });
    expect(provider.invalidated).toEqual(["tok-1"]);
    expect(api.requests.length - seen).toBe(2);
  });

  it("a provider without invalidate() gets no replay", async () => {
    valid = new Set();
    const seen = api.requests.length;
    await expect(client({ getToken: () => "fixed" }).request(GET, { path: "/thing" })).rejects.toMatchObject({ status: 401 });
    expect(api.requests.length - seen).toBe(1);
  });
});
