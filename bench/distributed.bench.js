/**
 * distributed: the shared rate-limit stores (`@switchboard/runtime/redis`, `@switchboard/runtime/rate-limit/sqlite`).
 *
 * Metrics:
 *   overhead_<store>        time a take + complete costs per request in the store, µs; baseline: the
 *                           in-memory store in the same run (ratio = store / memory). Buckets are wide
 *                           enough that no take waits.
 *   utilization_<store>_<n> n processes (1, 2, 4; test/helpers/distributed-worker.mjs on the built
 *                           package) share one 100/s budget against the strict server
 *                           (bench/servers/strict.js) for REQUESTS requests: accepted requests over the
 *                           span (last arrival - first arrival + one window) / 100. Target >= 0.9.
 *   rate_limited_<store>_<n> 429 answers in that run (target 0).
 *   errors_<store>_<n>      calls that failed (target 0).
 *   store_outages_redis_<n>  times a worker's Redis store went unavailable (a call past its 10 s timeout)
 *                           and fell back to its local quarter of the budget (target 0).
 * Redis is a redis-server started on a free loopback port for the run and stopped by its pid.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startServer } from "./lib/build-client.js";
import { startRedis } from "./lib/redis-server.js";

export const name = "distributed";

const REQUESTS = 2000;
const LIMIT = 100;
const OVERHEAD_CALLS = 3000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runtime = (file) => pathToFileURL(path.join(root, "runtime/dist", file)).href;
const worker = path.join(root, "test/helpers/distributed-worker.mjs");

/** µs per take + complete, the median of 5 rounds. */
async function overhead(store) {
  const limits = { rate: 1e9, perMs: 1000, burst: 1e9 };
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < OVERHEAD_CALLS / 5; i++) {
      const now = Date.now();
      await store.take(`bench:r${round}`, limits, now);
      await store.complete(`bench:r${round}`, limits, now, Date.now());
    }
    rounds.push(((performance.now() - started) * 1000) / (OVERHEAD_CALLS / 5));
  }
  return rounds.sort((a, b) => a - b)[2];
}

const definition = {
  name: "bench",
  title: "Bench",
  environments: { live: { baseUrl: "http://127.0.0.1:1" } },
  defaultEnvironment: "live",
  variables: {},
  auth: { defaultMode: "key", modes: { key: { type: "bearer", header: "authorization", prefix: "Bearer " } } },
  encoding: { query: "repeat", form: "indices", literalBrackets: false },
  rateLimits: { limitedWhen: [], buckets: { global: { rate: LIMIT, perMs: 1000, maxQueueWaitMs: 120_000 } } },
  retry: {
    maxAttempts: 1,
    backoff: { baseMs: 10, capMs: 50, jitter: "full" },
    statuses: [],
    networkErrors: [],
    errorCodes: [],
    retryAfter: { headers: [], maxWaitMs: 0 },
    hints: [],
    budget: { ratio: 1, windowMs: 10_000, minPerSecond: 100 },
  },
  circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 1_000_000 }, openForMs: 30_000, halfOpenProbes: 1 },
  errors: { when: [{ status: ["4xx", "5xx"] }], fields: { code: ["error", "code"], message: ["error", "message"] }, rules: [], codes: {} },
};
const operation = { id: "get/things", method: "GET", path: "/things", group: "things", buckets: [], idempotent: true };

async function utilization(processes, env) {
  const server = await startServer("strict", [String(LIMIT), "1000"]);
  try {
    const children = Array.from({ length: processes }, (_, i) =>
      spawn(process.execPath, [worker], {
        env: {
          ...process.env,
          ...env,
          MODE: "ratelimit",
          WORKER: String(i),
          DEFINITION: JSON.stringify(definition),
          OPERATION: JSON.stringify(operation),
          BASE_URL: server.url,
          COUNT: String(REQUESTS / processes),
          CONCURRENCY: String(REQUESTS / processes), // all at once: the limiter queues and paces them
        },
        stdio: ["pipe", "pipe", "inherit"],
      }),
    );
    const outputs = children.map(
      (child) =>
        new Promise((resolve, reject) => {
          let out = "";
          child.stdout.on("data", (chunk) => (out += chunk));
          child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited with ${code}`))));
        }),
    );
    await Promise.all(children.map((child) => new Promise((resolve) => child.stdout.once("data", resolve))));
    for (const child of children) child.stdin.write("go\n");
    const results = (await Promise.all(outputs)).map((out) => JSON.parse(out.trim().split("\n").pop()));
    const errors = results.flatMap((r) => r.errors);
    if (errors.length > 0) process.stderr.write(`workers' failed calls: ${[...new Set(errors)].join(", ")}\n`);
    const stats = await (await fetch(`${server.url}/__stats`)).json();
    const arrivals = stats.arrivals;
    const span = (arrivals[arrivals.length - 1] - arrivals[0] + 1000) / 1000;
    const outages = results.reduce((sum, r) => sum + r.outages, 0);
    return { utilization: stats.accepted / span / LIMIT, limited: stats.limited, outages, errors: errors.length };
  } finally {
    await server.stop();
  }
}

export async function run(emit) {
  const { MemoryRateLimitStore } = await import(runtime("index.js"));
  const { RedisRateLimitStore } = await import(runtime("redis/index.js"));
  const { SqliteRateLimitStore } = await import(runtime("stores/sqlite-rate-limit-store.js"));
  const redis = await startRedis();
  const directory = mkdtempSync(path.join(tmpdir(), "switchboard-bench-distributed-"));
  try {
    const memory = await overhead(new MemoryRateLimitStore());
    const sqlite = new SqliteRateLimitStore({ path: path.join(directory, "overhead.db") });
    const stores = { sqlite: await overhead(sqlite), redis: await overhead(new RedisRateLimitStore({ client: redis.client })) };
    sqlite.close();
    for (const [store, value] of Object.entries(stores))
      emit({ metric: `overhead_${store}`, value: round(value), unit: "µs/request", baseline: round(memory), ratio: round(value / memory) });
    for (const processes of [1, 2, 4]) {
      for (const [store, env] of [
        ["redis", { STORE: "redis", REDIS_PORT: String(redis.port) }],
        ["sqlite", { STORE: "sqlite", DB_PATH: path.join(directory, `budget-${processes}.db`) }],
      ]) {
        const result = await utilization(processes, env);
        emit({ metric: `utilization_${store}_${processes}`, value: round(result.utilization), unit: "ratio", target: ">= 0.9" });
        emit({ metric: `rate_limited_${store}_${processes}`, value: result.limited, unit: "responses", target: "0" });
        emit({ metric: `errors_${store}_${processes}`, value: result.errors, unit: "calls", target: "0" });
        if (store === "redis") emit({ metric: `store_outages_${store}_${processes}`, value: result.outages, unit: "events", target: "0" });
      }
    }
  } finally {
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

const round = (n) => Math.round(n * 1000) / 1000;
