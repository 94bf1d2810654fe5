/**
 * Where rate-limit state lives. The in-memory store below serves one process; a shared store (Redis)
 * implements the same four operations atomically so several processes share one provider quota, and
 * reaches the limiter as a SharedRateLimitStore: with the store guard it runs behind.
 */
import type { Clock } from "../clock.js";
import type { StoreHealthEvent } from "./store-guard.js";

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

/**
 * What a bucket does while its store fails (rejects, throws or takes over a second): `open` keeps
 * granting from a local bucket of `share` times each bucket's rate (several processes share the
 * provider's quota, so a share below 1 is the conservative choice), `closed` fails the call with
 * StoreUnavailableError.
 */
export type RateLimitStoreFailure = { readonly mode: "open"; readonly share: number } | { readonly mode: "closed" };

export interface RateLimitStore {
  /** @default { mode: "open", share: 0.5 } */
  readonly onFailure?: RateLimitStoreFailure | undefined;
  /**
   * Takes one permit if one is free now and returns 0; otherwise takes nothing and returns the ms to
   * wait, or Infinity when a permit frees only once a request in flight completes. `cost`: the units a
   * weighted bucket (tokens, points) takes for this request; a store that counts requests only may ignore it.
   */
  take(key: string, limits: BucketLimits, now: number, cost?: number): number | Promise<number>;
  /**
   * The request that `take` let through at `startedAt` (the `now` it was given) finished at `now`. `cost`
   * is the one it was taken with; `charged`, what it actually cost when its answer said so (the bucket
   * takes that instead).
   */
  complete(key: string, limits: BucketLimits, startedAt: number, now: number, cost?: number, charged?: number): void | Promise<void>;
  /** The provider's own count, which wins until `resetAt` (epoch ms): `remaining` more units may start. */
  sync(key: string, remaining: number, resetAt: number, now: number): void | Promise<void>;
  /** No request of this bucket may start before `until` (epoch ms). Later pauses extend, earlier ones never shorten. */
  pause(key: string, until: number): void | Promise<void>;
}

/**
 * A store the client does not own (Redis, SQLite, the application's own), as a limiter takes it: it
 * carries its guard (store-guard.ts), so only an application that hands one over ships the guard.
 * RedisRateLimitStore and SqliteRateLimitStore are such stores; `guardRateLimitStore(store)` makes one of
 * a RateLimitStore the application writes itself.
 */
export interface SharedRateLimitStore {
  /** The store inside the store guard, for one limiter: its clock, its health events. */
  guarded(clock: Clock, report: (event: StoreHealthEvent) => void): RateLimitStore;
}

/** What a client's rate limiter runs on: the built-in store (never fails, unguarded) or a shared one (guarded). */
export type LimiterStore = MemoryRateLimitStore | SharedRateLimitStore;

/**
 * A sliding window keeps one slot per request of its `rate`, so it is exact; beyond this many, a token
 * bucket of the same rate stands in (memory stays bounded).
 */
const MAX_WINDOW_SLOTS = 65_536;

/**
 * The sliding window is kept exact on the provider's side without knowing its clock: a slot holds one
 * request from its start until one window after it *completed*. The provider counted the request
 * somewhere between its start and its completion, so the next request in that slot arrives at least a
 * window later, whatever the latencies. A request in flight holds its slot; a new request takes the
 * slot that has been free longest.
 */
interface SlidingWindow {
  /** Per slot: when its last request completed. */
  readonly freeAt: Float64Array;
  /** Per slot: when the request holding it started; NaN when the slot is not held. */
  readonly startedAt: Float64Array;
}

interface BucketState {
  window: SlidingWindow | undefined;
  /** Token bucket: its units, less the requests that completed (those in flight are charged when they complete). */
  tokens: number;
  refilledAt: number;
  /** Token bucket: the cost of the requests in flight. */
  inFlight: number;
  providerRemaining: number;
  providerResetAt: number;
  pausedUntil: number;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, BucketState>();

  take(key: string, limits: BucketLimits, now: number, cost = 1): number {
    const state = this.#state(key, limits, now);
    if (now < state.pausedUntil) return state.pausedUntil - now;
    const providerKnows = now < state.providerResetAt;
    // A request dearer than what the provider's count holds waits for its reset (one dearer than the
    // whole bucket goes once the count is back to the limit's worth).
    const needed = Math.min(cost, limits.burst ?? limits.rate);
    if (providerKnows && (state.providerRemaining <= 0 || state.providerRemaining < needed)) return state.providerResetAt - now;
    // While the provider's count governs, the local limit does not; the grant is still recorded locally,
    // so the window (or the bucket) is right again when the provider's reset passes.
    const window = state.window;
    if (window) {
      const slot = freestSlot(window);
      if (!providerKnows) {
        if (slot < 0) return Infinity; // a completion frees one; the limiter looks again then
        const wait = window.freeAt[slot]! + windowLength(limits, window.freeAt.length) - now;
        if (wait > 0) return Math.ceil(wait);
      }
      if (slot >= 0) window.startedAt[slot] = now;
    } else {
      refill(state, limits, now);
      // A request dearer than the whole bucket waits for a full bucket with nothing in flight, then goes.
      if (!providerKnows && state.tokens - state.inFlight < needed) {
        const capacity = limits.burst ?? limits.rate;
        // What is in flight comes off only when it completes, at what it actually cost: when the bucket
        // holds enough but for the requests in flight, or no refill can make room, their completions tell.
        if (needed + state.inFlight > capacity || state.tokens >= needed) return Infinity;
        return Math.ceil(((needed + state.inFlight - state.tokens) * limits.perMs) / limits.rate);
      }
      state.inFlight += cost;
    }
    if (providerKnows) state.providerRemaining -= cost;
    return 0;
  }

  complete(key: string, limits: BucketLimits, startedAt: number, now: number, cost = 1, charged = cost): void {
    const state = this.#buckets.get(key);
    if (!state) return;
    const window = state.window;
    if (!window) {
      // The provider counted the request somewhere between its start and now: charged as late as it could
      // have been, the bucket refills after it, so no span of time on the provider's side holds more than
      // the bucket allows, whatever the latencies. Never below zero: starts the provider's count allowed
      // beyond the local rate leave no debt behind.
      refill(state, limits, now);
      state.inFlight = Math.max(0, state.inFlight - cost);
      state.tokens = Math.max(0, state.tokens - charged);
      return;
    }
    // The slot of this request, or of one that started at the same moment: those are interchangeable.
    const slot = window.startedAt.indexOf(startedAt);
    if (slot < 0) return;
    window.freeAt[slot] = now;
    window.startedAt[slot] = NaN;
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
        window: slots > 0 ? { freeAt: new Float64Array(slots).fill(-Infinity), startedAt: new Float64Array(slots).fill(NaN) } : undefined,
        tokens: limits.burst ?? limits.rate,
        refilledAt: now,
        inFlight: 0,
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

/**
 * Times here are whole milliseconds (Date.now), so a completion is stamped up to a millisecond before
 * it happened; the window is held this much longer to stay strictly on the safe side.
 */
const CLOCK_RESOLUTION_MARGIN_MS = 2;

/** A window of `slots` requests lasts this long: `rate` may be fractional (0.5 per second = 1 per 2 s). */
function windowLength(limits: BucketLimits, slots: number): number {
  return (limits.perMs * slots) / limits.rate + CLOCK_RESOLUTION_MARGIN_MS;
}

/** The idle slot free the longest, or -1 when every slot is held by a request in flight. */
function freestSlot(window: SlidingWindow): number {
  let best = -1;
  for (let i = 0; i < window.freeAt.length; i++) {
    if (Number.isNaN(window.startedAt[i]!) && (best < 0 || window.freeAt[i]! < window.freeAt[best]!)) best = i;
  }
  return best;
}

function refill(state: BucketState, limits: BucketLimits, now: number): void {
  const capacity = limits.burst ?? limits.rate;
  state.tokens = Math.min(capacity, state.tokens + ((now - state.refilledAt) * limits.rate) / limits.perMs);
  state.refilledAt = now;
}
