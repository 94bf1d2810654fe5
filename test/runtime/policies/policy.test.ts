/**
 * The policies as rules, composed the way a client composes them (retry -> circuit breaker -> rate
 * limit -> attempt timeout), on a manual clock and a transport function that answers from a script: no
 * socket and no real waiting. What crosses the network is tested in test/wire/pipeline.test.ts.
 */
import { describe, expect, it } from "vitest";
import { type ClientOptions } from "../../../runtime/client/client-core.js";
import { coreFor } from "../../helpers/client-core.js";
import type { ClientEvent } from "../../../runtime/client/events.js";
import type { ProviderDefinition } from "../../../runtime/definition.js";
import { isCircuitOpenError, isRateLimitError, isTimeoutError } from "../../../runtime/errors/errors.js";
import { Stop, wrap, type AttemptContext, type Policy, type Step } from "../../../runtime/policies/policy.js";
import type { TransportRequest, TransportResponse } from "../../../runtime/transport/transport.js";
import { ManualClock, settle } from "../../helpers/manual-clock.js";
import { op, testDefinition, withoutIdempotency } from "../../helpers/test-provider.js";

const getThing = op("GET", "/things/1");
const createThing = op("POST", "/things");

interface Sent {
  readonly at: number;
  readonly request: TransportRequest;
}

type Answer = TransportResponse | Error | "hang";

function answer(status: number, headers: Record<string, string> = {}, body: unknown = { ok: status < 400 }): TransportResponse {
  return { status, headers: new Headers({ "content-type": "application/json", ...headers }), body: JSON.stringify(body) };
}

function reset(code: string): Error {
  return Object.assign(new Error(`socket ${code}`), { code });
}

/**
 * A client on a manual clock whose transport answers from `script` (one entry per request, the last one
 * repeated): an answer, an error to reject with, or "hang" (until the attempt's time limit or the caller's abort).
 */
function scripted(script: readonly Answer[], definition: ProviderDefinition = testDefinition(), options: Partial<ClientOptions> = {}) {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  const events: ClientEvent[] = [];
  const transport = (request: TransportRequest): Promise<TransportResponse> => {
    const next = script[Math.min(sent.length, script.length - 1)]!;
    sent.push({ at: clock.now(), request });
    if (next === "hang") {
      // Like every transport: the attempt ends at its time limit (on the manual clock) or at the caller's abort.
      return new Promise((_resolve, reject) => {
        clock.setTimer(request.timeoutMs ?? Infinity, () => reject(reset("TIMEOUT")));
        request.signal?.addEventListener("abort", () => reject(request.signal!.reason));
      });
    }
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  const core = coreFor(definition, {
    auth: { token: "sk_unit" },
    transport,
    clock,
    random: () => 1,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { core, clock, sent, events };
}

/** Runs the call to its end, moving the manual clock by `step` ms at a time. */
async function run<T>(clock: ManualClock, call: Promise<T>, step = 10, limit = 120_000): Promise<T | unknown> {
  let done = false;
  const result = call.then(
    (value) => ((done = true), value),
    (error: unknown) => ((done = true), error),
  );
  for (let waited = 0; !done && waited <= limit; waited += step) await clock.advance(step);
  await settle();
  expect(done).toBe(true);
  return result;
}

const jitterless = (overrides: Partial<ProviderDefinition> = {}): ProviderDefinition => {
  const base = testDefinition(overrides);
  return { ...base, retry: { ...base.retry, backoff: { baseMs: 100, capMs: 1000, jitter: "none" }, ...overrides.retry } };
};

describe("wrap", () => {
  interface Trace extends AttemptContext {
    readonly log: string[];
  }
  const tracing = (name: string): Policy<Trace> => ({
    execute<T extends Trace>(fn: Step<T>, context: T): T | Promise<T> {
      context.log.push(`${name}>`);
      const result = fn(context);
      const after = (ctx: T): T => (ctx.log.push(`<${name}`), ctx);
      return result instanceof Promise ? result.then(after) : after(result);
    },
  });

  it("runs the first policy outermost and fn innermost, synchronously when nothing waits", () => {
    const context = { log: [] as string[] } as unknown as Trace;
    const fn = (ctx: Trace): Trace => (ctx.log.push("fn"), ctx);
    const composed = wrap(tracing("a"), tracing("b"), tracing("c"));
    const result = composed.execute(fn, context);
    expect(result).toBe(context);
    expect(context.log).toEqual(["a>", "b>", "c>", "fn", "<c", "<b", "<a"]);
  });

  it("builds its chain once per fn and rebuilds it for another fn", async () => {
    const composed = wrap(tracing("a"));
    const first = { log: [] as string[] } as unknown as Trace;
    const second = { log: [] as string[] } as unknown as Trace;
    await composed.execute(async (ctx) => (ctx.log.push("async"), ctx), first);
    composed.execute((ctx) => (ctx.log.push("sync"), ctx), second);
    expect(first.log).toEqual(["a>", "async", "<a"]);
    expect(second.log).toEqual(["a>", "sync", "<a"]);
  });
});

describe("retry policy (manual clock)", () => {
  it("retries a GET after 5xx answers with exponential backoff, then returns the answer", async () => {
    const { core, clock, sent, events } = scripted([answer(503), answer(502), answer(200)], jitterless());
    const result = await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(result).toEqual({ ok: true });
    const start = sent[0]!.at;
    expect(sent.map((s) => s.at - start)).toEqual([0, 100, 300]);
    expect(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && [e.attempt, e.delayMs, e.reason])).toEqual([
      [1, 100, "status"],
      [2, 200, "status"],
    ]);
  });

  it("stops at maxAttempts and throws the last error, retryable and with the attempt count", async () => {
    const { core, clock, sent } = scripted([answer(500)], jitterless());
    const error = await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(sent).toHaveLength(3);
    expect(error).toMatchObject({ status: 500, retryable: true, attempts: 3, outcome: "unknown" });
  });

  it("waits what Retry-After asks when it is longer than the backoff, and never less", async () => {
    const { core, clock, sent } = scripted([answer(503, { "retry-after": "2" }), answer(200)], jitterless());
    await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(sent[1]!.at - sent[0]!.at).toBe(2000);
  });

  it("a POST without a key is retried after a 429 (not processed) but not after a 500 (may have been processed)", async () => {
    const definition = withoutIdempotency(jitterless());
    const limited = scripted([answer(429, { "retry-after": "1" }), answer(200)], definition);
    expect(await run(limited.clock, limited.core.request(createThing, { path: "/things", body: {} }))).toEqual({ ok: true });
    expect(limited.sent.map((s) => s.at - limited.sent[0]!.at)).toEqual([0, 1000]);
    const failed = scripted([answer(500), answer(200)], definition);
    const error = await run(failed.clock, failed.core.request(createThing, { path: "/things", body: {} }));
    expect(failed.sent).toHaveLength(1);
    expect(error).toMatchObject({ status: 500, retryable: false, outcome: "unknown", attempts: 1 });
  });

  it("a Retry-After past the maximum wait ends the call at once with its retryAt", async () => {
    const { core, clock, sent } = scripted([answer(429, { "retry-after": "60" })], jitterless());
    const started = clock.now();
    const error = await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ source: "provider", retryAt: started + 60_000 });
    expect(sent).toHaveLength(1);
  });

  it("a bucket paused by such an answer refuses the next calls at once, saying until when, not as a timeout", async () => {
    const buckets = { b: { rate: 100, perMs: 1000, maxQueueWaitMs: 30_000 } };
    const { core, clock, sent } = scripted(
      [answer(429, { "retry-after": "45" })],
      jitterless({ rateLimits: { limitedWhen: [], buckets } }),
    );
    const started = clock.now();
    expect(await run(clock, core.request(getThing, { path: "/things/1" }))).toMatchObject({ source: "provider" });
    const queued = await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(isRateLimitError(queued)).toBe(true);
    expect(queued).toMatchObject({
      source: "local",
      bucket: "b",
      retryAt: started + 45_000,
      message: `acme: bucket "b" is paused until ${new Date(started + 45_000).toISOString()} by a rate-limited answer`,
    });
    const bounded = await run(clock, core.request(getThing, { path: "/things/1" }, { timeout: { totalMs: 3000 } }));
    expect(isTimeoutError(bounded)).toBe(false);
    expect(bounded).toMatchObject({
      code: "rate_limited",
      retryAt: started + 45_000,
      message: expect.stringMatching(/ is paused until .* by a rate-limited answer$/),
    });
    expect(sent).toHaveLength(1);
  });

  it("a retry whose wait would end past the deadline is not made: the attempt's error is thrown at once", async () => {
    const { core, clock, sent } = scripted([answer(503, { "retry-after": "3" }), answer(200)], jitterless(), {
      timeout: { totalMs: 2000 },
    });
    const started = clock.now();
    const error = await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(error).toMatchObject({ status: 503, retryAt: started + 3000 });
    expect(sent).toHaveLength(1);
    expect(clock.now() - started).toBeLessThan(100);
  });

  it("a network reset is retried for a GET with backoff, and a refused connection for a POST without a key", async () => {
    const get = scripted([reset("ECONNRESET"), answer(200)], jitterless());
    expect(await run(get.clock, get.core.request(getThing, { path: "/things/1" }))).toEqual({ ok: true });
    expect(get.sent[1]!.at - get.sent[0]!.at).toBe(100);
    const post = scripted([reset("ECONNREFUSED"), answer(200)], withoutIdempotency(jitterless()));
    expect(await run(post.clock, post.core.request(createThing, { path: "/things", body: {} }))).toEqual({ ok: true });
  });

  it("the retry budget ends retries once spent", async () => {
    const base = jitterless();
    const definition = { ...base, retry: { ...base.retry, budget: { ratio: 0, windowMs: 10_000, minPerSecond: 0.1 } } };
    const { core, clock, sent } = scripted([answer(503)], definition);
    await run(clock, core.request(getThing, { path: "/things/1" }));
    // minPerSecond 0.1 over 10 s: one retry in all.
    expect(sent).toHaveLength(2);
    await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(sent).toHaveLength(3);
  });
});

describe("circuit breaker policy (manual clock)", () => {
  const breaking = (): ProviderDefinition => ({
    ...withoutIdempotency(jitterless()),
    circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 2 }, openForMs: 1000, halfOpenProbes: 1 },
  });

  it("opens after the threshold, fails fast without sending, half-opens after openFor and closes on a good probe", async () => {
    const { core, clock, sent, events } = scripted([answer(500), answer(500), answer(200)], breaking());
    const post = () => run(clock, core.request(createThing, { path: "/things", body: {} }));
    await post();
    await post();
    const open = await post();
    expect(isCircuitOpenError(open)).toBe(true);
    expect(sent).toHaveLength(2);
    await clock.advance(1000);
    expect(await post()).toEqual({ ok: true });
    expect(sent).toHaveLength(3);
    expect(events.flatMap((e) => (e.type === "breakerStateChange" ? [`${e.from}->${e.to}`] : []))).toEqual([
      "closed->open",
      "open->halfOpen",
      "halfOpen->closed",
    ]);
  });

  it("a failed probe opens it again; overload answers and 4xx never count", async () => {
    const { core, clock, sent, events } = scripted(
      [answer(503, { "retry-after": "0" }), answer(400), answer(503, { "retry-after": "0" }), answer(500), answer(500), answer(500)],
      { ...breaking(), retry: { ...breaking().retry, maxAttempts: 1 } },
    );
    const post = () => run(clock, core.request(createThing, { path: "/things", body: {} }));
    for (let i = 0; i < 3; i++) await post();
    expect(events.some((e) => e.type === "breakerStateChange")).toBe(false);
    await post();
    await post();
    await clock.advance(1000);
    await post(); // the probe fails
    expect(sent).toHaveLength(6);
    expect(isCircuitOpenError(await post())).toBe(true);
    expect(events.flatMap((e) => (e.type === "breakerStateChange" ? [e.to] : []))).toEqual(["open", "halfOpen", "open"]);
  });

  it("a probe whose call is aborted while it waits for a rate-limit slot is given back", async () => {
    const definition: ProviderDefinition = {
      ...breaking(),
      rateLimits: { limitedWhen: [], buckets: { main: { rate: 1, perMs: 10_000, maxQueueWaitMs: 60_000 } } },
    };
    const { core, clock, sent } = scripted([answer(500), answer(500), answer(200)], definition);
    const post = (signal?: AbortSignal) => core.request(createThing, { path: "/things", body: {} }, signal && { signal });
    await run(clock, post());
    await clock.advance(10_000);
    await run(clock, post());
    await clock.advance(1000);
    // Half-open: this call takes the probe, then waits for the bucket's slot and is aborted there.
    const controller = new AbortController();
    const waiting = post(controller.signal).catch((e: unknown) => e);
    await clock.advance(100);
    controller.abort(new Error("caller gave up"));
    expect(await waiting).toMatchObject({ message: "caller gave up" });
    // The probe is free again: the next call is let through (once its slot comes) and closes the breaker.
    expect(await run(clock, post(), 100)).toEqual({ ok: true });
    expect(sent).toHaveLength(3);
  });
});

describe("rate-limit policy (manual clock)", () => {
  const headered = (format: "epoch-ms" | "seconds"): ProviderDefinition =>
    jitterless({
      rateLimits: {
        headers: { limit: "x-limit", remaining: "x-remaining", reset: "x-reset", resetFormat: format },
        limitedWhen: [],
        buckets: { main: { rate: 1000, perMs: 1000, maxQueueWaitMs: 10_000 } },
      },
    });

  it("re-synchronises the bucket from the answer's headers: remaining 0 holds the next request until the reset", async () => {
    const clock0 = new ManualClock().now();
    const { core, clock, sent } = scripted(
      [answer(200, { "x-limit": "2", "x-remaining": "0", "x-reset": String(clock0 + 1500) }), answer(200)],
      headered("epoch-ms"),
    );
    await run(clock, core.request(getThing, { path: "/things/1" }));
    await run(clock, core.request(getThing, { path: "/things/2" }));
    expect(sent.map((s) => s.at - clock0)).toEqual([0, 1500]);
  });

  it("a 429 pauses the whole bucket: every other caller waits for the Retry-After too", async () => {
    const definition = jitterless({
      rateLimits: { limitedWhen: [], buckets: { main: { rate: 1000, perMs: 1000, maxQueueWaitMs: 10_000 } } },
    });
    const { core, clock, sent, events } = scripted([answer(429, { "retry-after": "2" }), answer(200)], definition);
    const first = core.request(getThing, { path: "/things/a" });
    await settle();
    const others = [core.request(getThing, { path: "/things/b" }), core.request(getThing, { path: "/things/c" })];
    await run(clock, Promise.all([first, ...others]));
    expect(sent.map((s) => s.at - sent[0]!.at)).toEqual([0, 2000, 2000, 2000]);
    expect(events.filter((e) => e.type === "rateLimitWait")).toHaveLength(2);
  });

  it("a 429 without a declared bucket pauses every caller of the client", async () => {
    const { core, clock, sent } = scripted([answer(429, { "retry-after": "1" }), answer(200)], jitterless());
    const first = core.request(getThing, { path: "/things/a" });
    await settle();
    const second = core.request(getThing, { path: "/things/b" });
    await run(clock, Promise.all([first, second]));
    expect(sent.map((s) => s.at - sent[0]!.at)).toEqual([0, 1000, 1000]);
  });

  it("the deadline ends a queue wait: the call fails with the total timeout and its request is never sent", async () => {
    const definition = jitterless({
      rateLimits: { limitedWhen: [], buckets: { main: { rate: 1, perMs: 10_000, maxQueueWaitMs: 60_000 } } },
    });
    const { core, clock, sent } = scripted([answer(200)], definition);
    await run(clock, core.request(getThing, { path: "/things/1" }));
    const started = clock.now();
    const error = await run(clock, core.request(getThing, { path: "/things/2" }, { timeout: { totalMs: 300 } }));
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ scope: "total", outcome: "not_processed", attempts: 0 });
    expect(clock.now() - started).toBeLessThanOrEqual(310);
    expect(sent).toHaveLength(1);
  });
});

describe("timeout policy (manual clock)", () => {
  it("each attempt gets the attempt timeout, cut to what is left of the deadline", async () => {
    const { core, clock, sent } = scripted(["hang"], jitterless(), { timeout: { attemptMs: 400, totalMs: 1000 } });
    const error = await run(clock, core.request(getThing, { path: "/things/1" }));
    // 0: 400 ms; retry after 100 ms, at 500: 400 ms; retry after 200 ms, at 1100: past the deadline.
    expect(sent.map((s) => [s.at - sent[0]!.at, s.request.timeoutMs])).toEqual([
      [0, 400],
      [500, 400],
    ]);
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ outcome: "unknown", attempts: 2 });
  });

  it("a hanging attempt is aborted at the deadline with the total timeout", async () => {
    const { core, clock, sent } = scripted(["hang"], jitterless(), { timeout: { attemptMs: 60_000, totalMs: 700 } });
    const error = await run(clock, core.request(getThing, { path: "/things/1" }));
    expect(sent[0]!.request.timeoutMs).toBe(700);
    expect(error).toMatchObject({ scope: "total", outcome: "unknown", attempts: 1 });
  });
});

describe("Stop", () => {
  it("carries the error that ends the call", () => {
    const error = new Error("x");
    expect(new Stop(error).error).toBe(error);
  });
});
