/**
 * Token requests through the policies, against a scripted loopback token endpoint on an injected clock:
 * retries of client credentials and installation tokens on network errors, 5xx and 429 (Retry-After
 * honoured, bounded by the request's deadline), a rotating refresh repeated only after a failure that
 * says it was not processed, tokenRequest events in the client's stream, and no secret in any event or
 * error.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import { GithubAppTokenProvider } from "../../../runtime/auth/github-app.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import { coreFor } from "../../helpers/client-core.js";
import { oauth2TestMode } from "../../helpers/oauth2-mode.js";
import type { TokenRequestEvent } from "../../../runtime/client/credentials.js";
import type { ClientEvent } from "../../../runtime/client/events.js";
import type { GithubAppAuthDefinition, OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { githubDefinition as github } from "../../../generated/github/client.js";
import { drive as driveClock, ManualClock } from "../../helpers/manual-clock.js";
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from "../../helpers/loopback-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const CLIENT_SECRET = "cs-SECRET-5b1f0c";
const REFRESH_TOKEN = "rt-SECRET-9a77d2";
const OLD_ACCESS = "at-SECRET-old-41c3";
const NEW_ACCESS = "at-SECRET-new-e08b";
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, OLD_ACCESS, NEW_ACCESS];

let server: LoopbackServer;
let api: LoopbackServer;
/** The token endpoint's script: one answer per request, in order; the last one repeats. */
let script: ((request: RecordedRequest, response: ServerResponse) => void)[] = [];
let served = 0;

const ok = (_request: RecordedRequest, response: ServerResponse): void =>
  void response
    .writeHead(200, { "content-type": "application/json" })
    .end(JSON.stringify({ access_token: NEW_ACCESS, refresh_token: "rt-next-rotated", expires_in: 3600 }));
const status =
  (code: number, headers: Record<string, string> = {}, body = '{"error":"server_error"}') =>
  (_request: RecordedRequest, response: ServerResponse): void =>
    void response.writeHead(code, { "content-type": "application/json", ...headers }).end(body);
/** The request was read, then the connection dropped without an answer: it may have been processed. */
const reset = (_request: RecordedRequest, response: ServerResponse): void => void response.socket?.destroy();

beforeAll(async () => {
  server = await startLoopbackServer();
  server.handle((request, response) => {
    const step = script[Math.min(served, script.length - 1)]!;
    served++;
    step(request, response);
  });
  api = await startLoopbackServer();
  api.handle((request, response) => {
    const good = request.headers.authorization === `Bearer ${NEW_ACCESS}`;
    response.writeHead(good ? 200 : 401, { "content-type": "application/json" }).end(good ? '{"ok":true}' : "{}");
  });
});
afterAll(async () => {
  await server?.close();
  await api?.close();
});
beforeEach(() => {
  served = 0;
  server.requests.length = 0;
});

function oauthMode(tokenUrl = `${server.url}/oauth/token?tenant=t1`): OAuth2AuthDefinition {
  return oauth2TestMode({ tokenUrl, grants: ["refreshToken", "clientCredentials"] });
}

/** Settles `promise`, the manual clock moving 100 ms at a time. */
const drive = <T>(clock: ManualClock, promise: Promise<T>): Promise<T> => driveClock(clock, promise, 100);

async function failure(clock: ManualClock, promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await drive(clock, promise);
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a failure");
}

/** The events of a token request whose first two attempts failed and were repeated. */
const THIRD_ATTEMPT_SUCCEEDS = ["start:1", "failure:1", "retry:1", "start:2", "failure:2", "retry:2", "start:3", "success:3"];

/** Every secret used by the test, searched in every event and error (message, stack and own fields). */
function expectNoSecrets(...things: unknown[]): void {
  for (const thing of things) {
    const text =
      thing instanceof Error
        ? `${thing.message}\n${thing.stack}\n${JSON.stringify({ ...thing })}\n${String((thing as { cause?: unknown }).cause)}`
        : JSON.stringify(thing);
    for (const secret of SECRETS) expect(text, "a secret leaked").not.toContain(secret);
  }
}

async function refreshManager(clock: ManualClock, options: { rotatingRefreshTokens?: boolean; timeoutMs?: number } = {}) {
  const store = new MemoryTokenStore();
  await store.set("k", { accessToken: OLD_ACCESS, refreshToken: REFRESH_TOKEN, expiresAt: clock.now() - 1 });
  const events: TokenRequestEvent[] = [];
  const manager = new OAuth2TokenManager(oauthMode(), {
    clientId: "client-1",
    clientSecret: CLIENT_SECRET,
    grant: "refreshToken",
    store,
    key: "k",
    clock,
    timeoutMs: options.timeoutMs ?? 600_000,
    ...(options.rotatingRefreshTokens !== undefined && { rotatingRefreshTokens: options.rotatingRefreshTokens }),
    onEvent: (event) => void events.push(event),
  });
  return { manager, events, store };
}

function clientCredentials(clock: ManualClock, events: TokenRequestEvent[], timeoutMs = 600_000) {
  return new OAuth2TokenManager(oauthMode(), {
    clientId: "client-1",
    clientSecret: CLIENT_SECRET,
    grant: "clientCredentials",
    clock,
    timeoutMs,
    onEvent: (event) => void events.push(event),
  });
}

describe("client credentials: safe to repeat", () => {
  it("retries a 500 and a reset after sending, then hands out the token; events name host and path only", async () => {
    script = [status(500), reset, ok];
    const clock = new ManualClock();
    const events: TokenRequestEvent[] = [];
    const token = await drive(clock, clientCredentials(clock, events).getToken());
    expect(token).toBe(NEW_ACCESS);
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => `${e.phase}:${e.attempt}`)).toEqual(THIRD_ATTEMPT_SUCCEEDS);
    expect(events[1]).toMatchObject({ status: 500, grant: "client_credentials" });
    expect(events[4]!.errorCode).toBeDefined();
    expect(events[4]!.status).toBeUndefined();
    const endpoint = `${new URL(server.url).host}/oauth/token`;
    for (const event of events) expect(event.endpoint).toBe(endpoint);
    expectNoSecrets(events);
  });

  it("waits the Retry-After of a 429 before the next attempt", async () => {
    script = [status(429, { "retry-after": "7" }), ok];
    const clock = new ManualClock();
    const events: TokenRequestEvent[] = [];
    await drive(clock, clientCredentials(clock, events).getToken());
    expect(events.find((e) => e.phase === "retry")!.delayMs).toBeGreaterThanOrEqual(7000);
    expect(server.requests).toHaveLength(2);
  });

  it("stops after 3 attempts with the provider's error, outcome unknown (a 500 may have been processed)", async () => {
    script = [status(500)];
    const clock = new ManualClock();
    const events: TokenRequestEvent[] = [];
    const error = await failure(clock, clientCredentials(clock, events).getToken());
    expect(error).toMatchObject({ code: "oauth_error", status: 500, outcome: "unknown", attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expectNoSecrets(error, events);
  });

  it("fails at once when Retry-After ends past the request's deadline", async () => {
    script = [status(429, { "retry-after": "20" }), ok];
    const clock = new ManualClock();
    const error = await failure(clock, clientCredentials(clock, [], 5_000).getToken());
    expect(error).toMatchObject({ code: "oauth_error", status: 429, outcome: "not_processed", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("repeats a connection refused before sending, and says nothing was processed", async () => {
    const port = await freePort();
    const clock = new ManualClock();
    const events: TokenRequestEvent[] = [];
    const manager = new OAuth2TokenManager(oauthMode(`http://127.0.0.1:${port}/token`), {
      clientId: "client-1",
      clientSecret: CLIENT_SECRET,
      grant: "clientCredentials",
      clock,
      timeoutMs: 600_000,
      onEvent: (event) => void events.push(event),
    });
    const error = await failure(clock, manager.getToken());
    expect(error).toMatchObject({ code: "network", errorCode: "ECONNREFUSED", outcome: "not_processed", attempts: 3 });
    expect(events.filter((e) => e.phase === "failure").map((e) => e.errorCode)).toEqual(["ECONNREFUSED", "ECONNREFUSED", "ECONNREFUSED"]);
    expectNoSecrets(error, events);
  });
});

describe("refresh with a rotating refresh token: repeated only when not processed", () => {
  it.each([
    { answer: "a 500", step: status(500) },
    { answer: "a 503 without Retry-After", step: status(503) },
    { answer: "a reset after the request was sent", step: reset },
  ])("$answer: one attempt, outcome unknown, the error says why", async ({ step }) => {
    script = [step, ok];
    const clock = new ManualClock();
    const { manager, events } = await refreshManager(clock);
    const error = await failure(clock, manager.getToken());
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ outcome: "unknown", attempts: 1 });
    expect(error.message).toContain("rotated the refresh token (outcome unknown)");
    expect(events.filter((e) => e.phase === "retry")).toEqual([]);
    expectNoSecrets(error, events);
  });

  it.each([
    { answer: "a 429", step: status(429, { "retry-after": "2" }) },
    { answer: "a 503 with Retry-After", step: status(503, { "retry-after": "2" }) },
  ])("$answer (not processed) is repeated after its wait", async ({ step }) => {
    script = [step, ok];
    const clock = new ManualClock();
    const { manager, events, store } = await refreshManager(clock);
    expect(await drive(clock, manager.getToken())).toBe(NEW_ACCESS);
    expect(server.requests).toHaveLength(2);
    expect(events.find((e) => e.phase === "retry")).toMatchObject({ attempt: 1, grant: "refresh_token" });
    expect((await store.get("k"))?.refreshToken).toBe("rt-next-rotated");
    // Both attempts sent the same (not yet rotated) refresh token.
    for (const request of server.requests) expect(new URLSearchParams(request.body).get("refresh_token")).toBe(REFRESH_TOKEN);
    expectNoSecrets(events);
  });

  it("a provider that never rotates (rotatingRefreshTokens: false) gets a 500 repeated", async () => {
    script = [status(500), ok];
    const clock = new ManualClock();
    const { manager } = await refreshManager(clock, { rotatingRefreshTokens: false });
    expect(await drive(clock, manager.getToken())).toBe(NEW_ACCESS);
    expect(server.requests).toHaveLength(2);
  });

  it("an error description that echoes the refresh token and secret is scrubbed", async () => {
    const echo = JSON.stringify({ error: "invalid_request", error_description: `bad ${REFRESH_TOKEN} for ${CLIENT_SECRET}` });
    script = [status(400, {}, echo)];
    const clock = new ManualClock();
    const { manager, events } = await refreshManager(clock);
    const error = await failure(clock, manager.getToken());
    expect(error).toMatchObject({ code: "oauth_error", error: "invalid_request", outcome: "not_processed", attempts: 1 });
    expect(error.message).toContain("[redacted]");
    expectNoSecrets(error, events);
  });
});

describe("authorization code exchange: a code is single-use", () => {
  const CODE = "code-SECRET-77aa01";
  async function exchange(clock: ManualClock, events: TokenRequestEvent[]) {
    const authorization = new OAuth2Authorization(
      { ...oauthMode(), grants: ["authorizationCode", "refreshToken"], authorizationUrl: `${server.url}/authorize`, pkce: "required" },
      {
        clientId: "client-1",
        clientSecret: CLIENT_SECRET,
        redirectUri: "http://127.0.0.1/callback",
        clock,
        onEvent: (event) => void events.push(event),
      },
    );
    const { state } = await authorization.start();
    return authorization.finish(`http://127.0.0.1/callback?state=${state}&code=${CODE}`);
  }

  it("a 500 is not repeated (outcome unknown); code and verifier appear nowhere", async () => {
    script = [status(500, {}, JSON.stringify({ error: "server_error", error_description: `could not use ${CODE}` })), ok];
    const clock = new ManualClock();
    const events: TokenRequestEvent[] = [];
    const error = await failure(clock, exchange(clock, events));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ code: "oauth_error", status: 500, outcome: "unknown", attempts: 1 });
    expect(error.message).toContain("used up the single-use code (outcome unknown)");
    const verifier = new URLSearchParams(server.requests[0]!.body).get("code_verifier")!;
    expect(verifier.length).toBeGreaterThan(40);
    for (const thing of [error.message, error.stack, JSON.stringify({ ...error }), JSON.stringify(events)]) {
      expect(thing).not.toContain(CODE);
      expect(thing).not.toContain(verifier);
    }
    expectNoSecrets(error, events);
    expect(events.map((e) => e.grant)).toEqual(["authorization_code", "authorization_code"]);
  });

  it("a 429 is repeated after its Retry-After", async () => {
    script = [status(429, { "retry-after": "1" }), ok];
    const clock = new ManualClock();
    const events: TokenRequestEvent[] = [];
    expect((await drive(clock, exchange(clock, events))).accessToken).toBe(NEW_ACCESS);
    expect(server.requests).toHaveLength(2);
  });
});

describe("through a client", () => {
  it("the client's event stream gets the token request's events, with the provider, and no secret", async () => {
    script = [status(502), ok];
    const clock = new ManualClock();
    const { manager } = await refreshManager(clock, { rotatingRefreshTokens: false });
    const events: ClientEvent[] = [];
    const client = coreFor(
      testDefinition({ environments: { live: { baseUrl: api.url } }, auth: { modes: { oauth: oauthMode() }, defaultMode: "oauth" } }),
      { auth: { mode: "oauth", accessToken: manager }, retry: false, clock, onEvent: (event) => void events.push(event) },
    );
    const answer = await drive(clock, client.request(op("GET", "/thing"), { path: "/thing" }));
    expect(answer).toMatchObject({ ok: true });
    const tokenEvents = events.filter((e) => e.type === "tokenRequest");
    expect(tokenEvents.map((e) => e.phase)).toEqual(["start", "failure", "retry", "start", "success"]);
    expect(tokenEvents[1]).toMatchObject({ provider: expect.any(String), status: 502, attempt: 1, grant: "refresh_token" });
    expectNoSecrets(events);
  });

  it("the call's deadline still ends its wait while the shared token request retries", async () => {
    script = [status(503, { "retry-after": "1" })];
    const clock = new ManualClock();
    const events: ClientEvent[] = [];
    const manager = new OAuth2TokenManager(oauthMode(), {
      clientId: "client-1",
      clientSecret: CLIENT_SECRET,
      grant: "clientCredentials",
      clock,
      timeoutMs: 600_000,
      retry: { maxAttempts: 10 },
    });
    const client = coreFor(
      testDefinition({ environments: { live: { baseUrl: api.url } }, auth: { modes: { oauth: oauthMode() }, defaultMode: "oauth" } }),
      {
        auth: { mode: "oauth", accessToken: manager },
        retry: false,
        clock,
        timeout: { totalMs: 2_500 },
        onEvent: (event) => void events.push(event),
      },
    );
    const before = api.requests.length;
    const error = await failure(clock, client.request(op("GET", "/thing"), { path: "/thing" }));
    expect(error).toMatchObject({ code: "timeout", scope: "total" });
    expect(api.requests.length, "the API request was never sent").toBe(before);
    // The token request was retrying (1 s apart) when the call gave up.
    expect(events.filter((e) => e.type === "tokenRequest" && e.phase === "retry").length).toBeGreaterThanOrEqual(1);
  });
});

describe("revocation (RFC 7009): a token request, repeated after any failure", () => {
  const revoked = (_request: RecordedRequest, response: ServerResponse): void => void response.writeHead(200).end();
  /** Reads the request and never answers. */
  const hang = (): void => {};

  async function signedIn(clock: ManualClock, timeoutMs = 600_000) {
    const store = new MemoryTokenStore();
    await store.set("k", { accessToken: OLD_ACCESS, refreshToken: REFRESH_TOKEN, expiresAt: clock.now() + 3_600_000 });
    const events: TokenRequestEvent[] = [];
    const manager = new OAuth2TokenManager(
      { ...oauthMode(), revocationUrl: `${server.url}/oauth/revoke` },
      { clientId: "client-1", clientSecret: CLIENT_SECRET, store, key: "k", clock, timeoutMs, onEvent: (event) => void events.push(event) },
    );
    return { manager, events, store };
  }

  it("repeats a 500 and a reset after sending (revoking twice is harmless), then empties the store", async () => {
    script = [status(500), reset, revoked];
    const clock = new ManualClock();
    const { manager, events, store } = await signedIn(clock);
    expect(await drive(clock, manager.revoke())).toEqual({ revocation: "revoked" });
    expect(await store.get("k")).toBeUndefined();
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(request.url).toBe("/oauth/revoke");
      expect(Object.fromEntries(new URLSearchParams(request.body))).toMatchObject({
        token: REFRESH_TOKEN,
        token_type_hint: "refresh_token",
      });
    }
    expect(events.map((e) => `${e.phase}:${e.attempt}`)).toEqual(THIRD_ATTEMPT_SUCCEEDS);
    for (const event of events) expect(event).toMatchObject({ grant: "revocation", endpoint: `${new URL(server.url).host}/oauth/revoke` });
    expectNoSecrets(events);
  });

  it("without a revocationUrl sends nothing, deletes the stored tokens and says so (noRevocationUrl)", async () => {
    script = [revoked];
    const clock = new ManualClock();
    const { store } = await signedIn(clock);
    const events: TokenRequestEvent[] = [];
    const manager = new OAuth2TokenManager(oauthMode(), {
      clientId: "client-1",
      clientSecret: CLIENT_SECRET,
      store,
      key: "k",
      clock,
      onEvent: (e) => void events.push(e),
    });
    expect(await manager.getToken()).toBe(OLD_ACCESS);
    expect(await manager.revoke()).toEqual({ revocation: "noRevocationUrl" });
    expect(server.requests).toHaveLength(0);
    expect(events).toEqual([]);
    expect(await store.get("k")).toBeUndefined();
    await expect(manager.getToken()).rejects.toMatchObject({ code: "reauthorization_required" });
    expect(server.requests).toHaveLength(0);
  });

  it("with nothing held or stored sends nothing and says so (noTokens)", async () => {
    script = [revoked];
    const clock = new ManualClock();
    const { manager, store } = await signedIn(clock);
    await store.delete("k");
    expect(await manager.revoke()).toEqual({ revocation: "noTokens" });
    expect(server.requests).toHaveLength(0);
  });

  it("does not repeat a refusal (400): OAuthError, outcome not_processed, and the tokens stay stored", async () => {
    script = [status(400, {}, JSON.stringify({ error: "invalid_client", error_description: `bad secret ${CLIENT_SECRET}` })), revoked];
    const clock = new ManualClock();
    const { manager, events, store } = await signedIn(clock);
    const error = await failure(clock, manager.revoke());
    expect(error).toMatchObject({ code: "oauth_error", error: "invalid_client", status: 400, outcome: "not_processed", attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect((await store.get("k"))?.refreshToken).toBe(REFRESH_TOKEN);
    expectNoSecrets(error, events);
  });

  it("ends at the manager's timeoutMs when the endpoint never answers: TimeoutError, outcome unknown", async () => {
    script = [hang];
    const clock = new ManualClock();
    const { manager, events, store } = await signedIn(clock, 5_000);
    const started = clock.now();
    const error = await failure(clock, manager.revoke());
    expect(error).toMatchObject({ code: "timeout", outcome: "unknown" });
    expect(clock.now() - started).toBeLessThanOrEqual(5_100);
    expect(events.at(-1)).toMatchObject({ phase: "failure", errorCode: "timeout", grant: "revocation" });
    expect((await store.get("k"))?.accessToken).toBe(OLD_ACCESS);
    expectNoSecrets(error, events);
  });

  it("the caller's signal ends it with the caller's reason, and the client's listener gets its events", async () => {
    script = [hang];
    const clock = new ManualClock();
    const { manager, events } = await signedIn(clock);
    const controller = new AbortController();
    const seen: TokenRequestEvent[] = [];
    const revoking = manager.revoke({ signal: controller.signal, onTokenRequest: (event) => void seen.push(event) });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const reason = new Error("signed out elsewhere");
    controller.abort(reason);
    await expect(revoking).rejects.toBe(reason);
    expect(seen.map((e) => e.phase)).toEqual(["start", "failure"]);
    expect(events).toEqual(seen);
  });
});

describe("GitHub App installation tokens", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const appMode = github.auth.modes["app"] as GithubAppAuthDefinition;

  it("retries a 502 and a reset (safe to repeat); the app JWT is in no event or error", async () => {
    const installed = (_request: RecordedRequest, response: ServerResponse): void =>
      void response
        .writeHead(201, { "content-type": "application/json" })
        .end(JSON.stringify({ token: NEW_ACCESS, expires_at: new Date(Date.now() + 3_600_000).toISOString() }));
    script = [status(502, {}, '{"message":"bad gateway"}'), reset, installed];
    const clock = new ManualClock(Date.now());
    const events: TokenRequestEvent[] = [];
    const provider = new GithubAppTokenProvider(appMode, {
      appId: 1,
      privateKey: pem,
      installationId: 42,
      installationTokenUrl: `${server.url}/app/installations/{installationId}/access_tokens`,
      clock,
      onEvent: (event) => void events.push(event),
    });
    expect(await drive(clock, provider.getToken())).toBe(NEW_ACCESS);
    expect(server.requests).toHaveLength(3);
    const jwt = String(server.requests[0]!.headers.authorization).replace(/^Bearer /, "");
    expect(events.map((e) => e.phase)).toEqual(["start", "failure", "retry", "start", "failure", "retry", "start", "success"]);
    expect(events[0]).toMatchObject({
      grant: "installation_token",
      endpoint: `${new URL(server.url).host}/app/installations/42/access_tokens`,
    });
    expect(JSON.stringify(events)).not.toContain(jwt);

    script = [status(500, {}, JSON.stringify({ message: `refused ${jwt}` }))];
    served = 0;
    provider.invalidate(NEW_ACCESS);
    const error = await failure(clock, provider.getToken());
    expect(error).toMatchObject({ code: "oauth_error", status: 500, outcome: "unknown", attempts: 3 });
    const jwt2 = String(server.requests.at(-1)!.headers.authorization).replace(/^Bearer /, "");
    expect(`${error.message}${error.stack}`).not.toContain(jwt2);
    expectNoSecrets(error, events);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
