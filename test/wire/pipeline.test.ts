/**
 * The request pipeline against a real HTTP server on loopback: rate-limit header sync, pauses on 429,
 * Retry-After, idempotent retries, the circuit breaker, aborts and timeouts, redaction.
 */
import { formatReset } from "../../testing/rate-limit.js";
import { describe, expect, it } from "vitest";
import { type ClientOptions } from "../../runtime/client/client-core.js";
import { coreFor } from "../helpers/client-core.js";
import type { OperationDefinition, ProviderDefinition, RateLimitResetFormat } from "../../runtime/definition.js";
import { isCircuitOpenError, isNetworkError, isProviderError, isRateLimitError, isTimeoutError } from "../../runtime/errors/errors.js";
import type { ClientEvent } from "../../runtime/client/events.js";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { json, useLoopbackServer } from "../helpers/loopback-server.js";
import { drive, ManualClock, tick } from "../helpers/manual-clock.js";
import { op, testDefinition, withoutIdempotency } from "../helpers/test-provider.js";

const server = useLoopbackServer();

const secret = "sk_test_pipeline_SECRET_123";

/** `operations`: for the parts that follow from them (multipart and raw bodies). */
function client(
  definition: ProviderDefinition = testDefinition(),
  options: Partial<ClientOptions> = {},
  operations: OperationDefinition[] = [],
) {
  const events: ClientEvent[] = [];
  const core = coreFor(
    definition,
    { auth: { token: secret }, baseUrl: server.url, onEvent: (e) => events.push(e), ...options },
    operations,
  );
  return { core, events };
}

const getThing = op("GET", "/things/{id}");
const createThing = op("POST", "/things");

function limitedDefinition(resetFormat: RateLimitResetFormat) {
  return testDefinition({
    rateLimits: {
      headers: { limit: "x-ratelimit-limit", remaining: "x-ratelimit-remaining", reset: "x-ratelimit-reset", resetFormat },
      limitedWhen: [],
      buckets: { main: { rate: 1000, perMs: 1000, maxQueueWaitMs: 10_000 } },
    },
  });
}

describe("rate-limit headers", () => {
  it.each(["epoch-seconds", "epoch-ms", "seconds", "http-date"] as const)(
    "re-synchronise the bucket: remaining 0 with a %s reset holds the next request until the reset",
    async (format) => {
      // The client's clock and the server's answers share a manual clock: the reset is exact in every format.
      const clock = new ManualClock();
      const resetAt = clock.now() + 1000;
      server.handle((_request, response) => {
        const first = server.requests.length === 1;
        const header = formatReset(format, resetAt, clock.now());
        json(
          response,
          200,
          { ok: true },
          { "x-ratelimit-limit": "2", "x-ratelimit-remaining": first ? "0" : "1", "x-ratelimit-reset": header },
        );
      });
      const { core, events, sentAt } = clockedClient(clock, limitedDefinition(format));
      await core.request(getThing, { path: "/things/1" });
      const second = core.request(getThing, { path: "/things/2" });
      await inQueue();
      await clock.advance(resetAt - clock.now() - 1);
      expect(sentAt).toHaveLength(1);
      await drive(clock, second);
      expect(sentAt).toHaveLength(2);
      expect(sentAt[1]).toBeGreaterThanOrEqual(resetAt);
    },
  );

  it("a 429 pauses the whole bucket, so other callers wait for the Retry-After too", async () => {
    const clock = new ManualClock();
    const limitedAt = clock.now();
    server.handle((_request, response) => {
      if (server.requests.length === 1) json(response, 429, { error: { message: "slow down" } }, { "retry-after": "1" });
      else json(response, 200, { ok: true });
    });
    const { core, events, sentAt } = clockedClient(
      clock,
      testDefinition({ rateLimits: { limitedWhen: [], buckets: { main: { rate: 1000, perMs: 1000, maxQueueWaitMs: 10_000 } } } }),
    );
    const first = core.request(getThing, { path: "/things/a" });
    await until(() => events.some((e) => e.type === "rateLimited"));
    const others = Promise.all([core.request(getThing, { path: "/things/b" }), core.request(getThing, { path: "/things/c" })]);
    await inQueue();
    await clock.advance(limitedAt + 999 - clock.now());
    expect(sentAt).toHaveLength(1);
    expect(await drive(clock, others)).toEqual([{ ok: true }, { ok: true }]);
    await first;
    expect(sentAt).toHaveLength(4);
    for (const at of sentAt.slice(1)) expect(at).toBeGreaterThanOrEqual(limitedAt + 1000);
  });

  it("a provider's declared equivalent of 429 (GitHub's 403 with remaining 0) counts as rate-limited", async () => {
    const definition = testDefinition({
      rateLimits: {
        headers: { remaining: "x-ratelimit-remaining", reset: "x-ratelimit-reset", resetFormat: "epoch-seconds" },
        limitedWhen: [{ status: [403], header: { name: "x-ratelimit-remaining", equals: "0" } }],
        buckets: { core: { rate: 5000, perMs: 3_600_000, maxQueueWaitMs: 30_000 } },
      },
    });
    server.handle((_request, response) =>
      json(
        response,
        403,
        { message: "API rate limit exceeded" },
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3000) },
      ),
    );
    const { core } = client(definition);
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ source: "provider" });
    expect((error as { retryAt: number }).retryAt).toBeGreaterThan(Date.now() + 2_900_000);
    // The bucket is paused until the reset: the next call fails fast from the local limiter.
    const next = await core.request(getThing, { path: "/things/2" }).catch((e: unknown) => e);
    expect(next).toMatchObject({ code: "rate_limited", source: "local", bucket: "core" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("Retry-After", () => {
  it.each([
    ["seconds", () => "1", 1000],
    ["an HTTP date", (now: number) => new Date(now + 2000).toUTCString(), 2000],
  ] as [string, (now: number) => string, number][])("waits at least what the provider asked, given in %s", async (_form, value, asked) => {
    const clock = new ManualClock();
    server.handle((_request, response) => {
      if (server.requests.length === 1) json(response, 503, { error: { message: "busy" } }, { "retry-after": value(clock.now()) });
      else json(response, 200, { ok: true });
    });
    const { core, events, sentAt } = clockedClient(clock, testDefinition());
    const call = core.request(getThing, { path: "/things/1" });
    await until(() => events.some((e) => e.type === "retry"));
    expect(events.find((e) => e.type === "retry")).toMatchObject({ reason: "status" });
    await clock.advance(sentAt[0]! + asked - 1 - clock.now());
    expect(sentAt).toHaveLength(1);
    await expect(drive(clock, call)).resolves.toEqual({ ok: true });
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(asked);
  });

  it("fails at once with a RateLimitError saying when, if the provider asks for more than the maximum wait", async () => {
    server.handle((_request, response) => json(response, 429, { error: { message: "later" } }, { "retry-after": "3600" }));
    const { core } = client();
    const before = Date.now();
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isRateLimitError(error)).toBe(true);
    expect((error as { retryAt: number }).retryAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(isProviderError((error as Error).cause)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("gives up on a 503 whose Retry-After is beyond the maximum wait instead of stalling the caller", async () => {
    server.handle((_request, response) => json(response, 503, { error: { message: "maintenance" } }, { "retry-after": "86400" }));
    const { core } = client();
    const before = Date.now();
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isProviderError(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
    // Like a 429's, the error says when to come back (issue 14).
    expect((error as { retryAt: number }).retryAt).toBeGreaterThanOrEqual(before + 86_400_000);
  });
});

describe("retry semantics and ambiguous outcomes (issue 14)", () => {
  const unsafe = withoutIdempotency(testDefinition());

  it("retries a rate-limited POST without an idempotency key: a 429 was not processed", async () => {
    server.handle((_request, response) =>
      server.requests.length === 1
        ? json(response, 429, { error: { message: "slow down" } }, { "retry-after": "0" })
        : json(response, 200, { ok: true }),
    );
    const { core } = client(unsafe);
    await expect(core.request(createThing, { path: "/things", body: {} })).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("retries a POST without a key after a 503 with Retry-After, but not after a bare 500", async () => {
    server.handle((_request, response) =>
      server.requests.length === 1
        ? json(response, 503, { error: { message: "overloaded" } }, { "retry-after": "0" })
        : json(response, 200, { ok: true }),
    );
    const { core } = client(unsafe);
    await expect(core.request(createThing, { path: "/things", body: {} })).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);

    server.handle((_request, response) => json(response, 500, { error: { message: "boom" } }));
    const error = await core.request(createThing, { path: "/things", body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, retryable: false, outcome: "unknown", attempts: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it("an error after attempts that may have been applied says so, with the key every attempt carried and the attempt count", async () => {
    server.handle((_request, response) => json(response, 500, { error: { message: "boom" } }));
    const { core } = client();
    const error = await core.request(createThing, { path: "/things", body: {} }).catch((e: unknown) => e);
    const keys = new Set(server.requests.map((r) => r.headers["idempotency-key"]));
    expect(keys.size).toBe(1);
    expect(error).toMatchObject({ outcome: "unknown", attempts: 3, idempotencyKey: [...keys][0], retryable: true });
  });

  it("a call whose every attempt was refused before sending is not_processed", async () => {
    const core = coreFor(unsafe, {
      auth: { token: secret },
      baseUrl: "http://127.0.0.1:1",
      retry: { maxAttempts: 2, backoff: { baseMs: 1, capMs: 1 } },
    });
    const error = await core.request(createThing, { path: "/things", body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "network", errorCode: "ECONNREFUSED", outcome: "not_processed", attempts: 2 });
  });

  it("once one attempt may have been applied, the call stays unknown even if a later one was rate-limited", async () => {
    server.handle((_request, response) =>
      server.requests.length === 1
        ? json(response, 500, { error: { message: "boom" } })
        : json(response, 429, { error: { message: "later" } }, { "retry-after": "3600" }),
    );
    const { core } = client();
    const error = await core.request(createThing, { path: "/things", body: {} }).catch((e: unknown) => e);
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ outcome: "unknown", attempts: 2 });
    expect((error as { idempotencyKey: string }).idempotencyKey).toBe(server.requests[0]!.headers["idempotency-key"]);
  });

  it("errors.codes.<code>.retryable: false stops the pipeline from retrying that code, and the error says so", async () => {
    const definition = testDefinition();
    const strict = testDefinition({ errors: { ...definition.errors, codes: { maintenance: { retryable: false } } } });
    server.handle((_request, response) => json(response, 503, { error: { code: "maintenance", message: "down" } }));
    const { core } = client(strict);
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, providerCode: "maintenance", retryable: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("a burst of overload answers on a spec without a declared breaker costs no call after it ends", async () => {
    // The breaker the model gives a spec that declares none: a failure ratio over a window, with a minimum.
    const undeclared = testDefinition({
      circuitBreaker: {
        scope: "provider",
        threshold: { type: "ratio", ratio: 0.5, windowMs: 30_000, minRequests: 20 },
        openForMs: 30_000,
        halfOpenProbes: 1,
      },
    });
    let overloaded = true;
    server.handle((_request, response) =>
      overloaded ? json(response, 529, { error: { message: "overloaded" } }, { "retry-after": "0" }) : json(response, 200, { ok: true }),
    );
    const { core } = client(
      { ...undeclared, retry: { ...undeclared.retry, notProcessed: { statuses: [529], errorCodes: [] } } },
      { retry: false },
    );
    const during = await Promise.all(
      Array.from({ length: 60 }, (_, i) => core.request(getThing, { path: `/things/${i}` }).catch((e: unknown) => e)),
    );
    expect(during.every((e) => (e as { status?: number }).status === 529)).toBe(true);
    overloaded = false;
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) => core.request(getThing, { path: `/things/${i}` }).catch((e: unknown) => e)),
    );
    expect(after).toEqual(Array.from({ length: 20 }, () => ({ ok: true })));
  });

  it("overload answers do not count toward opening the circuit breaker", async () => {
    server.handle((_request, response) => json(response, 503, { error: { message: "overloaded" } }, { "retry-after": "0" }));
    const tight = testDefinition({
      circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 2 }, openForMs: 30_000, halfOpenProbes: 1 },
    });
    const { core, events } = client(tight, { retry: false });
    for (let i = 0; i < 5; i++) await core.request(getThing, { path: "/things/1" }).catch(() => undefined);
    expect(events.filter((e) => e.type === "breakerStateChange")).toEqual([]);
    expect(server.requests).toHaveLength(5);
  });
});

describe("retries and idempotency", () => {
  it("does not retry a POST that carries no idempotency key", async () => {
    server.handle((_request, response) => json(response, 503, { error: { message: "busy" } }));
    const { core } = client(withoutIdempotency(testDefinition()));
    const error = await core.request(createThing, { path: "/things", body: { a: 1 } }).catch((e: unknown) => e);
    expect(isProviderError(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a POST with an idempotency key, sending the identical key on every attempt", async () => {
    server.handle((_request, response) => {
      if (server.requests.length < 3) json(response, 503, { error: { message: "busy" } });
      else json(response, 200, { id: "t_1" });
    });
    const { core } = client();
    await expect(core.request(createThing, { path: "/things", body: { a: 1 } })).resolves.toEqual({ id: "t_1" });
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a new logical call gets a new key; a caller's own key is used as given", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const { core } = client();
    await core.request(createThing, { path: "/things", body: {} });
    await core.request(createThing, { path: "/things", body: {} });
    await core.request(createThing, { path: "/things", body: {} }, { idempotencyKey: "order-42" });
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe("order-42");
  });

  it("retries a POST whose connection was reset, with the same key", async () => {
    server.handle((request, response) => {
      if (server.requests.length === 1) response.socket?.destroy();
      else json(response, 200, { key: request.headers["idempotency-key"] });
    });
    const { core } = client();
    const result = (await core.request(createThing, { path: "/things", body: {} })) as { key: string };
    expect(server.requests).toHaveLength(2);
    expect(result.key).toBe(server.requests[0]!.headers["idempotency-key"]);
  });

  it("a provider hint overrides the status rules both ways", async () => {
    server.handle((_request, response) => {
      const n = server.requests.length;
      if (n === 1) json(response, 400, { error: { message: "try again" } }, { "acme-should-retry": "true" });
      else if (n === 2) json(response, 200, { ok: true });
      else json(response, 503, { error: { message: "do not" } }, { "acme-should-retry": "false" });
    });
    const { core } = client();
    await expect(core.request(getThing, { path: "/things/1" })).resolves.toEqual({ ok: true });
    await expect(core.request(getThing, { path: "/things/1" })).rejects.toMatchObject({ code: "provider_error", status: 503 });
    expect(server.requests).toHaveLength(3);
  });

  it("retries a provider error code the spec lists, whatever its status", async () => {
    server.handle((_request, response) => {
      if (server.requests.length === 1) json(response, 400, { error: { code: "lock_timeout", message: "locked" } });
      else json(response, 200, { ok: true });
    });
    const definition = testDefinition();
    const { core, events } = client({ ...definition, retry: { ...definition.retry, errorCodes: ["lock_timeout"] } });
    await expect(core.request(getThing, { path: "/things/1" })).resolves.toEqual({ ok: true });
    expect(events.find((e) => e.type === "retry")).toMatchObject({ reason: "error_code" });
  });

  it("stops retrying when the retry budget is spent", async () => {
    server.handle((_request, response) => json(response, 503, { error: { message: "down" } }));
    const definition = testDefinition();
    const { core, events } = client({
      ...definition,
      retry: { ...definition.retry, maxAttempts: 5, budget: { ratio: 0, windowMs: 10_000, minPerSecond: 0.2 } },
    });
    // The budget allows 0.2/s x 10 s = 2 retries in all, whatever the number of calls.
    for (let i = 0; i < 3; i++) await core.request(getThing, { path: "/things/1" }).catch(() => undefined);
    expect(events.filter((e) => e.type === "retry")).toHaveLength(2);
    expect(server.requests).toHaveLength(5);
  });

  it("a per-call retry override wins over the client's", async () => {
    server.handle((_request, response) => json(response, 503, { error: { message: "down" } }));
    const { core } = client();
    await core.request(getThing, { path: "/things/1" }, { retry: false }).catch(() => undefined);
    expect(server.requests).toHaveLength(1);
  });
});

describe("circuit breaker", () => {
  it("opens after the threshold, fails fast without a request, half-opens after openFor and closes on a good probe", async () => {
    let healthy = false;
    server.handle((_request, response) =>
      healthy ? json(response, 200, { ok: true }) : json(response, 503, { error: { message: "down" } }),
    );
    const clock = new ManualClock();
    const { core, events } = client(
      testDefinition({
        circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 2 }, openForMs: 300, halfOpenProbes: 1 },
      }),
      { retry: false, clock },
    );
    for (let i = 0; i < 2; i++) await expect(core.request(getThing, { path: "/things/1" })).rejects.toMatchObject({ status: 503 });
    const fast = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isCircuitOpenError(fast)).toBe(true);
    expect(server.requests).toHaveLength(2);
    await clock.advance(299);
    expect(isCircuitOpenError(await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e))).toBe(true);
    await clock.advance(1);
    healthy = true;
    await expect(core.request(getThing, { path: "/things/1" })).resolves.toEqual({ ok: true });
    await expect(core.request(getThing, { path: "/things/1" })).resolves.toEqual({ ok: true });
    const changes = events
      .filter((e) => e.type === "breakerStateChange")
      .map((e) => (e.type === "breakerStateChange" ? `${e.from}>${e.to}` : ""));
    expect(changes).toEqual(["closed>open", "open>halfOpen", "halfOpen>closed"]);
  });

  it("never counts 4xx answers as failures", async () => {
    server.handle((_request, response) => json(response, 404, { error: { message: "no such thing" } }));
    const { core } = client(
      testDefinition({
        circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 2 }, openForMs: 10_000, halfOpenProbes: 1 },
      }),
    );
    for (let i = 0; i < 5; i++) await expect(core.request(getThing, { path: "/things/1" })).rejects.toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(5);
  });
});

describe("abort and timeouts", () => {
  it("abort takes a queued request out of the queue; it never reaches the server", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const { core } = client(
      testDefinition({ rateLimits: { limitedWhen: [], buckets: { slow: { rate: 1, perMs: 60_000, maxQueueWaitMs: 120_000 } } } }),
    );
    await core.request(getThing, { path: "/things/1" });
    const controller = new AbortController();
    const queued = core.request(getThing, { path: "/things/2" }, { signal: controller.signal }).catch((e: unknown) => e);
    await inQueue();
    controller.abort(new Error("user left"));
    expect(await queued).toEqual(new Error("user left"));
    expect(server.requests).toHaveLength(1);
  });

  it("abort cancels a request in flight and a retry wait", async () => {
    server.handle(() => undefined); // never answers
    const { core, events } = client();
    const controller = new AbortController();
    const inFlight = core.request(getThing, { path: "/things/1" }, { signal: controller.signal }).catch((e: unknown) => e);
    await until(() => server.requests.length === 1);
    controller.abort(new Error("cancelled"));
    expect(await inFlight).toEqual(new Error("cancelled"));

    server.handle((_request, response) => json(response, 503, { error: { message: "busy" } }, { "retry-after": "4" }));
    const waiting = new AbortController();
    const inWait = core.request(getThing, { path: "/things/2" }, { signal: waiting.signal }).catch((e: unknown) => e);
    await until(() => events.some((e) => e.type === "retry"));
    waiting.abort(new Error("no more waiting"));
    expect(await inWait).toEqual(new Error("no more waiting"));
    expect(server.requests).toHaveLength(2);
  });

  it("an aborted attempt gives its rate-limit slot back", async () => {
    let answer = false;
    server.handle((_request, response) => (answer ? json(response, 200, { ok: true }) : undefined));
    const { core } = client(
      testDefinition({
        rateLimits: { limitedWhen: [], buckets: { one: { rate: 100, perMs: 1000, concurrency: 1, maxQueueWaitMs: 5000 } } },
      }),
    );
    const controller = new AbortController();
    const inFlight = core.request(getThing, { path: "/things/1" }, { signal: controller.signal }).catch((e: unknown) => e);
    await until(() => server.requests.length === 1);
    controller.abort(new Error("cancelled"));
    await inFlight;
    answer = true;
    await expect(core.request(getThing, { path: "/things/2" })).resolves.toEqual({ ok: true });
  });

  it("an attempt that outlives its timeout is aborted and retried, then the call fails with a TimeoutError", async () => {
    server.handle(() => undefined);
    const { core, events } = client(testDefinition(), { timeout: { attemptMs: 100 } });
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ scope: "attempt", timeoutMs: 100 });
    expect(server.requests).toHaveLength(3);
    expect(events.filter((e) => e.type === "retry").map((e) => (e.type === "retry" ? e.reason : ""))).toEqual(["timeout", "timeout"]);
  });

  it("the total timeout bounds the call with all its retries", async () => {
    server.handle(() => undefined);
    const { core } = client(testDefinition(), { timeout: { attemptMs: 10_000, totalMs: 150 } });
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    // The one attempt was cut to what was left of the call, and the call's own limit is what ran out.
    expect(error).toMatchObject({ scope: "total", timeoutMs: 150 });
    expect(server.requests).toHaveLength(1);
  });

  it("a refused connection is a NetworkError with its code, retried even for a POST", async () => {
    const events: ClientEvent[] = [];
    const core = coreFor(testDefinition(), {
      auth: { token: secret },
      baseUrl: "http://127.0.0.1:1",
      onEvent: (e) => events.push(e),
    });
    const noKey = coreFor(withoutIdempotency(testDefinition()), {
      auth: { token: secret },
      baseUrl: "http://127.0.0.1:1",
      onEvent: (e) => events.push(e),
    });
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(error).toMatchObject({ errorCode: "ECONNREFUSED" });
    await noKey.request(createThing, { path: "/things", body: {} }).catch(() => undefined);
    expect(events.filter((e) => e.type === "retry")).toHaveLength(4);
  });
});

describe("observability and redaction", () => {
  it("reports each step as an event, and no event or error contains the credential", async () => {
    const definition = testDefinition({
      auth: { defaultMode: "key", modes: { key: { type: "apiKey", in: "query", name: "key", prefix: "" } } },
    });
    server.handle((_request, response) => {
      if (server.requests.length === 1) json(response, 503, { error: { message: "busy" } });
      else json(response, 401, { error: { code: "bad_key", message: "invalid key" } }, { "request-id": "req_9" });
    });
    const events: ClientEvent[] = [];
    const core = coreFor(definition, { auth: { apiKey: secret }, baseUrl: server.url, onEvent: (e) => events.push(e) });
    const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    expect(isProviderError(error)).toBe(true);
    expect(server.requests[0]!.url).toContain(secret); // it was sent...
    const visible = JSON.stringify(events) + JSON.stringify(error) + String(error) + (error as Error).stack;
    expect(visible).not.toContain(secret); // ...and is seen nowhere else
    expect(events.map((e) => e.type)).toEqual(["request", "response", "retry", "request", "response"]);
    expect(events[4]).toMatchObject({ status: 401, requestId: "req_9", operation: "get/things/{id}" });
  });

  it("send resolves to the whole answer: status, headers, parsed body and the request id", async () => {
    server.handle((_request, response) => json(response, 201, { id: "t_1" }, { "request-id": "req_42", "x-extra": "1" }));
    const { core } = client();
    const answer = await core.send(createThing, { path: "/things", body: { name: "a" } });
    expect(answer).toMatchObject({ status: 201, body: { id: "t_1" }, requestId: "req_42" });
    expect(answer.headers.get("x-extra")).toBe("1");
  });

  it("a throwing event listener does not change the call", async () => {
    server.handle((_request, response) => json(response, 200, { ok: 1 }));
    const core = coreFor(testDefinition(), {
      auth: { token: secret },
      baseUrl: server.url,
      onEvent: () => {
        throw new Error("observer bug");
      },
    });
    await expect(core.request(getThing, { path: "/things/1" })).resolves.toEqual({ ok: 1 });
  });
});

describe("request encoding", () => {
  it("writes query arrays in the provider's style, or the parameter's own", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const { core } = client();
    await core.request(op("GET", "/list", { queryStyles: { labels: "comma", ids: "brackets" } }), {
      path: "/list",
      query: { status: ["open", "closed"], labels: ["a b", "c"], ids: [1, 2], filter: { created: { gte: 5 } } },
    });
    expect(server.requests[0]!.url).toBe(
      "/list?status=open&status=closed&labels=a%20b%2Cc&ids%5B%5D=1&ids%5B%5D=2&filter%5Bcreated%5D%5Bgte%5D=5",
    );
  });

  it("sends multipart bodies with files, written by the platform's own FormData serializer", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const upload = op("POST", "/files", { bodyEncoding: "multipart" });
    const { core } = client(testDefinition(), {}, [upload]);
    const file = new File([new Uint8Array([0, 1, 2, 255])], "logo.png", { type: "image/png" });
    await core.request(upload, {
      path: "/files",
      body: { purpose: "logo", file, meta: { tag: "x" } },
    });
    const request = server.requests[0]!;
    const boundary = /boundary=(.+)$/.exec(String(request.headers["content-type"]))![1]!;
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.body).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nlogo\r\n`);
    expect(request.body).toContain('Content-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png');
    expect(request.body).toContain('name="meta[tag]"\r\n\r\nx\r\n');
  });

  it("sends raw bodies as given, text or bytes, with the operation's media type", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const markdown = op("POST", "/markdown/raw", { bodyEncoding: "raw", contentType: "text/plain" });
    const { core } = client(testDefinition(), {}, [markdown]);
    await core.request(markdown, {
      path: "/markdown/raw",
      body: "Hello **world**",
    });
    await core.request(op("POST", "/assets", { bodyEncoding: "raw", contentType: "application/octet-stream" }), {
      path: "/assets",
      body: new TextEncoder().encode("PK\u0003\u0004"),
    });
    const [text, bytes] = server.requests;
    expect([text!.headers["content-type"], text!.body]).toEqual(["text/plain", "Hello **world**"]);
    expect([bytes!.headers["content-type"], bytes!.body]).toEqual(["application/octet-stream", "PK\u0003\u0004"]);
  });

  it("an operation's own server replaces the environment's base URL, but not a baseUrl the caller gave", async () => {
    server.handle((_request, response) => json(response, 200, { ok: true }));
    // The environment points nowhere: only the operation's server can answer.
    const onItsServer = coreFor(testDefinition(), { auth: { token: secret }, retry: false });
    const upload = op("POST", "/assets", { baseUrl: server.url });
    await expect(onItsServer.request(upload, { path: "/assets" })).resolves.toEqual({ ok: true });
    // A caller's baseUrl (a test server, an enterprise host) wins over the operation's.
    const { core } = client();
    await expect(core.request(op("POST", "/assets", { baseUrl: "http://127.0.0.1:1" }), { path: "/assets" })).resolves.toEqual({
      ok: true,
    });
    expect(server.requests.map((r) => r.url)).toEqual(["/assets", "/assets"]);
  });
});

describe("one deadline per call (issue 14)", () => {
  /** Headers at once, then one byte every 20 ms, never ending; stops when the client goes away. */
  function trickle(_request: unknown, response: ServerResponse): void {
    response.writeHead(200, { "content-type": "text/plain" });
    const timer = setInterval(() => response.write("."), 20);
    response.on("close", () => clearInterval(timer));
  }

  for (const [transport, options] of [
    ["undici", {}],
    ["fetch", { fetch: globalThis.fetch }],
  ] as const) {
    it(`the attempt timeout bounds a body that trickles in forever (${transport} transport)`, async () => {
      server.handle(trickle);
      const { core } = client(testDefinition(), { ...options, retry: false, timeout: { attemptMs: 150 } });
      const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
      expect(isTimeoutError(error)).toBe(true);
      expect(error).toMatchObject({ scope: "attempt", timeoutMs: 150 });
    });

    it(`the total timeout bounds a body that trickles in forever (${transport} transport)`, async () => {
      server.handle(trickle);
      const { core } = client(testDefinition(), { ...options, timeout: { totalMs: 200 } });
      const error = await core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "timeout", scope: "total", timeoutMs: 200 });
      expect(server.requests).toHaveLength(1);
    });
  }

  it("a call queued for a rate-limit slot ends at its total timeout, and its request is never sent", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const clock = new ManualClock();
    const { core } = client(
      testDefinition({
        rateLimits: { limitedWhen: [], buckets: { slow: { rate: 1, perMs: 60_000, concurrency: 1, maxQueueWaitMs: 120_000 } } },
      }),
      { clock },
    );
    // The first call holds the only slot (its answer never comes) until it is aborted.
    server.handle(() => undefined);
    const holder = new AbortController();
    const holding = core.request(getThing, { path: "/things/1" }, { signal: holder.signal }).catch((e: unknown) => e);
    await until(() => server.requests.length === 1);
    const queued = core.request(getThing, { path: "/things/2" }, { timeout: { totalMs: 200 } }).catch((e: unknown) => e);
    await inQueue();
    await clock.advance(199);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    const error = await queued;
    expect(error).toMatchObject({ code: "timeout", scope: "total", timeoutMs: 200 });
    holder.abort(new Error("done"));
    await holding;
    expect(server.requests).toHaveLength(1);
  });

  it("a token source that never answers ends the call at its total timeout; the source's signal aborts", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    let seen: AbortSignal | undefined;
    const token = (options?: { signal?: AbortSignal }): Promise<string> => {
      seen = options?.signal;
      return new Promise<string>(() => undefined);
    };
    const clock = new ManualClock();
    const { core } = client(testDefinition(), { auth: { token }, timeout: { totalMs: 200 }, clock });
    const call = core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    await clock.advance(199);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = await call;
    expect(error).toMatchObject({ code: "timeout", scope: "total", timeoutMs: 200 });
    expect(seen?.aborted).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it("a 401's token renewal is bounded by the same deadline", async () => {
    server.handle((_request, response) => json(response, 401, { error: { message: "expired" } }));
    const provider = {
      getToken: () => "old-token",
      invalidate: () => new Promise<void>(() => undefined),
    };
    const clock = new ManualClock();
    const { core } = client(testDefinition(), { auth: { token: provider }, timeout: { totalMs: 200 }, clock });
    const call = core.request(getThing, { path: "/things/1" }).catch((e: unknown) => e);
    await until(() => server.requests.length === 1); // the 401 crosses the loopback in real time
    await drive(clock, call);
    expect(await call).toMatchObject({ code: "timeout", scope: "total" });
  });
});

describe("a 429 without a declared bucket (issue 14)", () => {
  it("pauses every caller of the client until the Retry-After, not only the one that got it", async () => {
    const clock = new ManualClock(Date.now());
    server.handle((_request, response) =>
      server.requests.length === 1
        ? json(response, 429, { error: { message: "slow down" } }, { "retry-after": "5" })
        : json(response, 200, { ok: true }),
    );
    const { core, events, sentAt } = clockedClient(clock, testDefinition());
    const first = core.request(getThing, { path: "/things/1" });
    await until(() => events.some((e) => e.type === "rateLimited")); // the 429 is read and the pause set
    const second = core.request(getThing, { path: "/things/2" });
    await clock.advance(4999);
    expect(sentAt).toHaveLength(1);
    await clock.advance(1);
    await expect(Promise.all([first, second])).resolves.toEqual([{ ok: true }, { ok: true }]);
    expect(sentAt).toHaveLength(3);
  });

  it("a caller whose deadline ends before the pause fails at once with a RateLimitError saying when", async () => {
    const clock = new ManualClock(Date.now());
    server.handle((_request, response) => json(response, 429, { error: { message: "slow down" } }, { "retry-after": "30" }));
    const { core } = client(testDefinition(), { clock, retry: false });
    await core.request(getThing, { path: "/things/1" }).catch(() => undefined);
    const error = await core.request(getThing, { path: "/things/2" }, { timeout: { totalMs: 1000 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", source: "local", retryAt: clock.now() + 30_000 });
    expect(server.requests).toHaveLength(1);
  });
});

describe("close (issue 14)", () => {
  it("closes the client's keep-alive connections, fails queued calls and refuses later ones", async () => {
    let open = 0;
    const raw = createServer((_request, response) => json(response, 200, { ok: true }));
    raw.on("connection", (socket) => {
      open += 1;
      socket.on("close", () => (open -= 1));
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = raw.address() as AddressInfo;
      const core = coreFor(
        testDefinition({ rateLimits: { limitedWhen: [], buckets: { slow: { rate: 1, perMs: 60_000, maxQueueWaitMs: 120_000 } } } }),
        { auth: { token: secret }, baseUrl: `http://127.0.0.1:${port}` },
      );
      await expect(core.request(getThing, { path: "/things/1" })).resolves.toEqual({ ok: true });
      expect(open).toBe(1); // kept alive for the next call
      const queued = core.request(getThing, { path: "/things/2" }).catch((e: unknown) => e);
      await core.close();
      expect(await queued).toMatchObject({ code: "configuration" });
      await until(() => open === 0);
      await expect(core.request(getThing, { path: "/things/3" })).rejects.toMatchObject({ code: "configuration" });
    } finally {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });
});

/**
 * Lets calls just made reach their rate-limit queue: preparing a call with a static token does no I/O,
 * so a few turns of the event loop are enough, and no timer is involved.
 */
async function inQueue(): Promise<void> {
  for (let i = 0; i < 3; i++) await tick();
}

/** Polls `condition` after each turn of I/O: for what crosses the loopback, never for a rule's time. */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await tick();
  }
}

/** A client on a manual clock; `sentAt` holds the clock's time of each request it sent, from its events. */
function clockedClient(clock: ManualClock, definition: ProviderDefinition) {
  const events: ClientEvent[] = [];
  const sentAt: number[] = [];
  const core = coreFor(definition, {
    auth: { token: secret },
    baseUrl: server.url,
    clock,
    onEvent: (event) => {
      events.push(event);
      if (event.type === "request") sentAt.push(clock.now());
    },
  });
  return { core, events, sentAt };
}
