import { familyAllowance } from "../../../runtime/policies/header-sync.js";
import { familySync } from "../../../runtime/policies/learned-buckets.js";
/**
 * Header sync that never over-grants (issue 14, item 2), on an injected clock: a scripted provider with
 * a strict window on its own phase counts requests in the order they *arrive*, which is not the order
 * they were granted (random latencies both ways), and answers with its count in the declared format.
 */
import { describe, expect, it } from "vitest";
import type { RateLimitResetFormat, RateLimitResetMeaning } from "../../../runtime/definition.js";
import {
  parseGoDuration,
  parseReset,
  RateLimiter,
  type BucketPolicy,
  type FamilyPolicy,
  type RateLimiterOptions,
} from "../../../runtime/policies/rate-limit.js";
import {
  rateLimitFamilies,
  readAnswerCosts,
  readCosts,
  readProviderCounts,
  readsAnswerCosts,
} from "../../../runtime/policies/rate-limit-headers.js";
import { MemoryRateLimitStore } from "../../../runtime/policies/rate-limit-store.js";
import { formatReset } from "../../../testing/rate-limit.js";
import { ManualClock, settle } from "../../helpers/manual-clock.js";

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  readonly limit: number;
  readonly windowMs: number;
  /** The provider's window boundaries sit at phase + k * windowMs (not epoch-aligned). */
  readonly phaseMs: number;
  readonly format: RateLimitResetFormat;
  readonly meaning?: RateLimitResetMeaning;
  readonly buckets: Record<string, BucketPolicy>;
  readonly callers: number;
  readonly calls: number;
  readonly seed: number;
  readonly maxLatencyMs: number;
}

/** Runs `calls` requests from `callers` concurrent callers; returns what the provider saw. */
async function run(s: Scenario) {
  const clock = new ManualClock(1_700_000_000_000);
  const family: FamilyPolicy = {
    name: "requests",
    meaning: s.meaning ?? "window",
    resolutionMs: s.format === "epoch-seconds" || s.format === "http-date" ? 1000 : 1,
    perResource: false,
  };
  const rl = new RateLimiter({
    provider: "sim",
    buckets: s.buckets,
    store: new MemoryRateLimitStore(),
    clock,
    keyPrefix: "sim",
    allowance: familyAllowance,
    familySync,
    families: [family],
    learnedQueueWaitMs: 600_000,
  });
  const rand = random(s.seed);
  const counts = new Map<number, number>();
  let accepted = 0;
  let limited = 0;
  let failedLocally = 0;
  let first = Infinity;
  let last = 0;
  const serve = (at: number) => {
    const window = Math.floor((at - s.phaseMs) / s.windowMs);
    const used = counts.get(window) ?? 0;
    const resetAt = s.phaseMs + (window + 1) * s.windowMs;
    if (used >= s.limit) return { ok: false, remaining: 0, resetAt };
    counts.set(window, used + 1);
    return { ok: true, remaining: s.limit - used - 1, resetAt };
  };
  let next = 0;
  const caller = async (): Promise<void> => {
    while (next < s.calls) {
      next += 1;
      let permits;
      try {
        const granted = rl.acquire(Object.keys(s.buckets), undefined);
        permits = granted instanceof Promise ? await granted : granted;
      } catch {
        failedLocally += 1;
        continue;
      }
      await clock.sleep(Math.floor(rand() * s.maxLatencyMs));
      const arrived = clock.now();
      const answer = serve(arrived);
      await clock.sleep(Math.floor(rand() * s.maxLatencyMs));
      const now = clock.now();
      const reset = formatReset(s.format, answer.resetAt, arrived);
      // A delta is written at the provider (arrival) and read at the client (now): never earlier than the truth.
      const resetAt = parseReset(reset, s.format, s.format === "seconds" || s.format === "duration" ? now : arrived)!;
      rl.sync(permits, { remaining: answer.remaining, limit: s.limit, resetAt, resource: undefined }, "op");
      if (answer.ok) {
        accepted += 1;
        first = Math.min(first, arrived);
        last = Math.max(last, arrived);
      } else {
        limited += 1;
        rl.pause(permits, resetAt, undefined);
      }
      for (const permit of permits) permit.release();
    }
  };
  const done = Promise.all(Array.from({ length: s.callers }, caller));
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) await clock.advance(50);
  const allowed = (s.limit * (last - first + s.windowMs)) / s.windowMs;
  return { accepted, limited, failedLocally, utilization: accepted / allowed, rl };
}

const base = { limit: 50, windowMs: 1000, phaseMs: 337, callers: 32, calls: 1000, maxLatencyMs: 12 } as const;

describe("header sync on a strict window at the provider's own phase", () => {
  it.each(["epoch-seconds", "epoch-ms", "seconds", "http-date", "rfc3339", "duration"] as const)(
    "a declared bucket with %s resets: requests overtaking each other never make it send past the provider's count",
    async (format) => {
      for (const seed of [1, 2, 3]) {
        const result = await run({ ...base, format, seed, buckets: { b: { rate: 50, perMs: 1000, maxQueueWaitMs: 600_000 } } });
        expect({ seed, limited: result.limited, failedLocally: result.failedLocally }).toEqual({ seed, limited: 0, failedLocally: 0 });
        expect(result.accepted).toBe(1000);
      }
    },
  );

  it("the same without a declared bucket (learned from the headers): no 429 once the first answer is in", async () => {
    for (const format of ["epoch-ms", "seconds", "epoch-seconds"] as const) {
      for (const seed of [4, 5, 6]) {
        const result = await run({ ...base, format, seed, buckets: {} });
        expect({ format, seed, limited: result.limited, failedLocally: result.failedLocally }).toEqual({
          format,
          seed,
          limited: 0,
          failedLocally: 0,
        });
        // The provider's limit header became the learned bucket's size.
        expect(result.rl.providerLimit("~requests")).toBe(50);
      }
    }
  });

  it("a declared bucket larger than the provider's limit is held to the limit header", async () => {
    const result = await run({ ...base, format: "epoch-ms", seed: 7, buckets: { b: { rate: 500, perMs: 1000, maxQueueWaitMs: 600_000 } } });
    expect(result.limited).toBe(0);
    expect(result.rl.providerLimit("b")).toBe(50);
  });

  it("a refill-to-full bucket (reset = full again) paces by the refill rate it derives from the counts", async () => {
    // The provider refills continuously: the answer's reset says when the bucket is full again.
    const result = await run({ ...base, format: "epoch-ms", meaning: "refill", seed: 8, buckets: {} });
    expect(result.failedLocally).toBe(0);
  });
});

describe("counts from out-of-order answers", () => {
  // A declared bucket far larger than the provider's limit: the counts alone hold it (a learned one
  // would send one request first and wait for its answer).
  const limiter = (clock: ManualClock) =>
    new RateLimiter({
      provider: "t",
      buckets: { b: { rate: 1000, perMs: 1000, maxQueueWaitMs: 120_000 } },
      store: new MemoryRateLimitStore(),
      clock,
      keyPrefix: "t",
      allowance: familyAllowance,
      familySync,
      families: [{ name: "requests", meaning: "window", resolutionMs: 1, perResource: false }],
      learnedQueueWaitMs: 120_000,
    });
  const grant = (rl: RateLimiter) => {
    const granted = rl.acquire(["b"], undefined);
    if (granted instanceof Promise) throw new Error("expected an immediate grant");
    return granted;
  };

  it("a request granted later but answered first does not free the slots of those still in flight", async () => {
    const clock = new ManualClock();
    const rl = limiter(clock);
    const early = grant(rl);
    const others = Array.from({ length: 3 }, () => grant(rl));
    const late = grant(rl);
    // The provider saw `late` first: 5 left of 10 is its count, but 4 more of ours are on their way.
    rl.sync(late, { remaining: 5, limit: 10, resetAt: clock.now() + 60_000, resource: undefined });
    late.forEach((p) => p.release());
    // 5 left, less the 4 still in flight: one more may go, the next waits.
    const granted: number[] = [];
    for (let i = 0; i < 3; i++) void Promise.resolve(rl.acquire(["b"], undefined)).then((p) => granted.push(p.length));
    await settle();
    expect(granted).toHaveLength(1);
    // `early`'s answer says 9: the provider counted it before `late`, so it is already in the 5.
    rl.sync(early, { remaining: 9, limit: 10, resetAt: clock.now() + 60_000, resource: undefined });
    early.forEach((p) => p.release());
    await settle();
    expect(granted).toHaveLength(2);
    // Whereas an answer with a lower count is newer: 1 left, and 4 of ours are in flight besides it.
    rl.sync(others[0]!, { remaining: 1, limit: 10, resetAt: clock.now() + 60_000, resource: undefined });
    others[0]!.forEach((p) => p.release());
    await clock.advance(59_000);
    expect(granted).toHaveLength(2);
    // The window resets: the limit again (10), less the 4 still in flight.
    await clock.advance(1001);
    expect(granted).toHaveLength(3);
    rl.close(new Error("done"));
  });

  const CORE = { rate: 5000, perMs: 3_600_000, maxQueueWaitMs: 1000, resource: "core" };
  /** A limiter whose one header family names the resource of each count (GitHub's x-ratelimit-resource). */
  const perResourceLimiter = (clock: ManualClock, buckets: RateLimiterOptions["buckets"]): RateLimiter =>
    new RateLimiter({
      provider: "gh",
      buckets,
      store: new MemoryRateLimitStore(),
      clock,
      keyPrefix: "gh",
      allowance: familyAllowance,
      familySync,
      families: [{ name: "requests", meaning: "window", resolutionMs: 1000, perResource: true }],
    });

  it("learns one bucket per resource the provider names, and an operation takes its resource's", async () => {
    const clock = new ManualClock();
    const rl = perResourceLimiter(clock, { core: CORE });
    const first = rl.acquire([], undefined) as never[];
    expect(first).toHaveLength(0); // the operation's resource is not known yet
    rl.sync(first, { remaining: 0, limit: 2000, resetAt: clock.now() + 20_000, resource: "graphql" }, "graphql.query");
    // The answer taught that graphql.query counts against "graphql"; its learned bucket is at 0 until the reset.
    const second = rl.acquire([], undefined, undefined, { operation: "graphql.query" });
    expect(second).toBeInstanceOf(Promise);
    let granted = false;
    void (second as Promise<unknown>).then(() => (granted = true));
    await clock.advance(19_999);
    expect(granted).toBe(false);
    await clock.advance(2);
    expect(granted).toBe(true);
    // Another operation (no resource learned) is not held by it.
    expect(rl.acquire([], undefined, undefined, { operation: "repos.get" })).toEqual([]);
    rl.close(new Error("done"));
  });
  it("learns a bucket for a named resource even when a declared bucket of the family names no resource", async () => {
    const clock = new ManualClock();
    // As GitHub's spec: the primary bucket of resource core, and write limits that name no resource.
    const rl = perResourceLimiter(clock, { core: CORE, writes: { rate: 80, perMs: 60_000, maxQueueWaitMs: 1000 } });
    const first = rl.acquire([], undefined) as never[];
    rl.sync(first, { remaining: 0, limit: 2000, resetAt: clock.now() + 20_000, resource: "graphql" }, "graphql.query");
    expect(rl.providerLimit("~requests:graphql")).toBe(2000);
    const second = rl.acquire([], undefined, undefined, { operation: "graphql.query" });
    expect(second).toBeInstanceOf(Promise);
    let granted = false;
    void (second as Promise<unknown>).then(() => (granted = true));
    await clock.advance(20_001);
    expect(granted).toBe(true);
    rl.close(new Error("done"));
  });
});

describe("reset formats and costs", () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);

  it.each([
    ["6m0s", 360_000],
    ["1s", 1000],
    ["20ms", 20],
    ["1.5s", 1500],
    ["1h2m3s", 3_723_000],
    ["0", 0],
  ])("reads the duration %s", (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
    expect(parseReset(text, "duration", now)).toBe(now + ms);
  });

  it("reads RFC 3339 resets with an offset and rejects text that is not RFC 3339", () => {
    expect(parseReset("2026-12-03T12:00:30Z", "rfc3339", now)).toBe(now + 30_000);
    expect(parseReset("2026-12-03T13:00:30.500+01:00", "rfc3339", now)).toBe(now + 30_500);
    expect(parseReset("2026-12-03", "rfc3339", now)).toBeUndefined();
    expect(parseReset("6 minutes", "duration", now)).toBeUndefined();
  });

  it("reads every family's count and each weighted family's cost from the request body", () => {
    const families = rateLimitFamilies({
      limitedWhen: [],
      buckets: {},
      headers: { limit: "x-limit-requests", remaining: "x-remaining-requests", reset: "x-reset-requests", resetFormat: "duration" },
      families: [
        {
          name: "tokens",
          limit: "x-limit-tokens",
          remaining: "x-remaining-tokens",
          reset: "x-reset-tokens",
          resetFormat: "duration",
          resetMeaning: "refill",
          cost: { request: ["max_tokens"], default: 1000 },
        },
      ],
    });
    const values: Record<string, string> = {
      "x-limit-requests": "500",
      "x-remaining-requests": "499",
      "x-reset-requests": "120ms",
      "x-limit-tokens": "30000",
      "x-remaining-tokens": "29000",
      "x-reset-tokens": "2s",
    };
    const counts = readProviderCounts(families, { get: (name) => values[name] ?? null }, now);
    expect(counts).toEqual([
      { family: "requests", remaining: 499, limit: 500, resetAt: now + 120, resource: undefined },
      { family: "tokens", remaining: 29000, limit: 30000, resetAt: now + 2000, resource: undefined },
    ]);
    expect(readCosts(families, { max_tokens: 256 })).toEqual({ tokens: 256 });
    expect(readCosts(families, { prompt: "hi" })).toEqual({ tokens: 1000 });
    expect(families.map((f) => f.policy.meaning)).toEqual(["window", "refill"]);
  });

  it("reads what a request actually cost from the answer: a header first, else the JSON body; an unreadable one is left out", () => {
    const families = rateLimitFamilies({
      limitedWhen: [],
      buckets: {},
      families: [
        {
          name: "points",
          resetFormat: "duration",
          cost: { answer: ["extensions", "cost", "actualQueryCost"], answerHeader: "x-query-cost", default: 100 },
        },
      ],
    });
    expect(readsAnswerCosts(families)).toBe(true);
    const none = { get: () => null };
    const body = JSON.stringify({ extensions: { cost: { actualQueryCost: 12 } } });
    expect(readAnswerCosts(families, none, body)).toEqual({ points: 12 });
    expect(readAnswerCosts(families, { get: (name) => (name === "x-query-cost" ? "7" : null) }, body)).toEqual({ points: 7 });
    expect(readAnswerCosts(families, none, "not json")).toBeUndefined();
    expect(readAnswerCosts(families, none, JSON.stringify({ extensions: { cost: { actualQueryCost: "12" } } }))).toBeUndefined();
    expect(readsAnswerCosts(rateLimitFamilies({ limitedWhen: [], buckets: {} }))).toBe(false);
  });

  it("reads a refilling bucket's state from the JSON answer body when the headers give no count", () => {
    const status = ["extensions", "cost", "throttleStatus"];
    const families = rateLimitFamilies({
      limitedWhen: [],
      buckets: {},
      families: [
        {
          name: "points",
          remaining: "x-points-remaining",
          reset: "x-points-reset",
          resetFormat: "epoch-ms",
          body: {
            limit: [...status, "maximumAvailable"],
            remaining: [...status, "currentlyAvailable"],
            refillPerSecond: [...status, "restoreRate"],
          },
        },
      ],
    });
    expect(families[0]!.policy.meaning).toBe("refill");
    const none = { get: () => null };
    const now = 1_700_000_000_000;
    const answer = (throttleStatus: unknown) => JSON.stringify({ data: {}, extensions: { cost: { throttleStatus } } });
    // 250 short of full at 50 a second: full again in 5 s.
    expect(readProviderCounts(families, none, now, answer({ maximumAvailable: 1000, currentlyAvailable: 750, restoreRate: 50 }))).toEqual([
      { remaining: 750, limit: 1000, resetAt: now + 5000, resource: undefined, family: "points" },
    ]);
    // The headers' count comes first.
    const headers = { get: (name: string) => (name === "x-points-remaining" ? "3" : name === "x-points-reset" ? String(now + 100) : null) };
    expect(
      readProviderCounts(families, headers, now, answer({ maximumAvailable: 1000, currentlyAvailable: 750, restoreRate: 50 })),
    ).toMatchObject([{ remaining: 3, resetAt: now + 100 }]);
    // What cannot be read gives no count: not JSON, a missing field, text for a number, no refill.
    for (const body of [
      "not json",
      answer({ maximumAvailable: 1000, restoreRate: 50 }),
      answer({ maximumAvailable: 1000, currentlyAvailable: "750", restoreRate: 50 }),
      answer({ maximumAvailable: 1000, currentlyAvailable: 750, restoreRate: 0 }),
    ])
      expect(readProviderCounts(families, none, now, body), body).toEqual([]);
    expect(readProviderCounts(families, none, now)).toEqual([]);
  });
});

describe("a weighted refilling bucket (issue 14: refill-to-full resets, costs per request)", () => {
  /**
   * The provider's token bucket refills continuously and is full again at its reset (written as a
   * duration, rounded up; remaining rounded down); each request costs its own number of tokens, charged
   * on arrival. Latencies are random both ways, so requests arrive bunched and out of order.
   */
  async function refilling(buckets: Record<string, BucketPolicy>, seed: number) {
    const clock = new ManualClock(1_700_000_000_000);
    const capacity = 1000;
    const perMs = 2;
    const rl = new RateLimiter({
      provider: "sim",
      buckets,
      store: new MemoryRateLimitStore(),
      clock,
      keyPrefix: "sim",
      families: [{ name: "tokens", meaning: "refill", resolutionMs: 1, perResource: false }],
      allowance: familyAllowance,
      familySync,
      learnedQueueWaitMs: 600_000,
    });
    const rand = random(seed);
    let tokens = capacity;
    let at = clock.now();
    let limited = 0;
    let failedLocally = 0;
    let next = 0;
    const caller = async (): Promise<void> => {
      while (next < 300) {
        next += 1;
        const cost = 20 + Math.floor(rand() * 100);
        let permits;
        try {
          const granted = rl.acquire(Object.keys(buckets), undefined, undefined, { costs: { tokens: cost } });
          permits = granted instanceof Promise ? await granted : granted;
        } catch {
          failedLocally += 1;
          continue;
        }
        await clock.sleep(Math.floor(rand() * 40));
        const now = clock.now();
        tokens = Math.min(capacity, tokens + (now - at) * perMs);
        at = now;
        if (tokens >= cost) tokens -= cost;
        else limited += 1;
        const reset = `${Math.ceil((capacity - tokens) / perMs)}ms`;
        const remaining = Math.floor(tokens);
        await clock.sleep(Math.floor(rand() * 40));
        const resetAt = parseReset(reset, "duration", clock.now())!;
        rl.sync(permits, { family: "tokens", remaining, limit: capacity, resetAt, resource: undefined }, "op");
        for (const permit of permits) permit.release();
      }
    };
    const done = Promise.all(Array.from({ length: 16 }, caller));
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) await clock.advance(10);
    rl.close(new Error("done"));
    return { limited, failedLocally };
  }

  it.each([1, 2, 3])("declared (seed %i): no request reaches the provider without the tokens it costs", async (seed) => {
    const declared = { t: { rate: 2000, perMs: 1000, burst: 1000, family: "tokens", maxQueueWaitMs: 600_000 } };
    expect(await refilling(declared, seed)).toEqual({ limited: 0, failedLocally: 0 });
  });

  it.each([4, 5, 6])("learned from the headers alone (seed %i): the same, the first request going alone", async (seed) => {
    expect(await refilling({}, seed)).toEqual({ limited: 0, failedLocally: 0 });
  });
});
