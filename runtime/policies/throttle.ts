/**
 * The rate limiter as a policy, around the limiter (rate-limit.ts) without reaching into it. Before the
 * attempt it takes a slot in each of the call's buckets (waiting in their queues until the deadline) or,
 * for a call without buckets, waits out a pause the provider imposed on the whole client. After the
 * attempt it gives the slots back, re-synchronises the buckets from the answer's headers (the one place
 * the core's answers reach the limiter), and on a rate-limited answer pauses the buckets (or the whole
 * client) until the provider's Retry-After, else its reset, else a backoff, and turns the answer's error
 * into a RateLimitError that says when to come back.
 */
import type { Clock } from "../clock.js";
import type { RetryDefinition } from "../definition.js";
import { RateLimitError } from "../errors/errors.js";
import { backoffDelay } from "./retry.js";
import type { AcquireRoute, Permit, ProviderCount, RateLimiter } from "./rate-limit.js";
import type { RateLimitFamilies } from "./rate-limit-headers.js";
import type { AnswerSync, HeaderSync } from "../client/parts.js";
import { Stop, type AttemptContext, type Policy, type Step } from "./policy.js";

/** What the throttle needs of a call beyond the attempt's state: the rules to back off by. */
export interface ThrottledContext extends AttemptContext {
  readonly rules: RetryDefinition;
  /** The call goes through the rate limiter (declared buckets, or buckets learned from the headers). */
  readonly throttled: boolean;
  /** What the limiter needs to route the call: its operation (per-operation limits) and its costs. */
  readonly route: AcquireRoute;
}

const NO_PERMITS: readonly Permit[] = [];
const NO_COUNTS: readonly ProviderCount[] = [];

export class ThrottlePolicy implements Policy<ThrottledContext> {
  readonly #limiter: RateLimiter | undefined;
  /** Brings the buckets up to date from an answer; undefined when the spec declares no header family. */
  readonly #answered: AnswerSync | undefined;
  /** The least a rate-limited answer without Retry-After or a spent count makes the bucket wait. */
  readonly #minWaitMs: number;
  readonly #clock: Clock;
  readonly #provider: string;
  /** A rate-limited answer to a call without buckets pauses every such call until then (epoch ms). */
  #pausedUntil = 0;
  /** The follow-up step, bound once: it reads everything else from the call. */
  readonly #settle = (call: ThrottledContext): ThrottledContext => this.#after(call);

  constructor(
    provider: string,
    limiter: RateLimiter | undefined,
    families: RateLimitFamilies,
    minWaitMs: number | undefined,
    clock: Clock,
    headerSync?: HeaderSync,
  ) {
    this.#provider = provider;
    this.#limiter = limiter;
    this.#answered = headerSync?.answered(families);
    this.#minWaitMs = minWaitMs ?? 0;
    this.#clock = clock;
  }

  execute<T extends ThrottledContext>(fn: Step<T>, call: T): T | Promise<T> {
    const granted = this.#admit(call);
    if (granted instanceof Promise) return this.#afterWait(granted, fn, call);
    return this.#run(fn, call, granted);
  }

  #run<T extends ThrottledContext>(fn: Step<T>, call: T, permits: readonly Permit[]): T | Promise<T> {
    call.permits = permits;
    let running: T | Promise<T>;
    try {
      running = fn(call);
    } catch (error) {
      for (const permit of permits) permit.release();
      call.permits = NO_PERMITS;
      throw error;
    }
    return running instanceof Promise ? (running.then(this.#settle) as Promise<T>) : (this.#after(running) as T);
  }

  /** A wait in a queue or a pause that ends in failure stops the call (nothing was sent). */
  async #afterWait<T extends ThrottledContext>(granting: Promise<readonly Permit[]>, fn: Step<T>, call: T): Promise<T> {
    const started = this.#clock.now();
    let permits: readonly Permit[];
    try {
      permits = await granting;
    } catch (error) {
      call.stop = new Stop(error);
      call.breakerOutcome = "neutral";
      call.endedAt = this.#clock.now();
      return call;
    }
    const waited = this.#clock.now() - started;
    if (waited > 0 && call.emit)
      for (const permit of permits) call.emit({ type: "rateLimitWait", bucket: permit.bucket, waitedMs: waited });
    return this.#run(fn, call, permits);
  }

  /** The slots of the call's buckets (granted at once in the common case), or the end of the client's pause. */
  #admit(call: ThrottledContext): readonly Permit[] | Promise<readonly Permit[]> {
    if (call.throttled) {
      const granted = this.#limiter!.acquire(call.buckets, call.deadline.signal, call.deadline, call.route);
      if (granted instanceof Promise || granted.length > 0) return granted;
    }
    const now = this.#clock.now();
    // No bucket to hold the provider's pause: the client holds it, for every caller.
    return now < this.#pausedUntil ? this.#afterPause(call, now) : NO_PERMITS;
  }

  async #afterPause(call: ThrottledContext, now: number): Promise<readonly Permit[]> {
    if (this.#pausedUntil > call.deadline.at) {
      const retryAt = this.#pausedUntil;
      const message = `${this.#provider} rate-limited this client until ${new Date(retryAt).toISOString()}, past the call's deadline`;
      throw new RateLimitError(this.#provider, { source: "local", retryAt, message });
    }
    await this.#clock.sleep(this.#pausedUntil - now, call.deadline.signal);
    call.deadline.check(this.#clock.now());
    return this.#admit(call);
  }

  /** After the attempt: slots back, the buckets synced from the answer, and a rate-limited answer's pause. */
  #after(call: ThrottledContext): ThrottledContext {
    const permits = call.permits;
    call.permits = NO_PERMITS;
    const response = call.response;
    const now = call.endedAt;
    // The costs and counts first (HeaderSync.answered), then the slots back: a slot given back must not
    // let a queued request go on what the limiter knew before this answer.
    const counts =
      response && call.throttled && this.#answered
        ? this.#answered(this.#limiter!, permits, response, now, call.route.operation)
        : NO_COUNTS;
    for (const permit of permits) permit.release();
    if (!response) return call;
    const count = counts[0];
    if (!call.limited || call.stop) return call;
    // The whole bucket waits, not just this caller: until Retry-After, else the reset, else a backoff
    // (never shorter than the spec's minimum wait for such answers).
    const spent = counts.find((c) => c.remaining <= 0);
    const waitMs =
      call.askedMs ??
      (spent ? spent.resetAt - now : undefined) ??
      Math.max(this.#minWaitMs, backoffDelay(call.attempts, call.rules.backoff, one));
    const retryAt = now + waitMs;
    if (permits.length > 0) this.#limiter!.pause(permits, retryAt, count?.resource);
    else if (retryAt > this.#pausedUntil) this.#pausedUntil = retryAt;
    call.emit?.({ type: "rateLimited", status: response.status, retryAt });
    call.failure = new RateLimitError(
      this.#provider,
      {
        source: "provider",
        retryAt,
        message: `${this.#provider} rate-limited the call (HTTP ${response.status}); retry after ${new Date(retryAt).toISOString()}`,
      },
      { cause: call.failure },
    );
    call.waitMs = waitMs;
    return call;
  }
}

const one = (): number => 1;
