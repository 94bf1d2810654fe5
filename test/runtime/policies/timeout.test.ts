import { describe, expect, it } from "vitest";
import { isTimeoutError } from "../../../runtime/errors/errors.js";
import { Deadline } from "../../../runtime/policies/timeout.js";
import { MemoryRateLimitStore } from "../../../runtime/policies/rate-limit-store.js";
import { RateLimiter } from "../../../runtime/policies/rate-limit.js";
import { ManualClock } from "../../helpers/manual-clock.js";

const never = new Promise<string>(() => undefined);

describe("Deadline", () => {
  it("bound rejects with the total timeout when the deadline passes first", async () => {
    const clock = new ManualClock();
    const deadline = new Deadline("acme", 200, undefined, clock);
    const bounded = deadline.bound(never).catch((e: unknown) => e);
    await clock.advance(199);
    let settled = false;
    void bounded.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    const error = await bounded;
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ code: "timeout", scope: "total", timeoutMs: 200 });
  });

  it("bound rejects with the caller's abort reason, and passes a result that comes in time", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const deadline = new Deadline("acme", 1000, controller.signal, clock);
    await expect(deadline.bound(Promise.resolve("token"))).resolves.toBe("token");
    const bounded = deadline.bound(never).catch((e: unknown) => e);
    controller.abort(new Error("user left"));
    expect(await bounded).toEqual(new Error("user left"));
  });

  it("abortSignal aborts with the total timeout on the injected clock, and dispose stops it", async () => {
    const clock = new ManualClock();
    const deadline = new Deadline("acme", 300, undefined, clock);
    const signal = deadline.abortSignal;
    await clock.advance(299);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect(isTimeoutError(signal.reason)).toBe(true);

    const other = new Deadline("acme", 300, undefined, clock);
    const otherSignal = other.abortSignal;
    other.dispose();
    await clock.advance(1000);
    expect(otherSignal.aborted).toBe(false);
  });

  it("check throws the total timeout once the deadline has passed", () => {
    const clock = new ManualClock();
    const deadline = new Deadline("acme", 50, undefined, clock);
    expect(() => deadline.check(clock.now() + 49)).not.toThrow();
    expect(() => deadline.check(clock.now() + 50)).toThrow(expect.objectContaining({ code: "timeout", scope: "total" }));
  });
});

describe("rate-limit queue waits end at the call's deadline", () => {
  function limiter(clock: ManualClock) {
    return new RateLimiter({
      provider: "acme",
      buckets: { b: { rate: 1, perMs: 60_000, maxQueueWaitMs: 120_000 } },
      store: new MemoryRateLimitStore(),
      clock,
      keyPrefix: "acme",
    });
  }

  it("a queued call fails with the total timeout at its deadline, not at the bucket's maximum wait (issue 14)", async () => {
    const clock = new ManualClock();
    const rl = limiter(clock);
    const first = rl.acquire(["b"], undefined);
    expect(Array.isArray(first)).toBe(true);
    // The next slot frees only when the first request completes: the wait has no known end.
    const deadline = new Deadline("acme", 200, undefined, clock);
    const queued = Promise.resolve(rl.acquire(["b"], undefined, deadline)).catch((e: unknown) => e);
    await clock.advance(199);
    let settled = false;
    void queued.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await queued).toMatchObject({ code: "timeout", scope: "total", timeoutMs: 200 });
  });

  it("a wait known to end past the deadline fails at once with the total timeout", async () => {
    const clock = new ManualClock();
    const rl = limiter(clock);
    const first = rl.acquire(["b"], undefined) as { release(): void }[];
    first.forEach((permit) => permit.release());
    // The window holds the slot for a minute after the release: a known wait, longer than the deadline.
    const deadline = new Deadline("acme", 200, undefined, clock);
    expect(() => rl.acquire(["b"], undefined, deadline)).toThrow(expect.objectContaining({ code: "timeout", scope: "total" }));
  });

  it("a wait that fits the deadline is granted", async () => {
    const clock = new ManualClock();
    const rl = new RateLimiter({
      provider: "acme",
      buckets: { b: { rate: 10, perMs: 1000, burst: 1, maxQueueWaitMs: 5000 } },
      store: new MemoryRateLimitStore(),
      clock,
      keyPrefix: "acme",
    });
    (rl.acquire(["b"], undefined) as { release(): void }[]).forEach((permit) => permit.release());
    const deadline = new Deadline("acme", 200, undefined, clock);
    const queued = Promise.resolve(rl.acquire(["b"], undefined, deadline));
    await clock.advance(100);
    await expect(queued).resolves.toHaveLength(1);
  });
});
