/**
 * deadlines: how far past its limit a call ends, for each kind of wait a deadline must cut short, with
 * the generated Stripe client against bench/servers/slow.js (a separate process on loopback).
 *
 *   queue_wait       totalMs 200; the call waits for a rate-limit slot held by a call that never ends
 *   slow_headers     attemptMs 100, no retries; the answer's headers come after 30 s
 *   slow_headers_total  totalMs 150, attemptMs 10 s; same answer
 *   trickling_body   attemptMs 100, no retries; headers at once, then one byte every 20 ms for ever
 *   slow_token       totalMs 200; the token function fetches a token endpoint that answers after 6 s
 *
 * Metrics: overshoot_p99_<case> (ms past the limit, 99th percentile of CALLS calls, 8 at a time), with
 * the median as baseline. Target: <= 20 ms.
 */
import { importGeneratedClient, startServer } from "./lib/build-client.js";

export const name = "deadlines";

const CALLS = 200;
const CONCURRENCY = 8;

export async function run(emit) {
  const server = await startServer("slow");
  try {
    const { createStripeClient } = await importGeneratedClient("stripe");
    // Every call here times out on purpose: the breaker would open and fail them fast instead. Stripe's
    // 25/s per endpoint is lifted: at 8 calls in flight of 100 ms each it would queue calls, and a queue
    // wait is bounded by the total timeout only (queue_wait measures that), not by the attempt timeout.
    const lifted = { endpoint: { rate: 1_000_000 } };
    const base = { auth: { token: "sk_test_bench" }, baseUrl: server.url, circuitBreaker: false, rateLimits: { buckets: lifted } };
    const cases = [
      {
        name: "queue_wait",
        limitMs: 200,
        async setup() {
          const client = createStripeClient({
            ...base,
            rateLimits: { buckets: { ...lifted, global: { rate: 1_000_000, concurrency: 1, maxQueueWaitMs: 600_000 } } },
          });
          // Holds the bucket's only slot until the end.
          const holder = new AbortController();
          const held = client.customers.retrieve({ customer: "headers" }, { signal: holder.signal }).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return {
            call: () => client.customers.retrieve({ customer: "x" }, { timeout: { totalMs: 200 } }),
            async done() {
              holder.abort();
              await held;
              await client.close();
            },
          };
        },
      },
      {
        name: "slow_headers",
        limitMs: 100,
        setup: () => caseOf(createStripeClient({ ...base, retry: false, timeout: { attemptMs: 100 } }), "headers"),
      },
      {
        name: "slow_headers_total",
        limitMs: 150,
        setup: () => caseOf(createStripeClient({ ...base, timeout: { attemptMs: 10_000, totalMs: 150 } }), "headers"),
      },
      {
        name: "trickling_body",
        limitMs: 100,
        setup: () => caseOf(createStripeClient({ ...base, retry: false, timeout: { attemptMs: 100 } }), "trickle"),
      },
      {
        name: "slow_token",
        limitMs: 200,
        setup() {
          const token = async (options) => {
            const response = await fetch(`${server.url}/token`, { signal: options?.signal });
            return (await response.json()).access_token;
          };
          return caseOf(createStripeClient({ ...base, auth: { token }, timeout: { totalMs: 200 } }), "x");
        },
      },
    ];
    for (const c of cases) {
      const { call, done } = await c.setup();
      const overshoots = [];
      let next = 0;
      let unexpected = 0;
      const worker = async () => {
        while (next < CALLS) {
          next++;
          const started = performance.now();
          const error = await call().then(
            () => undefined,
            (e) => e,
          );
          if (error?.code !== "timeout") unexpected++;
          overshoots.push(performance.now() - started - c.limitMs);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await done();
      overshoots.sort((a, b) => a - b);
      const at = (q) => Math.round(overshoots[Math.min(overshoots.length - 1, Math.floor(q * overshoots.length))] * 10) / 10;
      emit({
        metric: `overshoot_p99_${c.name}`,
        value: at(0.99),
        unit: "ms",
        baseline: at(0.5),
        target: "<= 20",
        ...(unexpected > 0 && { not_timeout_errors: unexpected }),
      });
    }
  } finally {
    await server.stop();
  }
}

function caseOf(client, customer) {
  return { call: () => client.customers.retrieve({ customer }), done: () => client.close() };
}
