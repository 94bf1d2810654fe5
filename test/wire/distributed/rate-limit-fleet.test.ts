/**
 * Issue 18, "Done means": 4 processes share one 100/s budget against a strict loopback server (a
 * sliding window that answers 429 to the 101st request of any second) -> no 429 over 2,000 requests,
 * with the Redis store and with the embedded SQLite one. The utilization target (at least 90% of the
 * allowed rate) depends on the machine's load, so it is measured by `npm run bench -- distributed`; this
 * test checks only that the fleet is not grossly over-cautious (above half the rate).
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { op, testDefinition } from "../../helpers/test-provider.js";
import { startFleet } from "../../helpers/distributed-worker.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

const RATE = 100;
const PROCESSES = 4;
const TOTAL = 2000;

interface StrictServer {
  readonly url: string;
  readonly arrivals: number[];
  rejected: number;
  close(): Promise<void>;
}

/** Answers 429 to any request that would make more than `rate` arrivals within one second. */
async function startStrictServer(rate: number): Promise<StrictServer> {
  const window: number[] = [];
  const state = { arrivals: [] as number[], rejected: 0 };
  const server: Server = createServer((request, response) => {
    const now = performance.timeOrigin + performance.now();
    while (window.length > 0 && window[0]! <= now - 1000) window.shift();
    request.resume();
    if (window.length >= rate) {
      state.rejected++;
      response.writeHead(429, { "content-type": "application/json" });
      response.end('{"error":{"code":"rate_limited"}}');
      return;
    }
    window.push(now);
    state.arrivals.push(now);
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get arrivals() {
      return state.arrivals;
    },
    get rejected() {
      return state.rejected;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let redis: RedisServer;
let directory: string;
beforeAll(async () => {
  redis = await startRedisServer();
  directory = mkdtempSync(join(tmpdir(), "switchboard-fleet-"));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(directory, { recursive: true, force: true });
});

const definition = testDefinition({
  rateLimits: { limitedWhen: [], buckets: { global: { rate: RATE, perMs: 1000, maxQueueWaitMs: 120_000 } } },
  retry: { ...testDefinition().retry, maxAttempts: 1 },
});
const operation = op("GET", "/things");

describe.each([
  { store: "redis", env: (): Record<string, string> => ({ STORE: "redis", REDIS_PORT: String(redis.port) }) },
  { store: "sqlite", env: (): Record<string, string> => ({ STORE: "sqlite", DB_PATH: join(directory, "budget.db") }) },
])("$store rate-limit store: 4 processes on one 100/s budget", ({ env }) => {
  it("2,000 requests from 4 processes: none answered 429, all answered 200, above half the allowed rate (the 90% target is the distributed bench)", async () => {
    const server = await startStrictServer(RATE);
    try {
      const fleet = await startFleet<{ statuses: Record<string, number>; errors: string[] }>(PROCESSES, {
        MODE: "ratelimit",
        DEFINITION: JSON.stringify(definition),
        OPERATION: JSON.stringify(operation),
        BASE_URL: server.url,
        COUNT: String(TOTAL / PROCESSES),
        CONCURRENCY: String(TOTAL / PROCESSES), // all at once: the limiter queues and paces them
        ...env(),
      });
      fleet.go();
      const results = await fleet.results;
      expect(results.flatMap((r) => r.errors)).toEqual([]);
      expect(server.rejected).toBe(0);
      expect(results.reduce((sum, r) => sum + (r.statuses["200"] ?? 0), 0)).toBe(TOTAL);
      // A sliding window allows RATE at once and RATE more each second after: over the span from the
      // first arrival to the last, RATE * (1 + span / 1 s) requests at most.
      const arrivals = server.arrivals;
      const span = arrivals[arrivals.length - 1]! - arrivals[0]!;
      const utilization = TOTAL / (RATE * (1 + span / 1000));
      // Each request holds its slot for its own latency too, so the figure depends on the machine's load:
      // the >= 0.9 target is measured by `npm run bench -- distributed`; here only that the fleet is
      // not grossly over-cautious (a slot leaked or held a window too long would halve it).
      expect(utilization).toBeGreaterThan(0.5);
      expect(utilization).toBeLessThanOrEqual(1);
    } finally {
      await server.close();
    }
  }, 90_000);
});
