/**
 * Where rate-limit state lives. The in-memory store below serves one process; a shared store (Redis)
 * implements the same three operations atomically so several processes share one provider quota.
 */

/** One bucket's limits, as the limiter hands them to the store. */
export interface BucketLimits {
  /** Requests allowed per `perMs`. */
  readonly rate: number;
  readonly perMs: number;
  /**
   * Token-bucket capacity. Undefined: a sliding window, where no `perMs`-long window ever holds more
   * than `rate` requests as the provider counts them (a token bucket would allow rate + burst).
   */
  readonly burst?: number;
}

export interface RateLimitStore {
  /**
   * Takes one permit if one is free now and returns 0; otherwise takes nothing and returns the ms to
   * wait, or Infinity when a permit frees only once a request in flight completes.
   */
  take(key: string, limits: BucketLimits, now: number): number | Promise<number>;
  /** A request that `take` let through has finished (answered or failed) at `now`. */
  complete(key: string, limits: BucketLimits, now: number): void | Promise<void>;
  /** The provider's own count, which wins until `resetAt` (epoch ms): `remaining` more requests may start. */
  sync(key: string, remaining: number, resetAt: number, now: number): void | Promise<void>;
  /** No request of this bucket may start before `until` (epoch ms). Later pauses extend, earlier ones never shorten. */
  pause(key: string, until: number): void | Promise<void>;
}

/**
 * Starts within the last window are kept in a ring of `rate` timestamps, so the window is exact; beyond
 * this many, a token bucket of the same rate stands in (memory stays bounded).
 */
const MAX_WINDOW_SLOTS = 65_536;

/**
 * The sliding window is kept exact on the provider's side without knowing its clock: a slot holds one
 * request from its start until one window after it *completed*. The provider counted the request
 * somewhere between its start and its completion, so the next request in that slot arrives at least a
 * window later, whatever the latencies; in-flight requests hold their slot (marked IN_FLIGHT).
 */
const IN_FLIGHT = Number.POSITIVE_INFINITY;

interface BucketState {
  /** Sliding window: per slot, when its last request completed (IN_FLIGHT while it runs); next at `head`. */
  starts: Float64Array | undefined;
  head: number;
  /** Token bucket. */
  tokens: number;
  refilledAt: number;
  providerRemaining: number;
  providerResetAt: number;
  pausedUntil: number;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, BucketState>();

  take(key: string, limits: BucketLimits, now: number): number {
    const state = this.#state(key, limits, now);
    if (now < state.pausedUntil) return state.pausedUntil - now;
    const providerKnows = now < state.providerResetAt;
    if (providerKnows && state.providerRemaining <= 0) return state.providerResetAt - now;
    if (!providerKnows) {
      const wait = localWait(state, limits, now);
      if (wait > 0) return wait;
    }
    // Granted. The start is recorded in the local window even when the provider's count governs, so the
    // window is right again when the provider's reset passes.
    if (providerKnows) state.providerRemaining -= 1;
    recordStart(state, limits, now);
    return 0;
  }

  complete(key: string, _limits: BucketLimits, now: number): void {
    const starts = this.#buckets.get(key)?.starts;
    if (!starts) return;
    // Requests in flight are interchangeable: any one of their slots takes the completion time.
    for (let i = 0; i < starts.length; i++) {
      if (starts[i] === IN_FLIGHT) {
        starts[i] = now;
        return;
      }
    }
  }

  sync(key: string, remaining: number, resetAt: number, now: number): void {
    const state = this.#buckets.get(key);
    if (!state || resetAt <= now) return;
    state.providerRemaining = Math.max(0, remaining);
    state.providerResetAt = resetAt;
  }

  pause(key: string, until: number): void {
    const state = this.#buckets.get(key);
    if (state && until > state.pausedUntil) state.pausedUntil = until;
  }

  #state(key: string, limits: BucketLimits, now: number): BucketState {
    let state = this.#buckets.get(key);
    if (!state) {
      const slots = limits.burst === undefined ? windowSlots(limits) : 0;
      state = {
        starts: slots > 0 ? new Float64Array(slots).fill(Number.NEGATIVE_INFINITY) : undefined,
        head: 0,
        tokens: limits.burst ?? limits.rate,
        refilledAt: now,
        providerRemaining: 0,
        providerResetAt: 0,
        pausedUntil: 0,
      };
      this.#buckets.set(key, state);
    }
    return state;
  }
}

function windowSlots(limits: BucketLimits): number {
  const slots = Math.max(1, Math.floor(limits.rate));
  return slots <= MAX_WINDOW_SLOTS ? slots : 0;
}

/** A window of `slots` requests lasts this long: `rate` may be fractional (0.5 per second = 1 per 2 s). */
function windowLength(limits: BucketLimits, slots: number): number {
  return (limits.perMs * slots) / limits.rate;
}

function localWait(state: BucketState, limits: BucketLimits, now: number): number {
  if (state.starts) {
    const completed = state.starts[state.head]!;
    if (completed === IN_FLIGHT) return IN_FLIGHT;
    const wait = completed + windowLength(limits, state.starts.length) - now;
    return wait > 0 ? Math.ceil(wait) : 0;
  }
  const capacity = limits.burst ?? limits.rate;
  state.tokens = Math.min(capacity, state.tokens + ((now - state.refilledAt) * limits.rate) / limits.perMs);
  state.refilledAt = now;
  return state.tokens >= 1 ? 0 : Math.ceil(((1 - state.tokens) * limits.perMs) / limits.rate);
}

function recordStart(state: BucketState, limits: BucketLimits, now: number): void {
  if (state.starts) {
    state.starts[state.head] = IN_FLIGHT;
    state.head = (state.head + 1) % state.starts.length;
  } else {
    localWait(state, limits, now);
    // Never below zero: starts the provider's count allowed beyond the local rate leave no debt behind.
    state.tokens = Math.max(0, state.tokens - 1);
  }
}
