/**
 * Issue 18, "Done means" (fault tests): Redis stopped, stalled and restarted under the Redis stores
 * -> each store's declared behaviour (rate limits fail open to a local share of the budget or fail
 * closed with StoreUnavailableError; tokens fail closed; dedup answers a retryable 503), no call
 * waits past the store's timeout, no unhandled rejection, and recovery once Redis is back.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { coreFor } from "../../helpers/client-core.js";
import type { ClientEvent } from "../../../runtime/client/events.js";
import { RedisDedupStore } from "../../../runtime/redis/dedup-store.js";
import { RedisRateLimitStore } from "../../../runtime/redis/rate-limit-store.js";
import { RedisTokenStore } from "../../../runtime/redis/token-store.js";
import { isStoreUnavailableError } from "../../../runtime/errors/errors.js";
import type { StoreHealthEvent } from "../../../runtime/stores/store-failure.js";
import { createWebhookHandler } from "../../../runtime/webhooks/handler.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

let redis: RedisServer;
let client: Redis;
let api: LoopbackServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  [redis, api] = await Promise.all([startRedisServer(), startLoopbackServer()]);
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await Promise.all([redis?.stop(), api?.close()]);
});
beforeEach(async () => {
  await redis.start(); // again, when a test stopped it
  // As docs/distributed.md advises: no offline queue, so a command issued during an outage fails at
  // once instead of running late, after the store has given up on it.
  client = new Redis({ port: redis.port, host: "127.0.0.1", retryStrategy: () => 20, enableOfflineQueue: false });
  client.on("error", () => undefined); // reported through the stores' events instead
  await new Promise((resolve) => client.once("ready", resolve));
});
afterEach(async () => {
  redis.thaw();
  client.disconnect();
  expect(unhandled).toEqual([]);
});

const LIMITS = { rate: 8, perMs: 60_000 };

/** Calls `attempt` until it stops failing (Redis reconnecting), at most 200 times. */
async function untilRecovered(attempt: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await attempt();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw new Error("Redis never came back");
}

describe("RedisRateLimitStore", () => {
  it("fails open to 1/failOpenShare of the budget while Redis is stopped, and uses Redis again once it is back", async () => {
    const events: StoreHealthEvent[] = [];
    const store = new RedisRateLimitStore({ client, failOpenShare: 4, retryAfterMs: 0, timeoutMs: 200, onEvent: (e) => events.push(e) });
    expect(await store.take("acme:global", LIMITS, Date.now())).toBe(0);
    await redis.stop();
    // The fleet may have spent the minute just before: the local share starts a minute later...
    const failedAt = Date.now();
    expect(await store.take("acme:global", LIMITS, failedAt)).toBe(60_000);
    // ...then 8 per minute shared by 4 processes: this one goes on alone at 2 per minute.
    const now = failedAt + 60_000;
    expect(await store.take("acme:global", LIMITS, now)).toBe(0);
    expect(await store.take("acme:global", LIMITS, now)).toBe(0);
    expect(await store.take("acme:global", LIMITS, now)).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ type: "storeUnavailable", store: "redis-rate-limit", operation: "take" });
    await redis.start();
    await untilRecovered(() => client.ping());
    // Redis restarted empty (its scripts too): the bucket there is full again.
    expect(await store.take("acme:global", LIMITS, Date.now())).toBe(0);
    expect(events.at(-1)).toEqual({ type: "storeRecovered", store: "redis-rate-limit" });
  });

  it("fails closed with StoreUnavailableError when declared so, through the client, within the store's timeout on a stalled server", async () => {
    const store = new RedisRateLimitStore({ client, onFailure: "closed", timeoutMs: 150, retryAfterMs: 0 });
    const definition = testDefinition({
      rateLimits: { limitedWhen: [], buckets: { global: { rate: 100, perMs: 1000, maxQueueWaitMs: 60_000 } } },
    });
    const core = coreFor(definition, { auth: { token: "t" }, baseUrl: api.url, rateLimits: { store }, retry: false });
    const getThing = op("GET", "/things");
    await core.send(getThing, { path: "/things" });
    redis.freeze();
    const error = await core.send(getThing, { path: "/things" }).catch((e: unknown) => e);
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ code: "store_unavailable", message: "redis-rate-limit: take failed: no answer within 150 ms" });
    redis.thaw();
    await untilRecovered(() => core.send(getThing, { path: "/things" }));
  });

  it("keeps serving calls while Redis is stopped mid-run and restarted (fail open), with no unhandled rejection", async () => {
    const events: (ClientEvent | StoreHealthEvent)[] = [];
    const store = new RedisRateLimitStore({ client, timeoutMs: 150, retryAfterMs: 50, onEvent: (e) => events.push(e) });
    const definition = testDefinition({
      rateLimits: { limitedWhen: [], buckets: { global: { rate: 1000, perMs: 1000, maxQueueWaitMs: 60_000 } } },
    });
    const core = coreFor(definition, { auth: { token: "t" }, baseUrl: api.url, rateLimits: { store }, retry: false });
    const getThing = op("GET", "/things");
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) await redis.stop(true);
      if (i === 20) await redis.start();
      statuses.push((await core.send(getThing, { path: "/things" })).status);
    }
    await untilRecovered(async () => {
      await core.send(getThing, { path: "/things" });
      if (events.at(-1)?.type !== "storeRecovered") throw new Error("not yet");
    });
    expect(statuses).toEqual(Array(30).fill(200));
    expect(events.map((e) => e.type)).toEqual(["storeUnavailable", "storeRecovered"]);
  });
});

describe("RedisTokenStore and RedisDedupStore", () => {
  it("the token store fails closed with StoreUnavailableError and works again after a restart", async () => {
    const store = new RedisTokenStore({ client, timeoutMs: 150, retryAfterMs: 0 });
    await store.set("grant", { accessToken: "secret-access-token" });
    await redis.stop();
    const error = await store.get("grant").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "store_unavailable" });
    expect(String(error)).not.toContain("secret");
    await redis.start();
    await untilRecovered(() => store.set("grant", { accessToken: "after" }));
    expect(await store.get("grant")).toEqual({ accessToken: "after" });
  });

  it("the webhook runner answers 503 dedup_unavailable while the dedup store is down (the provider delivers again), and handles after", async () => {
    let runs = 0;
    const handler = createWebhookHandler({
      dedup: new RedisDedupStore({ client, timeoutMs: 150, retryAfterMs: 0 }),
      verify: async () => ({ type: "t", id: "evt_1", payload: {} }),
      handle: async () => void runs++,
    });
    const deliver = () => handler({ method: "POST", headers: {}, body: "{}" });
    await redis.stop();
    const answer = await deliver();
    expect(answer.status).toBe(503);
    expect(runs).toBe(0);
    await redis.start();
    await untilRecovered(() => client.ping());
    await untilRecovered(async () => {
      if ((await deliver()).status !== 200) throw new Error("not yet");
    });
    expect(runs).toBe(1);
  });
});
