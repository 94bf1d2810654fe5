import { describe, expect, it } from "vitest";
import { CircuitBreaker, type BreakerState } from "../../../runtime/policies/circuit-breaker.js";
import { isCircuitOpenError } from "../../../runtime/errors/errors.js";

function breaker(threshold: ConstructorParameters<typeof CircuitBreaker>[2]["threshold"], probes = 1) {
  const changes: [BreakerState, BreakerState][] = [];
  const b = new CircuitBreaker(
    "p",
    "provider",
    { scope: "provider", threshold, openForMs: 1000, halfOpenProbes: probes },
    {
      onStateChange: (_key, from, to) => changes.push([from, to]),
    },
  );
  return { b, changes };
}

describe("circuit breaker", () => {
  it("opens after consecutive failures; a success in between resets the run", () => {
    const { b } = breaker({ type: "consecutive", failures: 3 });
    for (const outcome of ["failure", "failure", "success", "failure", "failure"] as const) b.record(outcome, b.enter(0), 0);
    expect(b.state).toBe("closed");
    b.record("failure", b.enter(0), 0);
    expect(b.state).toBe("open");
  });

  it("ignores neutral outcomes (4xx, rate limits)", () => {
    const { b } = breaker({ type: "consecutive", failures: 2 });
    b.record("failure", false, 0);
    b.record("neutral", false, 0);
    b.record("failure", false, 0);
    expect(b.state).toBe("open");
  });

  it("opens on a failure ratio only once the window has the minimum of requests", () => {
    const { b } = breaker({ type: "ratio", ratio: 0.5, windowMs: 10_000, minRequests: 10 });
    for (let i = 0; i < 9; i++) b.record("failure", false, i);
    expect(b.state).toBe("closed");
    b.record("success", false, 9);
    expect(b.state).toBe("open");
  });

  it("fails fast while open, then lets the declared probes through and closes when they succeed", () => {
    const { b, changes } = breaker({ type: "consecutive", failures: 1 }, 2);
    b.record("failure", b.enter(0), 0);
    let error: unknown;
    try {
      b.enter(500);
    } catch (e) {
      error = e;
    }
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toMatchObject({ retryAt: 1000 });
    const first = b.enter(1000);
    const second = b.enter(1000);
    expect([first, second]).toEqual([true, true]);
    expect(() => b.enter(1000)).toThrow(/circuit open/); // a third probe is refused
    b.record("success", first, 1001);
    expect(b.state).toBe("halfOpen");
    b.record("success", second, 1002);
    expect(b.state).toBe("closed");
    expect(changes).toEqual([
      ["closed", "open"],
      ["open", "halfOpen"],
      ["halfOpen", "closed"],
    ]);
  });

  it("a failed probe opens the breaker again for a full period", () => {
    const { b } = breaker({ type: "consecutive", failures: 1 });
    b.record("failure", b.enter(0), 0);
    b.record("failure", b.enter(1000), 1000);
    expect(b.state).toBe("open");
    expect(() => b.enter(1999)).toThrow();
    expect(b.enter(2000)).toBe(true);
  });
});
