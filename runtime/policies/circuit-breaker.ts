/**
 * A circuit breaker: closed while the provider answers; open after a declared run of failures (5xx,
 * network errors, timeouts; never a 4xx, which is the caller's problem, nor a rate limit); while open
 * every call fails fast with CircuitOpenError; after `openForMs` it lets `halfOpenProbes` requests
 * through, closes when they all succeed and opens again on the first failure.
 */
import type { Clock } from "../clock.js";
import type { CircuitBreakerDefinition } from "../definition.js";
import { CircuitOpenError } from "../errors/errors.js";
import { SlicedWindow } from "../internal/sliced-window.js";
import type { AttemptContext, Policy, Step } from "./policy.js";

export type BreakerState = "closed" | "open" | "halfOpen";

export interface BreakerHooks {
  onStateChange?(key: string, from: BreakerState, to: BreakerState): void;
}

/** What one attempt came to, as the breaker sees it. */
export type BreakerOutcome = "success" | "failure" | "neutral";

export class CircuitBreaker {
  #state: BreakerState = "closed";
  #consecutive = 0;
  #openedAt = 0;
  #probesInFlight = 0;
  #probeSuccesses = 0;
  /** Ratio threshold: attempts and failures over the window. */
  readonly #window: SlicedWindow | undefined;

  // #private rather than constructor properties: nothing outside reads them, and the minifier renames them.
  readonly #key: string;
  readonly #provider: string;
  readonly #definition: CircuitBreakerDefinition;
  readonly #hooks: BreakerHooks;

  constructor(key: string, provider: string, definition: CircuitBreakerDefinition, hooks: BreakerHooks = {}) {
    this.#key = key;
    this.#provider = provider;
    this.#definition = definition;
    this.#hooks = hooks;
    if (definition.threshold.type === "ratio") this.#window = new SlicedWindow(definition.threshold.windowMs, 2);
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Fails fast while open, before the call waits for anything else. */
  rejectIfOpen(now: number): void {
    if (this.#state === "open" && now < this.#openedAt + this.#definition.openForMs) {
      throw new CircuitOpenError(this.#provider, this.#openedAt + this.#definition.openForMs);
    }
  }

  /**
   * Call before an attempt. Throws CircuitOpenError while open; returns whether this attempt is a
   * half-open probe (pass that back to `record`).
   */
  enter(now: number): boolean {
    if (this.#state === "closed") return false;
    if (this.#state === "open") {
      this.rejectIfOpen(now);
      this.#transition("halfOpen");
      this.#probesInFlight = 0;
      this.#probeSuccesses = 0;
    }
    if (this.#probesInFlight + this.#probeSuccesses >= this.#definition.halfOpenProbes) {
      throw new CircuitOpenError(this.#provider, now + Math.min(1000, this.#definition.openForMs));
    }
    this.#probesInFlight += 1;
    return true;
  }

  record(outcome: BreakerOutcome, probe: boolean, now: number): void {
    if (probe) {
      this.#probesInFlight -= 1;
      if (this.#state !== "halfOpen") return;
      if (outcome === "failure") return this.#open(now);
      if (outcome === "success") {
        this.#probeSuccesses += 1;
        if (this.#probeSuccesses >= this.#definition.halfOpenProbes) this.#close();
      }
      return;
    }
    if (this.#state !== "closed" || outcome === "neutral") return;
    const threshold = this.#definition.threshold;
    if (threshold.type === "consecutive") {
      this.#consecutive = outcome === "failure" ? this.#consecutive + 1 : 0;
      if (this.#consecutive >= threshold.failures) this.#open(now);
      return;
    }
    const window = this.#window!;
    window.add(now, TOTAL);
    if (outcome === "failure") window.add(now, FAILURES);
    const total = window.sum(now, TOTAL);
    if (total >= threshold.minRequests && window.sum(now, FAILURES) / total >= threshold.ratio) this.#open(now);
  }

  #open(now: number): void {
    this.#openedAt = now;
    this.#consecutive = 0;
    this.#window?.clear();
    this.#transition("open");
  }

  #close(): void {
    this.#consecutive = 0;
    this.#transition("closed");
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#hooks.onStateChange?.(this.#key, from, to);
  }
}

const TOTAL = 0;
const FAILURES = 1;

/**
 * The breaker as a policy: the attempt passes the call's breaker first (failing fast while it is open,
 * before waiting for a rate-limit slot), and what it came to is counted once it is known: the attempt's
 * `breakerOutcome`, neutral when the call was stopped before or during the attempt (an abort, a queue
 * wait that failed), which also gives a half-open probe back.
 */
export class BreakerPolicy implements Policy<AttemptContext> {
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  execute<T extends AttemptContext>(fn: Step<T>, call: T): T | Promise<T> {
    const breaker = call.breaker;
    if (!breaker) return fn(call);
    // A closed breaker lets every attempt through without reading the clock.
    call.probe = breaker.state === "closed" ? false : breaker.enter(this.#clock.now());
    let running: T | Promise<T>;
    try {
      running = fn(call);
    } catch (error) {
      breaker.record("neutral", call.probe, this.#clock.now());
      throw error;
    }
    return running instanceof Promise ? running.then(recordAttempt) : recordAttempt(running);
  }
}

function recordAttempt<T extends AttemptContext>(call: T): T {
  call.breaker!.record(call.breakerOutcome, call.probe, call.endedAt);
  return call;
}
