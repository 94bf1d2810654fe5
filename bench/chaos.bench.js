/**
 * chaos: 2,000 writes (customers.create through the generated Stripe client, every policy on, an
 * idempotency key on each) from 32 callers against bench/servers/chaos.js, which resets 5% of
 * connections before applying the write and 5% after, answers 15% with 500 (half of them after applying
 * the write) and 3% slower than the client's attempt timeout (applied). Every call must end, in success
 * or in a normalized SwitchboardError; no write may be applied twice; every success the client reports
 * must have been applied exactly once; every failed call whose write the server applied must say so
 * (outcome "unknown") and carry the key it sent; retries must stay within the spec's retry budget.
 *
 * Metrics:
 *   calls, succeeded, failed   failed calls all carry a SwitchboardError code (listed per code)
 *   hung                       calls not settled HANG_LIMIT_MS after the last one started (target 0)
 *   unnormalized_errors        rejections that are not SwitchboardErrors (target 0)
 *   double_applied             keys the server applied more than once (target 0)
 *   success_not_applied_once   reported successes whose key was not applied exactly once (target 0)
 *   applied_without_unknown    failed calls whose key the server applied, or that carry no key, without
 *                              outcome "unknown" and that key (target 0); baseline: failed calls applied
 *   retries                    server requests beyond one per call, with the budget's bound over the
 *                              run as baseline (ratio x calls + minPerSecond x window, once per window
 *                              the run spans); target ratio <= 1
 */
import { importGeneratedClient, startServer } from "./lib/build-client.js";

export const name = "chaos";

const CALLS = 2000;
const CONCURRENCY = 32;
const HANG_LIMIT_MS = 120_000;
const ATTEMPT_MS = 500;
const SLOW_MS = 1500;

export async function run(emit) {
  const server = await startServer("chaos", ["42", String(SLOW_MS)]);
  try {
    const { createStripeClient, stripeDefinition: definition } = await importGeneratedClient("stripe");
    const client = createStripeClient({
      auth: { token: "sk_test_bench" },
      baseUrl: server.url,
      // Failures are the subject here, not pacing: Stripe's 100/s (and 25/s per endpoint) would only make
      // the run longer.
      rateLimits: { buckets: { global: { rate: 5000 }, endpoint: { rate: 5000 } } },
      timeout: { attemptMs: ATTEMPT_MS },
    });
    const started = performance.now();
    const outcomes = new Array(CALLS);
    let next = 0;
    const worker = async () => {
      while (next < CALLS) {
        const i = next++;
        outcomes[i] = await client.customers.create({ body: { email: `user${i}@example.com` } }).then(
          (value) => ({ ok: true, key: value.key }),
          (error) => ({ ok: false, error }),
        );
      }
    };
    const all = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const hangGuard = new Promise((resolve) => setTimeout(resolve, HANG_LIMIT_MS).unref());
    await Promise.race([all, hangGuard]);
    const seconds = (performance.now() - started) / 1000;
    const stats = await (await fetch(`${server.url}/__stats`)).json();

    const settled = outcomes.filter(Boolean);
    const successes = settled.filter((o) => o.ok);
    const failures = settled.filter((o) => !o.ok);
    const unnormalized = failures.filter(
      (o) => !(o.error instanceof Error && typeof o.error.code === "string" && o.error.name.endsWith("Error")),
    );
    const byCode = {};
    for (const f of failures) byCode[f.error.code] = (byCode[f.error.code] ?? 0) + 1;
    const doubleApplied = Object.values(stats.applications).filter((n) => n > 1).length;
    const notOnce = successes.filter((s) => stats.applications[s.key] !== 1).length;
    const failedApplied = failures.filter((f) => stats.applications[f.error.idempotencyKey] >= 1).length;
    const appliedWithoutUnknown = failures.filter(
      (f) =>
        typeof f.error.idempotencyKey !== "string" || (stats.applications[f.error.idempotencyKey] >= 1 && f.error.outcome !== "unknown"),
    ).length;
    const retries = stats.requests - CALLS;
    const budget = definition.retry.budget;
    // Per window the budget allows ratio x first attempts + minPerSecond x window; over the run, one
    // such reserve per window the run spans.
    const windows = Math.max(1, Math.ceil((seconds * 1000) / budget.windowMs));
    const allowed = budget.ratio * CALLS + budget.minPerSecond * (budget.windowMs / 1000) * windows;

    emit({ metric: "calls", value: CALLS, unit: "calls" });
    emit({ metric: "succeeded", value: successes.length, unit: "calls" });
    emit({
      metric: "failed",
      value: failures.length,
      unit: "calls",
      ...Object.fromEntries(Object.entries(byCode).map(([k, v]) => [`code_${k}`, v])),
    });
    emit({ metric: "hung", value: CALLS - settled.length, unit: "calls", target: "0" });
    emit({ metric: "unnormalized_errors", value: unnormalized.length, unit: "calls", target: "0" });
    emit({ metric: "double_applied", value: doubleApplied, unit: "keys", target: "0" });
    emit({ metric: "success_not_applied_once", value: notOnce, unit: "calls", target: "0" });
    emit({ metric: "applied_without_unknown", value: appliedWithoutUnknown, unit: "calls", baseline: failedApplied, target: "0" });
    emit({
      metric: "retries",
      value: retries,
      unit: "requests",
      baseline: Math.round(allowed),
      ratio: Math.round((retries / allowed) * 1000) / 1000,
      target: "<= 1",
    });
    emit({ metric: "duration", value: Math.round(seconds * 10) / 10, unit: "s" });
  } finally {
    await server.stop();
  }
}
