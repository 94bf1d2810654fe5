import { describe, expect, it } from "vitest";
import { backoffDelay, retryAfterMs, RetryBudget } from "../../../runtime/policies/retry.js";

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe("backoff", () => {
  const backoff = { baseMs: 500, capMs: 5000, jitter: "none" as const };
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, backoff))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });
  it("full jitter spreads over [0, delay), equal jitter over [delay/2, delay)", () => {
    expect(backoffDelay(3, { ...backoff, jitter: "full" }, () => 0)).toBe(0);
    expect(backoffDelay(3, { ...backoff, jitter: "full" }, () => 0.999)).toBe(1998);
    expect(backoffDelay(3, { ...backoff, jitter: "equal" }, () => 0)).toBe(1000);
    expect(backoffDelay(3, { ...backoff, jitter: "equal" }, () => 0.999)).toBe(1999);
  });
  it("growth quadratic waits base x n^2 (GitHub's @octokit/plugin-retry: 1, 4, 9 s) up to the cap", () => {
    const quadratic = { baseMs: 1000, capMs: 20_000, jitter: "none" as const, growth: "quadratic" as const };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, quadratic))).toEqual([1000, 4000, 9000, 16_000, 20_000]);
  });
});

describe("Retry-After", () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const names = ["retry-after-ms", "retry-after"];
  it("reads seconds, an HTTP date and retry-after-ms, preferring the declared order", () => {
    expect(retryAfterMs(headers({ "retry-after": "7" }), names, now)).toBe(7000);
    expect(retryAfterMs(headers({ "retry-after": "1.5" }), names, now)).toBe(1500);
    expect(retryAfterMs(headers({ "retry-after": new Date(now + 42_000).toUTCString() }), names, now)).toBe(42_000);
    expect(retryAfterMs(headers({ "retry-after": "7", "retry-after-ms": "250" }), names, now)).toBe(250);
  });
  it("reads a date in the past as no wait and ignores garbage", () => {
    expect(retryAfterMs(headers({ "retry-after": new Date(now - 5000).toUTCString() }), names, now)).toBe(0);
    expect(retryAfterMs(headers({ "retry-after": "later" }), names, now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after-ms": "-3" }), names, now)).toBeUndefined();
  });
});

describe("retry budget", () => {
  it("allows ratio x requests plus the minimum per second over the window, then refuses", () => {
    const budget = new RetryBudget({ ratio: 0.1, windowMs: 10_000, minPerSecond: 0.5 });
    const now = 1_000_000;
    for (let i = 0; i < 100; i++) budget.recordRequest(now);
    // 100 x 0.1 + 0.5 x 10 = 15 retries.
    let granted = 0;
    while (budget.tryRetry(now)) granted++;
    expect(granted).toBe(15);
  });
  it("forgets requests and retries once they leave the window", () => {
    const budget = new RetryBudget({ ratio: 0.5, windowMs: 1000, minPerSecond: 0 });
    for (let i = 0; i < 10; i++) budget.recordRequest(0 + 1);
    while (budget.tryRetry(1));
    expect(budget.tryRetry(1)).toBe(false);
    expect(budget.tryRetry(2500)).toBe(false); // no requests left in the window either
    for (let i = 0; i < 2; i++) budget.recordRequest(2500);
    expect(budget.tryRetry(2500)).toBe(true);
  });
});
