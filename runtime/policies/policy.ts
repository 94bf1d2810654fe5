/**
 * The execution policies of a call, each a small object with one method, `execute(fn, context)`
 * (cockatiel's shape), composed with `wrap(a, b, c)`: `a` runs around `b`, `b` around `c`, `c` around
 * `fn`. A client composes retry -> circuit breaker -> rate limit -> attempt timeout around one attempt
 * (transport, then the verdict on what came back).
 *
 * The context is the call's own state, and `fn` resolves to that same context with the attempt's outcome
 * recorded on it (the answer, the failure and its verdict, or `stop`: an error that ends the call). A
 * layer's follow-up step is then a plain function of the context, so composing costs no closure and no
 * async frame per call: a layer that has nothing to wait for runs synchronously, and one that has a
 * follow-up step adds one `then` to the attempt's promise. `wrap` builds its chain of layers once per
 * `fn`, not per call.
 */
import type { BreakerOutcome, CircuitBreaker } from "./circuit-breaker.js";
import type { Deadline } from "./timeout.js";
import type { Permit } from "./rate-limit.js";
import type { RetryDefinition } from "../definition.js";
import type { AttemptVerdict } from "../client/classify.js";
import type { CallEmit } from "../client/events.js";
import type { TransportResponse } from "../transport/transport.js";

/** What the policies run: one attempt, resolving to the context with its outcome recorded. */
export type Step<C> = (context: C) => C | Promise<C>;

export interface Policy<C> {
  /** Runs `fn` under this policy. Synchronous when neither the policy nor `fn` has anything to wait for. */
  execute<T extends C>(fn: Step<T>, context: T): T | Promise<T>;
}

/** An error that ends the call at once: no layer counts it as the provider's failure and none retries it. */
export class Stop {
  constructor(readonly error: unknown) {}
}

/**
 * One call as the built-in policies see it: what the call was given, and what its latest attempt came to.
 * The attempt's fields are reset by the attempt itself before it sends anything.
 */
export interface AttemptContext {
  /** The caller's signal and the total timeout: every wait and every attempt ends at it. */
  readonly deadline: Deadline;
  /** The call's retry rules; undefined: no retries. */
  readonly retry: RetryDefinition | undefined;
  /** The rate-limit buckets the call takes a slot in. */
  readonly buckets: readonly string[];
  readonly breaker: CircuitBreaker | undefined;
  /** The attempt timeout asked for, before the deadline cuts it. */
  readonly attemptMs: number;
  readonly emit: CallEmit | undefined;
  /** Attempts sent so far. */
  attempts: number;

  // What the policies hand the attempt.
  /** The slots the rate limiter granted this attempt. */
  permits: readonly Permit[];
  /** This attempt is a half-open probe of the breaker. */
  probe: boolean;
  /** This attempt's time limit, in ms: the attempt timeout, or what is left of the deadline if less. */
  timeoutMs: number;
  /** When the attempt was let through (epoch ms of the client's clock). */
  startedAt: number;

  // What the attempt came to.
  /** When the attempt's outcome was known. */
  endedAt: number;
  /** The provider's answer, success or not: its headers re-synchronise the rate limiter. */
  response: TransportResponse | undefined;
  /** How the breaker counts the attempt. */
  breakerOutcome: BreakerOutcome;
  /** The error the attempt failed with: thrown, or retried when its verdict allows. */
  failure: Error | undefined;
  verdict: AttemptVerdict | undefined;
  /** The wait the provider asked for (Retry-After and its equivalents), in ms. */
  askedMs: number | undefined;
  /** A rate-limited answer: the rate-limit policy pauses its buckets and sets `waitMs`. */
  limited: boolean;
  /** The exact wait before a retry (a rate-limited answer: the bucket's pause), instead of a backoff. */
  waitMs: number | undefined;
  /** Credentials being renewed after a 401: the same attempt is made again once they are. */
  renewing: Promise<unknown> | undefined;
  /** The call ends with this error, whatever the verdict. */
  stop: Stop | undefined;
}

/** `wrap(a, b, c).execute(fn, context)` runs `a.execute(ctx => b.execute(ctx => c.execute(fn, ctx), ctx), context)`. */
export function wrap<C>(...policies: readonly Policy<C>[]): Policy<C> {
  return new Wrapped(policies);
}

class Wrapped<C> implements Policy<C> {
  readonly #policies: readonly Policy<C>[];
  /** The chain built for the last `fn`: a client always runs the same one. */
  #fn: unknown;
  #chain: unknown;

  constructor(policies: readonly Policy<C>[]) {
    this.#policies = policies;
  }

  execute<T extends C>(fn: Step<T>, context: T): T | Promise<T> {
    if (fn !== this.#fn) {
      let next: Step<T> = fn;
      for (let i = this.#policies.length - 1; i >= 0; i--) {
        const policy = this.#policies[i]!;
        const inner = next;
        next = (ctx) => policy.execute(inner, ctx);
      }
      this.#fn = fn;
      this.#chain = next;
    }
    return (this.#chain as Step<T>)(context);
  }
}
