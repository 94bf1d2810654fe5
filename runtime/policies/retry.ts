/**
 * When to retry and how long to wait. The rules, in order:
 *  1. never beyond the attempt limit, and never a request that is not safe to repeat: an idempotent
 *     method, an operation the spec marks idempotent, or one carrying an idempotency key (a connection
 *     refused before anything was sent is always safe);
 *  2. a provider hint (Stripe-Should-Retry) overrides every rule below;
 *  3. a rate-limited answer is retried after the provider's Retry-After or reset, if that is within the
 *     client's maximum wait; otherwise the call fails at once with a RateLimitError that says when;
 *  4. retryable statuses, provider error codes and network error codes come from the spec;
 *  5. the retry budget has the last word, so retries cannot snowball into a storm.
 * The delay is exponential backoff with jitter, but never less than a Retry-After the provider sent.
 */
import type { Clock } from "../clock.js";
import type { HttpMethod, RetryDefinition } from "../definition.js";
import { SlicedWindow } from "../internal/sliced-window.js";
import type { ResponseHeaders } from "../transport/transport.js";
import type { AttemptContext, Policy, Step } from "./policy.js";

export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set<HttpMethod>(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

export type RetryReason = "status" | "error_code" | "network" | "timeout" | "rate_limited" | "hint";

/**
 * Backoff for the given retry (1 = first retry): base x 2^(n-1), or base x n^2 when the spec says
 * growth: quadratic; capped, with jitter.
 */
export function backoffDelay(retry: number, backoff: RetryDefinition["backoff"], random: () => number = Math.random): number {
  const grown = backoff.growth === "quadratic" ? backoff.baseMs * retry ** 2 : backoff.baseMs * 2 ** (retry - 1);
  const exponential = Math.min(backoff.capMs, grown);
  switch (backoff.jitter) {
    case "full":
      return Math.floor(random() * exponential);
    case "equal":
      return Math.floor(exponential / 2 + (random() * exponential) / 2);
    case "none":
      return exponential;
  }
}

/** The wait a response asks for, in ms: the first declared header that parses (`retry-after-ms`, `retry-after` in seconds or as an HTTP date). */
export function retryAfterMs(headers: ResponseHeaders, names: readonly string[], now: number): number | undefined {
  for (const name of names) {
    const text = headers.get(name)?.trim();
    if (!text) continue;
    if (name.endsWith("-ms")) {
      const ms = Number(text);
      if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
      continue;
    }
    if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
    const date = Date.parse(text);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/**
 * Retries may add at most `ratio` of the first attempts seen in the last `windowMs`, plus
 * `minPerSecond` so a quiet client can still retry.
 */
export class RetryBudget {
  readonly #window: SlicedWindow;
  readonly #budget: RetryDefinition["budget"];

  constructor(budget: RetryDefinition["budget"]) {
    this.#budget = budget;
    this.#window = new SlicedWindow(budget.windowMs, 2);
  }

  /** Counts a first attempt. */
  recordRequest(now: number): void {
    this.#window.add(now, REQUESTS);
  }

  /** Takes one retry from the budget; false when there is none left. */
  tryRetry(now: number): boolean {
    const allowed = this.#window.sum(now, REQUESTS) * this.#budget.ratio + (this.#budget.minPerSecond * this.#budget.windowMs) / 1000;
    if (this.#window.sum(now, RETRIES) + 1 > allowed) return false;
    this.#window.add(now, RETRIES);
    return true;
  }
}

const REQUESTS = 0;
const RETRIES = 1;

/**
 * The retry policy, outermost of a call's policies: it runs the attempt, and while the attempt failed
 * with a verdict that allows a retry, waits and runs it again. A 401 whose credentials are being renewed
 * is made again once they are, without counting as a retry. The wait is the rate limiter's pause for a
 * rate-limited answer, else exponential backoff but never less than the provider's Retry-After; a wait
 * past the maximum, past the deadline, beyond the attempt limit or outside the budget ends the call with
 * the attempt's error.
 */
export class RetryPolicy implements Policy<AttemptContext> {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #budget: RetryBudget | undefined;

  constructor(clock: Clock, random: () => number, budget: RetryBudget | undefined) {
    this.#clock = clock;
    this.#random = random;
    this.#budget = budget;
  }

  async execute<T extends AttemptContext>(fn: Step<T>, call: T): Promise<T> {
    this.#budget?.recordRequest(this.#clock.now());
    for (;;) {
      call.deadline.check(this.#clock.now());
      const running = fn(call);
      if (running instanceof Promise) await running;
      if (call.stop) throw call.stop.error;
      if (call.renewing) {
        const renewing = call.renewing;
        call.renewing = undefined;
        await call.deadline.bound(renewing);
        continue;
      }
      const failure = call.failure;
      if (!failure) return call;
      const delay = this.#delay(call);
      if (delay === undefined || call.endedAt + delay >= call.deadline.at) throw failure;
      call.emit?.({ type: "retry", attempt: call.attempts, delayMs: delay, reason: call.verdict!.reason! });
      await this.#clock.sleep(delay, call.deadline.signal);
    }
  }

  /** The wait before the next attempt, or undefined when the failed attempt is not retried. */
  #delay(call: AttemptContext): number | undefined {
    const retry = call.retry;
    if (!retry || !call.verdict?.retryable) return undefined;
    const now = call.endedAt;
    // A rate-limited answer: exactly the pause its buckets keep.
    if (call.waitMs !== undefined) {
      const wait = call.waitMs;
      return now + wait < call.deadline.at && this.#mayRetry(retry, call.attempts, wait, now) ? wait : undefined;
    }
    // Never wait less than the provider asked; a longer wait than allowed ends the call now.
    const asked = call.askedMs;
    return this.#mayRetry(retry, call.attempts, asked, now)
      ? Math.max(asked ?? 0, backoffDelay(call.attempts, retry.backoff, this.#random))
      : undefined;
  }

  /** Attempts are left, the wait asked for is within the maximum, and the budget grants one more retry (spent here). */
  #mayRetry(retry: RetryDefinition, attempt: number, askedMs: number | undefined, now: number): boolean {
    if (attempt >= retry.maxAttempts || (askedMs !== undefined && askedMs > retry.retryAfter.maxWaitMs)) return false;
    return this.#budget ? this.#budget.tryRetry(now) : true;
  }
}
