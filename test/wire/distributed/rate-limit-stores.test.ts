/**
 * The shared rate-limit stores, two instances on one Redis / one SQLite file standing for two
 * processes: whatever one takes, syncs or pauses, the other sees. Redis computes every time from its own
 * clock, so an instance whose process clock is an hour off still shares the window.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimitStore } from "../../../runtime/policies/rate-limit-store.js";
import { RedisRateLimitStore } from "../../../runtime/redis/rate-limit-store.js";
import { SqliteRateLimitStore } from "../../../runtime/stores/sqlite-rate-limit-store.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

let redis: RedisServer;
let client: Redis;
let directory: string;
let buckets = 0;
const closers: (() => void)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis({ port: redis.port, host: "127.0.0.1" });
  directory = mkdtempSync(join(tmpdir(), "switchboard-rl-"));
});
afterAll(async () => {
  for (const close of closers) close();
  client?.disconnect();
  await redis?.stop();
  rmSync(directory, { recursive: true, force: true });
});

const kinds: { name: string; open: (options?: { inFlightLeaseMs?: number }) => RateLimitStore }[] = [
  { name: "RedisRateLimitStore", open: (options = {}) => new RedisRateLimitStore({ client, timeoutMs: 2000, ...options }) },
  {
    name: "SqliteRateLimitStore",
    open: (options = {}) => {
      const store = new SqliteRateLimitStore({ path: join(directory, "shared.db"), ...options });
      closers.push(() => store.close());
      return store;
    },
  },
];

const MINUTE = { rate: 3, perMs: 60_000 };

describe.each(kinds)("$name shared by two instances", ({ open }) => {
  it("a sliding window's slots are shared: the 4th request of 3 per minute waits about a minute, wherever it is taken", async () => {
    const key = `acme:b${++buckets}`;
    const [a, b] = [open(), open()];
    const now = Date.now();
    expect(await a.take(key, MINUTE, now)).toBe(0);
    expect(await b.take(key, MINUTE, now)).toBe(0);
    expect(await a.take(key, MINUTE, now)).toBe(0);
    // All three in flight: no slot is free, the store says to look again soon.
    const full = await b.take(key, MINUTE, now);
    expect(full).toBeGreaterThan(0);
    expect(full).toBeLessThanOrEqual(1000);
    await a.complete(key, MINUTE, now, Date.now());
    const wait = await b.take(key, MINUTE, Date.now());
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_002);
  });

  it("a token bucket (burst declared) is shared", async () => {
    const key = `acme:b${++buckets}`;
    const limits = { rate: 1, perMs: 60_000, burst: 2 };
    const [a, b] = [open(), open()];
    expect(await a.take(key, limits, Date.now())).toBe(0);
    expect(await b.take(key, limits, Date.now())).toBe(0);
    expect(await a.take(key, limits, Date.now())).toBeGreaterThan(59_000);
  });

  it("a weighted token bucket takes each request's cost atomically, and gives back what its answer says it did not cost", async () => {
    const key = `acme:b${++buckets}`;
    // 100 tokens, refilled at 1 a minute: nothing refills within the test.
    const limits = { rate: 1, perMs: 60_000, burst: 100 };
    const [a, b] = [open(), open()];
    const now = Date.now();
    expect(await a.take(key, limits, now, 40)).toBe(0);
    expect(await b.take(key, limits, now, 40)).toBe(0);
    // 20 left: a request of 30 waits for 10 more tokens, 10 minutes at this rate.
    const wait = await a.take(key, limits, Date.now(), 30);
    expect(wait).toBeGreaterThan(9 * 60_000);
    expect(wait).toBeLessThanOrEqual(10 * 60_000);
    // The first request cost 5, not 40: 35 come back, and the one of 30 goes (from the other instance).
    await a.complete(key, limits, now, Date.now(), 40, 5);
    expect(await b.take(key, limits, Date.now(), 30)).toBe(0);
    expect(await a.take(key, limits, Date.now(), 30)).toBeGreaterThan(0);
  });

  it("a provider count is lowered by each request's cost", async () => {
    const key = `acme:b${++buckets}`;
    const limits = { rate: 1000, perMs: 60_000, burst: 1000 };
    const [a, b] = [open(), open()];
    await a.sync(key, 50, Date.now() + 20_000, Date.now());
    expect(await a.take(key, limits, Date.now(), 30)).toBe(0);
    // 20 of the provider's 50 left: a request of 30 waits for the provider's reset.
    expect(await b.take(key, limits, Date.now(), 30)).toBeGreaterThan(19_000);
    expect(await b.take(key, limits, Date.now(), 20)).toBe(0);
  });

  it("a pause set by one instance holds the other; a provider count of 0 holds both until its reset", async () => {
    const [a, b] = [open(), open()];
    const paused = `acme:b${++buckets}`;
    await a.pause(paused, Date.now() + 30_000);
    expect(await b.take(paused, MINUTE, Date.now())).toBeGreaterThan(29_000);
    const synced = `acme:b${++buckets}`;
    expect(await a.take(synced, MINUTE, Date.now())).toBe(0);
    await a.sync(synced, 0, Date.now() + 20_000, Date.now());
    const wait = await b.take(synced, MINUTE, Date.now());
    expect(wait).toBeGreaterThan(19_000);
    expect(wait).toBeLessThanOrEqual(20_000);
  });

  it("within one provider window the lowest reported count wins (an older, higher count does not raise it)", async () => {
    const key = `acme:b${++buckets}`;
    const [a, b] = [open(), open()];
    expect(await a.take(key, MINUTE, Date.now())).toBe(0);
    await a.sync(key, 1, Date.now() + 20_000, Date.now());
    await b.sync(key, 50, Date.now() + 20_000, Date.now());
    expect(await b.take(key, MINUTE, Date.now())).toBe(0);
    expect(await a.take(key, MINUTE, Date.now())).toBeGreaterThan(19_000);
  });

  it("a slot held past inFlightLeaseMs (its process died) is taken back", async () => {
    const key = `acme:b${++buckets}`;
    const one = { rate: 1, perMs: 50 };
    const dead = open({ inFlightLeaseMs: 1 });
    const alive = open({ inFlightLeaseMs: 1 });
    expect(await dead.take(key, one, Date.now())).toBe(0); // never completed
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Taken back as freed when found expired: free again one window later.
    const wait = await alive.take(key, one, Date.now());
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(52);
  });
});

describe("RedisRateLimitStore clocks", () => {
  it("computes windows from Redis TIME: an instance whose clock is an hour ahead shares the same window", async () => {
    const key = `acme:b${++buckets}`;
    const ahead = new RedisRateLimitStore({ client, now: () => Date.now() + 3_600_000 });
    const behind = new RedisRateLimitStore({ client });
    const limits = { rate: 1, perMs: 60_000, burst: 1 };
    expect(await ahead.take(key, limits, Date.now() + 3_600_000)).toBe(0);
    const wait = await behind.take(key, limits, Date.now());
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });
});
