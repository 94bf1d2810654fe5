/**
 * The deadline of one call: the caller's AbortSignal and the instant its total timeout ends, made once
 * per call. Every wait of the call ends at it (a queued rate-limit slot, credentials and token requests,
 * a 401's renewal, a retry's delay), and every attempt's time limit is cut to what is left of it, so no
 * part of a call outlives `timeout.totalMs` or the caller's abort.
 */
import type { Clock } from "../clock.js";
import { TimeoutError } from "../errors/errors.js";
import type { AttemptContext, Policy, Step } from "./policy.js";

/** What the rate limiter needs of a deadline: when it is, and the error a wait cut short by it throws. */
export interface WaitLimit {
  /** Epoch ms (of the client's clock). */
  readonly at: number;
  expired(): Error;
}

export class Deadline implements WaitLimit {
  readonly at: number;
  readonly totalMs: number;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  readonly #provider: string;
  readonly #clock: Clock;
  #controller: AbortController | undefined;
  #cancelTimer: (() => void) | undefined;

  constructor(provider: string, totalMs: number, signal: AbortSignal | undefined, clock: Clock) {
    this.#provider = provider;
    this.#clock = clock;
    this.totalMs = totalMs;
    this.at = clock.now() + totalMs;
    this.signal = signal;
  }

  expired(): TimeoutError {
    return new TimeoutError(this.#provider, "total", this.totalMs);
  }

  /** Throws the caller's abort reason, or the total timeout once it has passed. */
  check(now: number): void {
    if (this.signal?.aborted) throw this.signal.reason;
    if (now >= this.at) throw this.expired();
  }

  /**
   * Settles as `promise` does, unless the caller aborts or the deadline passes first: then it rejects
   * with the abort reason or the total timeout. A later rejection of `promise` is absorbed.
   */
  bound<T>(promise: Promise<T>): Promise<T> {
    // The same signal as whatever was handed `abortSignal` (a token request): its listeners, added first,
    // learn of the deadline or the abort before this wait rejects.
    const signal = this.abortSignal;
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      const settle =
        <V>(then: (value: V) => void) =>
        (value: V): void => {
          signal.removeEventListener("abort", onAbort);
          then(value);
        };
      promise.then(settle(resolve), settle(reject));
    });
  }

  /**
   * An AbortSignal that aborts with the caller's reason or the total timeout, for requests the call
   * makes on the way (a token endpoint) and for `bound`. Made on first use; `dispose()` stops its timer.
   */
  get abortSignal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = (this.#controller = new AbortController());
    const signal = this.signal;
    if (signal?.aborted) controller.abort(signal.reason);
    else {
      const onAbort = (): void => controller.abort(signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      const cancelTimer = this.#clock.setTimer(this.at - this.#clock.now(), () => controller.abort(this.expired()));
      this.#cancelTimer = () => {
        cancelTimer();
        signal?.removeEventListener("abort", onAbort);
      };
    }
    return controller.signal;
  }

  /** The call is over: releases the abort signal's timer and listener, if one was made. */
  dispose(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}

/**
 * The attempt's time limit, innermost of the policies: once every wait before the attempt is over, the
 * call's deadline is checked again and the attempt gets the attempt timeout, or what is left of the
 * deadline if less. The transport enforces it over the whole attempt, body included.
 */
export class TimeoutPolicy implements Policy<AttemptContext> {
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  execute<T extends AttemptContext>(fn: Step<T>, call: T): T | Promise<T> {
    const now = this.#clock.now();
    call.deadline.check(now);
    call.startedAt = now;
    call.timeoutMs = attemptLimit(call.attemptMs, call.deadline.at - now);
    return fn(call);
  }
}

/** The attempt timeout, or what is left of the call, if less; whole ms, at least 1. */
export function attemptLimit(attemptMs: number, leftMs: number): number {
  return Math.max(1, Math.round(Math.min(attemptMs, leftMs)));
}
