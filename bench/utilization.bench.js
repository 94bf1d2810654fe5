/**
 * utilization: how much of a provider's allowed rate the client uses without ever being refused.
 *
 * 1. stripe: a strict server (bench/servers/strict.js, its own process) accepts at most 100 requests in
 *    any rolling second and answers 429 beyond, with no rate-limit headers. The generated Stripe client,
 *    whose spec declares Stripe's 100 per second, sends REQUESTS calls all at once; its limiter queues
 *    and paces them.
 * 2. Header sync variants (issue 14): a strict fixed window of 50 per second on the server's own phase
 *    (bench/servers/window.js: windows start at a random offset, not on epoch seconds), reset written as
 *    epoch seconds, epoch ms, delta seconds (fractional) or an HTTP date, always rounded up. 32 callers
 *    make 1,000 calls between them, each call after the previous one of that caller. The client is
 *    ClientCore on a definition that declares the headers and a 50/s bucket; the "headers-only" variant
 *    declares the headers and no bucket (the client learns it from the headers).
 *
 * Metrics:
 *   utilization    achieved rate / allowed rate, in %. The achieved rate is accepted requests over
 *                  the run's span, counted as (last arrival - first arrival) + one window: a perfect
 *                  limiter sending N requests in N/100 windows scores 100%. Target >= 97.
 *   rate_limited   429 answers the server gave (target 0)
 *   achieved_rate  accepted requests per second, by the same count
 *   errors         calls that did not succeed
 *   <variant>/utilization, <variant>/rate_limited, <variant>/errors: the same per header-sync variant,
 *                  utilization as a ratio (target >= 0.95 declared, >= 0.9 headers-only; 429s: 0
 *                  declared, at most one window's worth (50) headers-only)
 *   load_average   the 1-minute load average when the variants ended (the machine is shared)
 */
import os from "node:os";
import { importGeneratedClient, importRuntimeContract, startServer } from "./lib/build-client.js";

export const name = "utilization";

const REQUESTS = 2000;
const LIMIT = 100;
const WINDOW_MS = 1000;

const VARIANT_LIMIT = 50;
const VARIANT_CALLS = 1000;
const VARIANT_CALLERS = 32;

export async function run(emit) {
  await stripe(emit);
  const { ClientCore, rateLimitHeaderSync } = await importRuntimeContract();
  for (const format of ["epoch-seconds", "epoch-ms", "seconds", "http-date"]) {
    await variant(emit, ClientCore, rateLimitHeaderSync, format, format, true);
  }
  await variant(emit, ClientCore, rateLimitHeaderSync, "headers-only", "epoch-seconds", false);
  emit({ metric: "load_average", value: round(os.loadavg()[0]), unit: "load" });
}

async function stripe(emit) {
  const server = await startServer("strict", [String(LIMIT), String(WINDOW_MS)]);
  try {
    const { createStripeClient } = await importGeneratedClient("stripe");
    // The spec's own global bucket (100/s); only its queue wait is raised, since all calls start at once. The
    // per-operation bucket (25/s for each endpoint) is lifted: every call here is one operation, and the
    // figure is how much of the global budget the limiter uses.
    const client = createStripeClient({
      auth: { token: "sk_test_bench" },
      baseUrl: server.url,
      rateLimits: { buckets: { global: { maxQueueWaitMs: 60_000 }, endpoint: { rate: 1_000_000 } } },
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

function definition(url, resetFormat, declared) {
  return {
    name: "bench",
    title: "Bench",
    environments: { live: { baseUrl: url } },
    defaultEnvironment: "live",
    variables: {},
    auth: { defaultMode: "key", modes: { key: { type: "bearer", header: "authorization", prefix: "Bearer " } } },
    encoding: { query: "repeat", form: "indices", literalBrackets: false },
    rateLimits: {
      headers: { limit: "x-ratelimit-limit", remaining: "x-ratelimit-remaining", reset: "x-ratelimit-reset", resetFormat },
      limitedWhen: [],
      buckets: declared ? { global: { rate: VARIANT_LIMIT, perMs: 1000, maxQueueWaitMs: 60_000 } } : {},
    },
    retry: {
      maxAttempts: 5,
      backoff: { baseMs: 100, capMs: 2000, jitter: "full" },
      statuses: [500, 502, 503, 504],
      networkErrors: ["ECONNRESET", "ECONNREFUSED", "EPIPE", "UND_ERR_SOCKET"],
      errorCodes: [],
      retryAfter: { headers: ["retry-after"], maxWaitMs: 60_000 },
      hints: [],
      budget: { ratio: Infinity, windowMs: 1000, minPerSecond: 0 },
    },
    circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 1_000_000 }, openForMs: 30_000, halfOpenProbes: 1 },
    errors: {
      when: [{ status: ["4xx", "5xx"] }],
      fields: { code: ["error", "type"], message: ["error", "message"] },
      rules: [],
      codes: {},
    },
  };
}

const getCustomer = { id: "customers.retrieve", method: "GET", path: "/v1/customers/{customer}", group: "customers" };

async function variant(emit, ClientCore, headerSync, label, format, declared) {
  const server = await startServer("window", [String(VARIANT_LIMIT), "1000", format]);
  try {
    const core = new ClientCore(definition(server.url, format, declared), { auth: { token: "bench" } }, [headerSync]);
    let next = 0;
    let errors = 0;
    const caller = async () => {
      while (next < VARIANT_CALLS) {
        next += 1;
        try {
          await core.send(getCustomer, { path: "/v1/customers/cus_123" });
        } catch {
          errors += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: VARIANT_CALLERS }, caller));
    core.close();
    const stats = await (await fetch(`${server.url}/__stats`)).json();
    const arrivals = stats.arrivals;
    const allowed = (VARIANT_LIMIT * (arrivals[arrivals.length - 1] - arrivals[0] + 1000)) / 1000;
    const target = declared ? ">= 0.95" : ">= 0.9";
    emit({ metric: `${label}/utilization`, value: round(stats.accepted / allowed), unit: "ratio", target });
    emit({ metric: `${label}/rate_limited`, value: stats.limited, unit: "responses", target: declared ? "0" : "<= 50" });
    emit({ metric: `${label}/errors`, value: errors, unit: "calls", target: "0" });
  } finally {
    await server.stop();
  }
}

const round = (n) => Math.round(n * 1000) / 1000;
