import { familyAllowance } from "../../../runtime/policies/header-sync.js";
import { familySync } from "../../../runtime/policies/learned-buckets.js";
import { describe, expect, it } from "vitest";
import { isRateLimitError } from "../../../runtime/errors/errors.js";
import {
  parseReset,
  RateLimiter,
  readProviderCount,
  type BucketPolicy,
  type FamilyPolicy,
  type Permit,
} from "../../../runtime/policies/rate-limit.js";
import { MemoryRateLimitStore } from "../../../runtime/policies/rate-limit-store.js";
import { guardRateLimitStore } from "../../../runtime/policies/store-guard.js";
import { ManualClock, settle } from "../../helpers/manual-clock.js";

/** The limiter answers synchronously when it can; tests treat every answer as a promise. */
function acquire(rl: RateLimiter, buckets: readonly string[], signal: AbortSignal | undefined): Promise<Permit[]> {
  return Promise.resolve().then(() => rl.acquire(buckets, signal));
}

const REQUESTS: FamilyPolicy = { name: "requests", meaning: "window", resolutionMs: 1, perResource: false };

function limiter(buckets: Record<string, BucketPolicy>, clock = new ManualClock()) {
  const rl = new RateLimiter({
    provider: "test",
    buckets,
    store: new MemoryRateLimitStore(),
    clock,
    keyPrefix: "test",
    allowance: familyAllowance,
    familySync,
    families: [REQUESTS],
  });
  return { rl, clock };
}

/**
 * Starts `n` acquisitions and records when each is granted. With `latencyMs`, each request completes
 * (releases its permits) that long after its grant; without, it stays in flight.
 */
function startMany(
  rl: RateLimiter,
  clock: ManualClock,
  n: number,
  { buckets = ["b"], latencyMs }: { buckets?: string[]; latencyMs?: number } = {},
) {
  const granted: number[] = [];
  const permits: Permit[][] = [];
  const settled = Array.from({ length: n }, (_, i) =>
    acquire(rl, buckets, undefined).then(
      (p) => {
        granted[i] = clock.now();
        permits[i] = p;
        if (latencyMs !== undefined) clock.setTimer(latencyMs, () => p.forEach((permit) => permit.release()));
      },
      (e: unknown) => e,
    ),
  );
  return { granted, permits, settled };
}

describe("sliding-window bucket", () => {
  it("reuses a slot one window after its request completed, so no window holds more than rate arrivals", async () => {
    const { rl, clock } = limiter({ b: { rate: 10, perMs: 1000, maxQueueWaitMs: 60_000 } });
    const { granted } = startMany(rl, clock, 35, { latencyMs: 20 });
    await clock.advance(5000);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(35);
    // The provider counted each request somewhere in [grant, grant + latency]: even counting the
    // earlier one at its completion and the later at its start, rate + 1 never fit in one window.
    for (let i = 10; i < granted.length; i++) expect(granted[i]! - (granted[i - 10]! + 20)).toBeGreaterThan(1000);
    // And it uses the whole allowance: each group of 10 starts as soon as the window (and the 2 ms
    // margin for millisecond timestamps) allows.
    expect(granted.slice(0, 10).every((t) => t === granted[0])).toBe(true);
    expect(granted[10]! - granted[0]!).toBe(1022);
  });

  it("whatever the latencies and the order of completions, no window can see more than rate requests", async () => {
    // Worst case for the provider's count: a request may arrive anywhere between its start and its
    // completion. For every moment t, the requests whose [start, completion] meets (t - per, t] must be
    // at most rate.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const { rl, clock } = limiter({ b: { rate: 5, perMs: 1000, maxQueueWaitMs: 600_000 } });
    const spans: [number, number][] = [];
    const pending = Array.from({ length: 60 }, () =>
      acquire(rl, ["b"], undefined).then((permits) => {
        const start = clock.now();
        clock.setTimer(Math.floor(random() ** 3 * 4000), () => {
          spans.push([start, clock.now()]);
          permits.forEach((p) => p.release());
        });
      }),
    );
    await clock.advance(60_000);
    await Promise.all(pending);
    expect(spans).toHaveLength(60);
    for (const [t] of spans) {
      const seen = spans.filter(([start, end]) => start <= t && end > t - 1000).length;
      expect(seen).toBeLessThanOrEqual(5);
    }
  });

  it("holds a slot while its request is in flight, however long that takes", async () => {
    const { rl, clock } = limiter({ b: { rate: 2, perMs: 100, maxQueueWaitMs: 60_000 } });
    const { granted, permits } = startMany(rl, clock, 3);
    await clock.advance(5000);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(2);
    permits[0]![0]!.release();
    await clock.advance(101);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(2);
    await clock.advance(1);
    expect(granted[2]).toBe(clock.now());
  });

  it("grants in FIFO order", async () => {
    const { rl, clock } = limiter({ b: { rate: 1, perMs: 100, maxQueueWaitMs: 60_000 } });
    const order: number[] = [];
    for (let i = 0; i < 5; i++)
      void acquire(rl, ["b"], undefined).then((permits) => {
        order.push(i);
        permits.forEach((p) => p.release());
      });
    await clock.advance(2000);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("fails a request that cannot get a slot within maxQueueWait with a local RateLimitError", async () => {
    const { rl, clock } = limiter({ b: { rate: 1, perMs: 10_000, maxQueueWaitMs: 500 } });
    (await acquire(rl, ["b"], undefined)).forEach((p) => p.release());
    const error = await acquire(rl, ["b"], undefined).catch((e: unknown) => e);
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ source: "local", bucket: "b" });
    expect((error as { retryAt: number }).retryAt).toBeGreaterThan(clock.now() + 9000);
  });

  it("caps requests in flight and hands a released slot to the next in line", async () => {
    const { rl, clock } = limiter({ b: { rate: 1000, perMs: 1000, concurrency: 2, maxQueueWaitMs: 60_000 } });
    const { permits, granted } = startMany(rl, clock, 4);
    await clock.advance(10);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(2);
    permits[0]![0]!.release();
    permits[0]![0]!.release(); // releasing twice frees one slot, not two
    await clock.advance(10);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(3);
  });

  it("a cancelled waiter leaves the queue and does not hold up the next", async () => {
    const { rl, clock } = limiter({ b: { rate: 1, perMs: 1000, maxQueueWaitMs: 60_000 } });
    (await acquire(rl, ["b"], undefined)).forEach((p) => p.release());
    const controller = new AbortController();
    const cancelled = acquire(rl, ["b"], controller.signal).catch((e: unknown) => e);
    let next = false;
    void acquire(rl, ["b"], undefined).then(() => (next = true));
    controller.abort(new Error("stop"));
    expect(await cancelled).toEqual(new Error("stop"));
    await clock.advance(1100);
    expect(next).toBe(true);
  });

  it("gives back the slots of earlier buckets when a later one fails", async () => {
    const { rl } = limiter({
      a: { rate: 100, perMs: 1000, concurrency: 1, maxQueueWaitMs: 1000 },
      b: { rate: 1, perMs: 60_000, maxQueueWaitMs: 10 },
    });
    (await acquire(rl, ["b"], undefined)).forEach((p) => p.release());
    await expect(acquire(rl, ["a", "b"], undefined)).rejects.toMatchObject({ code: "rate_limited", bucket: "b" });
    // a's concurrency slot was released: it can be taken again at once.
    const permits = await acquire(rl, ["a"], undefined);
    expect(permits).toHaveLength(1);
  });
});

describe("token bucket (burst declared)", () => {
  it("allows the burst at once, then the refill rate", async () => {
    const { rl, clock } = limiter({ b: { rate: 2, perMs: 1000, burst: 40, maxQueueWaitMs: 60_000 } });
    // Each request completes as soon as it starts (a request in flight holds its units until it completes).
    const { granted } = startMany(rl, clock, 44, { latencyMs: 0 });
    await clock.advance(0);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(40);
    await clock.advance(2000);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(44);
  });
});

describe("provider count", () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);

  it.each([
    ["epoch-seconds", String(now / 1000 + 30)],
    ["epoch-ms", String(now + 30_000)],
    ["seconds", "30"],
    ["http-date", new Date(now + 30_000).toUTCString()],
  ] as const)("reads a %s reset", (format, value) => {
    expect(parseReset(value, format, now)).toBe(now + 30_000);
  });

  it("clamps a reset in the past to now and one days away to a day, and ignores garbage", () => {
    expect(parseReset(String(now / 1000 - 100), "epoch-seconds", now)).toBe(now);
    expect(parseReset("99999999999", "seconds", now)).toBe(now + 86_400_000);
    expect(parseReset("soon", "http-date", now)).toBeUndefined();
    expect(parseReset("", "seconds", now)).toBeUndefined();
  });

  it("derives remaining from limit - used when remaining is absent", () => {
    const count = readProviderCount(
      headers({ "x-limit": "5000", "x-used": "4990", "x-reset": "60" }),
      { limit: "x-limit", used: "x-used", reset: "x-reset", resetFormat: "seconds" },
      now,
    );
    expect(count).toEqual({ remaining: 10, limit: 5000, resetAt: now + 60_000, resource: undefined });
  });

  it("a synced remaining of 0 holds the bucket until the reset, then the local window resumes", async () => {
    const { rl, clock } = limiter({ b: { rate: 100, perMs: 1000, maxQueueWaitMs: 60_000 } });
    const [permit] = await acquire(rl, ["b"], undefined);
    rl.sync([permit!], { remaining: 0, resetAt: clock.now() + 5000, resource: undefined });
    permit!.release();
    let at = 0;
    const start = clock.now();
    void acquire(rl, ["b"], undefined).then(() => (at = clock.now()));
    await clock.advance(4999);
    expect(at).toBe(0);
    await clock.advance(2);
    expect(at - start).toBe(5000);
  });

  it("counts requests granted after the synced one as not yet seen by the provider", async () => {
    const { rl, clock } = limiter({ b: { rate: 1000, perMs: 1000, maxQueueWaitMs: 60_000 } });
    const [first] = await acquire(rl, ["b"], undefined);
    for (let i = 0; i < 3; i++) await acquire(rl, ["b"], undefined);
    // The provider saw only `first`: 5 remaining then, but 3 more are already on their way.
    rl.sync([first!], { remaining: 5, resetAt: clock.now() + 60_000, resource: undefined });
    const { granted } = startMany(rl, clock, 4);
    await clock.advance(10);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(2);
  });

  it("an older answer does not overwrite a newer count of the same window", async () => {
    const { rl, clock } = limiter({ b: { rate: 1000, perMs: 1000, maxQueueWaitMs: 60_000 } });
    const [older] = await acquire(rl, ["b"], undefined);
    const [newer] = await acquire(rl, ["b"], undefined);
    const resetAt = clock.now() + 60_000;
    rl.sync([newer!], { remaining: 0, resetAt, resource: undefined });
    rl.sync([older!], { remaining: 50, resetAt, resource: undefined });
    const { granted } = startMany(rl, clock, 1);
    await clock.advance(10);
    expect(granted.filter((t) => t !== undefined)).toHaveLength(0);
  });

  it("syncs only the bucket that mirrors the resource the provider names", async () => {
    const { rl, clock } = limiter({
      core: { rate: 1000, perMs: 1000, maxQueueWaitMs: 60_000, resource: "core" },
      writes: { rate: 1000, perMs: 1000, maxQueueWaitMs: 60_000 },
    });
    const permits = await acquire(rl, ["core", "writes"], undefined);
    rl.sync(permits, { remaining: 0, resetAt: clock.now() + 60_000, resource: "core" });
    let writes = false;
    let core = false;
    void acquire(rl, ["writes"], undefined).then(() => (writes = true));
    void acquire(rl, ["core"], undefined).then(() => (core = true));
    await settle();
    await clock.advance(10);
    expect({ writes, core }).toEqual({ writes: true, core: false });
  });
});

describe("RateLimiter on an asynchronous (shared) store", () => {
  it("a burst of 50 acquisitions makes one store round trip at a time per path, not 50 at once (issue 18), and grants each once", async () => {
    const inner = new MemoryRateLimitStore();
    let inFlight = 0;
    let most = 0;
    const store = {
      take: async (key: string, limits: BucketPolicy, now: number) => {
        most = Math.max(most, ++inFlight);
        await Promise.resolve();
        inFlight--;
        return inner.take(key, limits, now);
      },
      complete: async (...args: Parameters<MemoryRateLimitStore["complete"]>) => inner.complete(...args),
      sync: async (...args: Parameters<MemoryRateLimitStore["sync"]>) => inner.sync(...args),
      pause: async (...args: Parameters<MemoryRateLimitStore["pause"]>) => inner.pause(...args),
    };
    const clock = new ManualClock();
    const rl = new RateLimiter({
      provider: "test",
      buckets: { b: { rate: 100, perMs: 1000, maxQueueWaitMs: 10_000 } },
      store: guardRateLimitStore(store),
      clock,
      keyPrefix: "test",
    });
    const permits = await Promise.all(Array.from({ length: 50 }, () => acquire(rl, ["b"], undefined)));
    expect(permits.flat()).toHaveLength(50);
    // The fast path's take and the queue's drain: at most two at once.
    expect(most).toBeLessThanOrEqual(2);
  });
});
