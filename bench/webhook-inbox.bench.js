/**
 * webhook-inbox: how long a provider waits for its acknowledgement when the endpoint stores each
 * verified delivery in the durable inbox (`@switchboard/runtime/webhooks/inbox`) instead of handling it
 * before answering. The endpoint runs in its own process (bench/servers/webhook-inbox.js) with an inbox
 * worker draining the inbox meanwhile; DELIVERIES deliveries are posted, CONCURRENCY at a time, each
 * timed from send to the end of the answer.
 *
 * Metrics:
 *   ack_p50_<store>, ack_p99_<store>  acknowledgement latency, ms, for the SQLite inbox (WAL, synchronous
 *                                     FULL: every acknowledgement waits for its fsync) and the Redis inbox;
 *                                     baseline: the same endpoint handling a no-op handler inline with the
 *                                     memory dedup store (ratio = inbox / inline). Target for SQLite's p99: < 50 ms.
 *   unhandled_<store>                 events acknowledged but not done once the worker drained the inbox (target 0).
 * Redis is a redis-server started on a free loopback port for the run and stopped by its pid.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer } from "./lib/build-client.js";
import { startRedis } from "./lib/redis-server.js";

export const name = "webhook-inbox";

const DELIVERIES = 1000;
const WARM_UP = 200;
const CONCURRENCY = 8;
const KEYS = 50;

/** Latencies (ms) of DELIVERIES posts, CONCURRENCY at a time; `tag` keeps ids unique per run. */
async function post(url, tag, count = DELIVERIES) {
  const latencies = [];
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const i = next++;
      const body = JSON.stringify({
        id: `evt_${tag}_${i}`,
        key: `obj_${i % KEYS}`,
        type: "thing.updated",
        data: { n: i, padding: "x".repeat(512) },
      });
      const started = performance.now();
      const response = await fetch(`${url}/webhooks`, { method: "POST", headers: { "content-type": "application/json" }, body });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`the endpoint answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (n) => Math.round(n * 1000) / 1000;

/** Events acknowledged but not done once the inbox has nothing pending or leased (or after 2 minutes). */
async function notDone(url, acknowledged) {
  let counts;
  for (let i = 0; i < 1200; i++) {
    counts = await (await fetch(`${url}/__counts`)).json();
    if (counts.pending === 0 && counts.leased === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return acknowledged - counts.done;
}

export async function run(emit) {
  const directory = mkdtempSync(path.join(tmpdir(), "switchboard-bench-inbox-"));
  const redis = await startRedis();
  try {
    // Warm-up, then the measured runs, interleaved so a change of machine load hits all three alike.
    const results = { inline: [], sqlite: [], redis: [] };
    const unhandled = { sqlite: 0, redis: 0 };
    for (let round = 0; round < 2; round++) {
      for (const [mode, where] of [
        ["inline", ""],
        ["sqlite", path.join(directory, `inbox-${round}.db`)],
        ["redis", `${redis.port}:bench-${round}`],
      ]) {
        const server = await startServer("webhook-inbox", [mode, where]);
        try {
          await post(server.url, `warm${round}`, WARM_UP).catch((error) => {
            throw new Error(`${mode}: ${error.message}`);
          });
          results[mode].push(...(await post(server.url, `r${round}`)));
          if (mode !== "inline") unhandled[mode] += await notDone(server.url, WARM_UP + DELIVERIES);
        } finally {
          await server.stop();
        }
      }
    }
    const inline = results.inline.sort((a, b) => a - b);
    for (const store of ["sqlite", "redis"]) {
      const sorted = results[store].sort((a, b) => a - b);
      for (const p of [50, 99]) {
        const value = percentile(sorted, p);
        const baseline = percentile(inline, p);
        emit({
          metric: `ack_p${p}_${store}`,
          value: round(value),
          unit: "ms",
          baseline: round(baseline),
          ratio: round(value / baseline),
          ...(store === "sqlite" && p === 99 && { target: "< 50" }),
        });
      }
      emit({ metric: `unhandled_${store}`, value: unhandled[store], unit: "events", target: "0" });
    }
  } finally {
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}
