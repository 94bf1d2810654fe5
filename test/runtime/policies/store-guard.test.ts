import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleApp } from "../../../bench/lib/app-bundle.js";
import { isConfigurationError, isStoreUnavailableError } from "../../../runtime/errors/errors.js";
import { RateLimiter, type Permit } from "../../../runtime/policies/rate-limit.js";
import {
  MemoryRateLimitStore,
  type BucketLimits,
  type LimiterStore,
  type RateLimitStore,
  type RateLimitStoreFailure,
} from "../../../runtime/policies/rate-limit-store.js";
import { GuardedStore, guardRateLimitStore, type StoreHealthEvent } from "../../../runtime/policies/store-guard.js";
import { RedisRateLimitStore } from "../../../runtime/redis/rate-limit-store.js";
import type { RedisClientLike } from "../../../runtime/redis/script.js";
import { SqliteRateLimitStore } from "../../../runtime/stores/sqlite-rate-limit-store.js";
import { ManualClock } from "../../helpers/manual-clock.js";

/** A shared store that works until `broken` says how it fails: reject, throw, or hang. */
class FlakyStore implements RateLimitStore {
  readonly #inner = new MemoryRateLimitStore();
  broken: "reject" | "throw" | "hang" | undefined;
  constructor(readonly onFailure?: RateLimitStoreFailure) {}

  #fail<T>(work: () => T): T | Promise<T> {
    if (this.broken === "throw") throw new Error("connection lost: redis://:hunter2@cache:6379");
    if (this.broken === "reject")
      return Promise.reject(Object.assign(new Error("ECONNRESET redis://:hunter2@cache"), { code: "ECONNRESET" }));
    if (this.broken === "hang") return new Promise<T>(() => undefined);
    return Promise.resolve(work());
  }
  take(key: string, limits: BucketLimits, now: number, cost?: number) {
    return this.#fail(() => this.#inner.take(key, limits, now, cost));
  }
  complete(key: string, limits: BucketLimits, startedAt: number, now: number, cost?: number) {
    return this.#fail(() => this.#inner.complete(key, limits, startedAt, now, cost));
  }
  sync(key: string, remaining: number, resetAt: number, now: number) {
    return this.#fail(() => this.#inner.sync(key, remaining, resetAt, now));
  }
  pause(key: string, until: number) {
    return this.#fail(() => this.#inner.pause(key, until));
  }
}

function setup(store: FlakyStore) {
  const clock = new ManualClock();
  const events: StoreHealthEvent[] = [];
  const rl = new RateLimiter({
    provider: "acme",
    buckets: { b: { rate: 10, perMs: 1000, burst: 10, maxQueueWaitMs: 60_000 } },
    store: guardRateLimitStore(store),
    clock,
    keyPrefix: "acme",
    onStoreEvent: (event) => events.push(event),
  });
  const take = (): Promise<Permit[]> => Promise.resolve().then(() => rl.acquire(["b"], undefined));
  return { clock, events, rl, take };
}

describe("rate-limit store faults are contained (issue 14)", () => {
  it("a store whose sync and pause reject crashes nothing; the failure is reported once, by code only", async () => {
    const store = new FlakyStore();
    const { rl, events, take, clock } = setup(store);
    const permits = await take();
    store.broken = "reject";
    rl.sync(permits, { remaining: 5, resetAt: clock.now() + 1000, resource: undefined });
    rl.pause(permits, clock.now() + 10, undefined);
    permits.forEach((permit) => permit.release());
    await clock.advance(10);
    expect(events).toEqual([{ type: "storeFailure", store: "rateLimit", error: "ECONNRESET" }]);
    expect(JSON.stringify(events)).not.toContain("hunter2");
  });

  it("fails open on a local share of the rate while the store rejects, then reports its recovery", async () => {
    const store = new FlakyStore({ mode: "open", share: 0.5 });
    const { events, take, clock } = setup(store);
    store.broken = "reject";
    // Burst 10 at share 0.5: five slots at once, the sixth waits for the local refill; the local share
    // starts one window (1 s) after the store failed (other processes may have spent the window before).
    const granted: number[] = [];
    for (let i = 0; i < 6; i++)
      void take().then((permits) => {
        granted.push(i);
        permits.forEach((permit) => permit.release());
      });
    await clock.advance(999);
    expect(granted).toHaveLength(0);
    await clock.advance(1);
    expect(granted).toHaveLength(5);
    await clock.advance(200);
    expect(granted).toHaveLength(6);
    store.broken = undefined;
    await clock.advance(1000);
    await take();
    expect(events.map((e) => e.type)).toEqual(["storeFailure", "storeRecovered"]);
  });

  it("fails closed with StoreUnavailableError when the store declares so, for a store that throws synchronously", async () => {
    const store = new FlakyStore({ mode: "closed" });
    const { take } = setup(store);
    store.broken = "throw";
    const error = await take().catch((e: unknown) => e);
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ code: "store_unavailable", store: "rateLimit" });
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("a store that hangs is given up on after its time limit and the call is granted locally", async () => {
    const store = new FlakyStore();
    const { events, take, clock } = setup(store);
    store.broken = "hang";
    let granted = false;
    void take().then(() => (granted = true));
    await clock.advance(999);
    expect(granted).toBe(false);
    await clock.advance(1);
    expect(granted).toBe(true);
    expect(events).toEqual([{ type: "storeFailure", store: "rateLimit", error: "STORE_TIMEOUT" }]);
  });
});

describe("a shared rate-limit store carries its guard", () => {
  const limiter = (store: LimiterStore, events: StoreHealthEvent[] = [], clock = new ManualClock()) =>
    new RateLimiter({
      provider: "acme",
      buckets: { b: { rate: 10, perMs: 1000, burst: 10, maxQueueWaitMs: 60_000 } },
      store,
      clock,
      keyPrefix: "acme",
      onStoreEvent: (event) => events.push(event),
    });

  it("a limiter refuses a store that is neither MemoryRateLimitStore nor shared (one it could not guard) with ConfigurationError", () => {
    const raw = new FlakyStore() as unknown as LimiterStore;
    let error: unknown;
    try {
      limiter(raw);
    } catch (e) {
      error = e;
    }
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ code: "configuration", message: expect.stringContaining("guardRateLimitStore()") });
    expect(() => limiter(guardRateLimitStore(new FlakyStore())).close(new Error("closed"))).not.toThrow();
  });

  it("SqliteRateLimitStore comes guarded: a store whose file is closed fails open on a local share and is reported", async () => {
    const directory = mkdtempSync(join(tmpdir(), "switchboard-guard-"));
    const store = new SqliteRateLimitStore({ path: join(directory, "budget.db") });
    store.close(); // every call now throws synchronously
    const events: StoreHealthEvent[] = [];
    const clock = new ManualClock();
    const rl = limiter(store, events, clock);
    let granted = false;
    void Promise.resolve(rl.acquire(["b"], undefined)).then(() => (granted = true));
    await clock.advance(1000);
    expect(granted).toBe(true);
    expect(events).toEqual([{ type: "storeFailure", store: "rateLimit", error: expect.any(String) }]);
    rmSync(directory, { recursive: true, force: true });
  });

  it("RedisRateLimitStore comes guarded", () => {
    const store = new RedisRateLimitStore({ client: {} as RedisClientLike });
    expect(store.guarded(new ManualClock(), () => {})).toBeInstanceOf(GuardedStore);
  });

  it("an app on the built-in store bundles no store guard; one that hands over its own store does", async () => {
    const files = async (entry: string) => (await bundleApp(entry)).inputs.map((input: { file: string }) => input.file);
    expect(await files("bench/fixtures/size/stripe-one-call.ts")).not.toContain("runtime/policies/store-guard.ts");
    expect(await files("test/fixtures/size/stripe-own-store.ts")).toContain("runtime/policies/store-guard.ts");
  });
});
