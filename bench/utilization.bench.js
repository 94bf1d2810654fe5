/**
 * utilization: how much of a provider's allowed rate the client uses without ever being refused. A
 * strict server (bench/servers/strict.js, its own process) accepts at most 100 requests in any rolling
 * second and answers 429 beyond. The generated Stripe client, whose spec declares Stripe's 100 per
 * second, sends REQUESTS calls all at once; its limiter queues and paces them.
 *
 * Metrics:
 *   utilization    achieved rate / allowed rate, in %. The achieved rate is accepted requests over
 *                  the run's span, counted as (last arrival - first arrival) + one window: a perfect
 *                  limiter sending N requests in N/100 windows scores 100%. Target >= 97.
 *   rate_limited   429 answers the server gave (target 0)
 *   achieved_rate  accepted requests per second, by the same count
 *   errors         calls that did not succeed
 */
import { importGeneratedClient, startServer } from "./lib/build-client.js";

export const name = "utilization";

const REQUESTS = 2000;
const LIMIT = 100;
const WINDOW_MS = 1000;

export async function run(emit) {
  const server = await startServer("strict", [String(LIMIT), String(WINDOW_MS)]);
  try {
    const { createStripeClient } = await importGeneratedClient("stripe");
    // The spec's own bucket (100/s); only the queue wait is raised, since all calls start at once.
    const client = createStripeClient({
      auth: { token: "sk_test_bench" },
      baseUrl: server.url,
      rateLimits: { buckets: { global: { maxQueueWaitMs: 60_000 } } },
      retry: false,
    });
    const results = await Promise.allSettled(Array.from({ length: REQUESTS }, () => client.customers.retrieve({ customer: "cus_123" })));
    const stats = await (await fetch(`${server.url}/__stats`)).json();
    const arrivals = stats.arrivals;
    const spanSeconds = (arrivals[arrivals.length - 1] - arrivals[0] + WINDOW_MS) / 1000;
    const achieved = stats.accepted / spanSeconds;
    const allowed = LIMIT / (WINDOW_MS / 1000);
    emit({ metric: "utilization", value: round(100 * (achieved / allowed)), unit: "%", target: ">= 97" });
    emit({ metric: "rate_limited", value: stats.limited, unit: "responses", target: "0" });
    emit({ metric: "achieved_rate", value: round(achieved), unit: "req/s", baseline: allowed, ratio: round(achieved / allowed) });
    emit({ metric: "errors", value: results.filter((r) => r.status === "rejected").length, unit: "calls" });
  } finally {
    await server.stop();
  }
}

const round = (n) => Math.round(n * 100) / 100;
