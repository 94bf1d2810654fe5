/**
 * The client-side rate limiter: one gate per bucket, each a FIFO queue in front of a RateLimitStore,
 * with an optional cap on requests in flight. A request that cannot get a slot within the bucket's
 * maximum queue wait fails with a RateLimitError that says when to come back. The provider's
 * rate-limit headers re-synchronise a bucket; a rate-limited answer pauses it for every caller.
 */
import type { Clock } from "../clock.js";
import type { RateLimitHeadersDefinition, RateLimitResetFormat } from "../definition.js";
import { RateLimitError } from "../errors/errors.js";
import { MemoryRateLimitStore, type BucketLimits, type RateLimitStore } from "./rate-limit-store.js";
import { GuardedStore, type StoreHealthEvent } from "./store-guard.js";
import type { ResponseHeaders } from "../transport/transport.js";
import type { WaitLimit } from "./timeout.js";

export interface BucketPolicy extends BucketLimits {
  /** At most this many requests of the bucket in flight. */
  readonly concurrency?: number;
  /** A request waits at most this long for a slot, then fails with RateLimitError. */
  readonly maxQueueWaitMs: number;
  /** The value of the provider's rate-limit resource header that this bucket mirrors (GitHub's "core"). */
  readonly resource?: string;
}

/** A granted slot. Release it when the response (or failure) is in, so the concurrency cap frees up. */
export interface Permit {
  readonly bucket: string;
  /** Order of this grant within its bucket: tells which provider counts are newer. */
  readonly seq: number;
  release(): void;
}

interface Waiter {
  /** The end of this waiter's wait: the bucket's maximum queue wait or the call's deadline, the earlier. */
  readonly deadline: number;
  /** The call's deadline when it, not the queue wait, ends the wait. */
  readonly limit: WaitLimit | undefined;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  cleanup: () => void;
}

/** Unbounded waits are clamped: a reset or Retry-After further out than this is treated as this far. */
const MAX_PAUSE_MS = 24 * 60 * 60 * 1000;

class BucketGate {
  readonly #queue: Waiter[] = [];
  #queueHead = 0;
  #inFlight = 0;
  #granted = 0;
  #lastSyncSeq = -1;
  #lastResetAt = 0;
  #pumping = false;
  /** Asynchronous takes of the fast path still waiting for the store's answer. */
  #taking = 0;
  #pumpAgain = false;
  #cancelWake: (() => void) | undefined;
  #wakeAt = Infinity;

  // #private rather than constructor properties: the minifier renames them (RateLimiter reads `resource`).
  readonly #name: string;
  readonly #policy: BucketPolicy;
  readonly #key: string;
  readonly #provider: string;
  readonly #store: RateLimitStore;
  readonly #clock: Clock;
  /** The provider resource this bucket mirrors (BucketPolicy.resource); a plain property, read per answer. */
  declare readonly resource: string | undefined;

  constructor(name: string, policy: BucketPolicy, key: string, provider: string, store: RateLimitStore, clock: Clock) {
    this.#name = name;
    this.#policy = policy;
    this.#key = key;
    this.#provider = provider;
    this.#store = store;
    this.#clock = clock;
    this.resource = policy.resource;
  }

  acquire(signal: AbortSignal | undefined, limit: WaitLimit | undefined): Permit | Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.#clock.now();
    if (limit && now >= limit.at) throw limit.expired();
    if (this.#queueHead === this.#queue.length && !this.#pumping && this.#taking === 0 && this.#hasRoom()) {
      const wait = this.#store.take(this.#key, this.#policy, now);
      if (wait === 0) return this.#grant(now);
      // A wait already known to end past the queue's maximum or the call's deadline fails at once.
      if (typeof wait === "number" && Number.isFinite(wait)) {
        const end = this.#waitEnd(now, limit);
        if (now + wait > end) throw this.#late(now + wait, end, limit);
      }
      if (typeof wait !== "number") {
        // An asynchronous store: settle its answer in order with the queue. Callers arriving meanwhile
        // queue (one take in flight at a time, not one per caller: a burst of calls must not become a
        // burst of store round trips).
        this.#taking += 1;
        const settled = (): void => void (this.#taking -= 1);
        wait.then(settled, settled);
        return wait.then((w) => (w === 0 ? this.#grant(now) : this.#enqueue(now, signal, limit)));
      }
    }
    return this.#enqueue(now, signal, limit);
  }

  /** The provider's count: `remaining` as of the request holding `permit`, until `resetAt`. */
  sync(permit: Permit, remaining: number, resetAt: number): void {
    const now = this.#clock.now();
    // Answers arrive out of order; an older count must not overwrite a newer one from the same window.
    if (permit.seq <= this.#lastSyncSeq && resetAt <= this.#lastResetAt) return;
    this.#lastSyncSeq = Math.max(this.#lastSyncSeq, permit.seq);
    this.#lastResetAt = Math.max(this.#lastResetAt, resetAt);
    // Requests granted after this one may not be in the provider's count yet: assume they are not.
    const unseen = this.#granted - permit.seq;
    void this.#store.sync(this.#key, remaining - unseen, Math.min(resetAt, now + MAX_PAUSE_MS), now);
    this.#pump();
  }

  pause(until: number): void {
    const now = this.#clock.now();
    void this.#store.pause(this.#key, Math.min(until, now + MAX_PAUSE_MS));
  }

  #hasRoom(): boolean {
    return this.#policy.concurrency === undefined || this.#inFlight < this.#policy.concurrency;
  }

  /** `takenAt`: the `now` the store granted the slot at, which names the slot when it is released. */
  #grant(takenAt: number): Permit {
    this.#inFlight += 1;
    const seq = ++this.#granted;
    let released = false;
    return {
      bucket: this.#name,
      seq,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        const completing = this.#store.complete(this.#key, this.#policy, takenAt, this.#clock.now());
        if (this.#queueHead < this.#queue.length) {
          if (completing instanceof Promise) void completing.then(() => this.#pump());
          else this.#pump();
        }
      },
    };
  }

  /** When a wait that starts now must end: the queue's maximum wait or the call's deadline, the earlier. */
  #waitEnd(now: number, limit: WaitLimit | undefined): number {
    const queueEnd = now + this.#policy.maxQueueWaitMs;
    return limit && limit.at < queueEnd ? limit.at : queueEnd;
  }

  /** The error of a wait that cannot end by `end`: the call's total timeout when that is what ends it. */
  #late(retryAt: number | undefined, end: number, limit: WaitLimit | undefined): Error {
    return limit && limit.at === end ? limit.expired() : this.#queueTimeout(retryAt);
  }

  #enqueue(now: number, signal: AbortSignal | undefined, limit: WaitLimit | undefined): Promise<Permit> {
    return new Promise<Permit>((resolve, reject) => {
      const end = this.#waitEnd(now, limit);
      const waiter: Waiter = {
        deadline: end,
        limit,
        resolve,
        reject,
        settled: false,
        cleanup: () => {},
      };
      const cancelDeadline = this.#clock.setTimer(end - now, () => this.#fail(waiter, this.#late(undefined, end, limit)));
      const onAbort = (): void => this.#fail(waiter, signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      waiter.cleanup = () => {
        cancelDeadline();
        signal?.removeEventListener("abort", onAbort);
      };
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  #fail(waiter: Waiter, error: unknown): void {
    if (waiter.settled) return;
    settle(waiter).reject(error);
    // A cancelled head must not hold up the ones behind it.
    this.#pump();
  }

  #queueTimeout(retryAt: number | undefined): RateLimitError {
    return new RateLimitError(this.#provider, {
      source: "local",
      bucket: this.#name,
      ...(retryAt !== undefined && { retryAt }),
      message: `${this.#provider}: no slot in rate-limit bucket "${this.#name}" within ${this.#policy.maxQueueWaitMs} ms`,
    });
  }

  #peek(): Waiter | undefined {
    while (this.#queueHead < this.#queue.length && this.#queue[this.#queueHead]!.settled) this.#queueHead += 1;
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
    return this.#queue[this.#queueHead];
  }

  #pump(): void {
    if (this.#pumping) {
      // A drain is running; it may have looked at the queue before this change: look again after it.
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    void this.#drain().finally(() => {
      this.#pumping = false;
      if (this.#pumpAgain) {
        this.#pumpAgain = false;
        this.#pump();
      }
    });
  }

  async #drain(): Promise<void> {
    for (;;) {
      const head = this.#peek();
      if (!head || !this.#hasRoom()) return;
      const now = this.#clock.now();
      let wait: number;
      try {
        const taken = this.#store.take(this.#key, this.#policy, now);
        wait = typeof taken === "number" ? taken : await taken;
      } catch (error) {
        // A shared store that fails closed: the head of the queue gets its error, the others ask again.
        const failed = this.#peek();
        if (failed) settle(failed).reject(error);
        continue;
      }
      const waiter = this.#peek();
      if (!waiter) return; // everyone left while the store answered; a slot taken then is lost, never doubled
      if (wait === 0) {
        settle(waiter).resolve(this.#grant(now));
        continue;
      }
      // Infinity: the next slot frees when a request in flight completes, and its release pumps again.
      if (!Number.isFinite(wait)) return;
      if (now + wait > waiter.deadline) {
        settle(waiter).reject(this.#late(now + wait, waiter.deadline, waiter.limit));
        continue;
      }
      this.#wake(now + wait);
      return;
    }
  }

  /** Stops the wake-up timer and fails every queued request with `error`. */
  close(error: Error): void {
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    for (let waiter = this.#peek(); waiter; waiter = this.#peek()) settle(waiter).reject(error);
  }

  #wake(at: number): void {
    if (this.#cancelWake && at >= this.#wakeAt) return;
    this.#cancelWake?.();
    this.#wakeAt = at;
    this.#cancelWake = this.#clock.setTimer(at - this.#clock.now(), () => {
      this.#cancelWake = undefined;
      this.#wakeAt = Infinity;
      this.#pump();
    });
  }
}

export interface RateLimiterOptions {
  readonly provider: string;
  readonly buckets: Readonly<Record<string, BucketPolicy>>;
  readonly store: RateLimitStore;
  readonly clock: Clock;
  /** Reports a failing store and its recovery (any store but the built-in MemoryRateLimitStore is guarded). */
  readonly onStoreEvent?: (event: StoreHealthEvent) => void;
  /** Prefix of store keys: one quota per account when several clients share a store. */
  readonly keyPrefix: string;
}

export class RateLimiter {
  readonly #gates = new Map<string, BucketGate>();

  constructor(options: RateLimiterOptions) {
    // The built-in store never fails: it goes unguarded, so the common case pays nothing.
    const store =
      options.store instanceof MemoryRateLimitStore
        ? options.store
        : new GuardedStore(options.store, options.clock, options.onStoreEvent ?? (() => {}));
    for (const [name, policy] of Object.entries(options.buckets)) {
      const key = `${options.keyPrefix}:${name}`;
      this.#gates.set(name, new BucketGate(name, policy, key, options.provider, store, options.clock));
    }
  }

  /**
   * Takes one slot in each named bucket, in order; on failure the slots already taken are given back.
   * Synchronous (no promise, no tick) when every bucket has a slot free and nobody queued ahead.
   */
  acquire(buckets: readonly string[], signal: AbortSignal | undefined, limit?: WaitLimit): Permit[] | Promise<Permit[]> {
    const permits: Permit[] = [];
    for (let i = 0; i < buckets.length; i++) {
      const gate = this.#gates.get(buckets[i]!);
      if (!gate) continue;
      let granted: Permit | Promise<Permit>;
      try {
        granted = gate.acquire(signal, limit);
      } catch (error) {
        for (const permit of permits) permit.release();
        throw error;
      }
      if (granted instanceof Promise) return this.#acquireRest(buckets, i, granted, permits, signal, limit);
      permits.push(granted);
    }
    return permits;
  }

  async #acquireRest(
    buckets: readonly string[],
    index: number,
    pending: Promise<Permit>,
    permits: Permit[],
    signal: AbortSignal | undefined,
    limit: WaitLimit | undefined,
  ): Promise<Permit[]> {
    try {
      permits.push(await pending);
      for (let i = index + 1; i < buckets.length; i++) {
        const gate = this.#gates.get(buckets[i]!);
        if (gate) permits.push(await gate.acquire(signal, limit));
      }
    } catch (error) {
      for (const permit of permits) permit.release();
      throw error;
    }
    return permits;
  }

  /** Releases every timer: queued requests fail with `error`. */
  close(error: Error): void {
    for (const gate of this.#gates.values()) gate.close(error);
  }

  /** Re-synchronises buckets from the provider's count on a response. */
  sync(permits: readonly Permit[], count: ProviderCount): void {
    for (const permit of permits) {
      const gate = this.#gates.get(permit.bucket)!;
      if (count.resource === undefined ? gate.resource === undefined : gate.resource === count.resource) {
        gate.sync(permit, count.remaining, count.resetAt);
      }
    }
  }

  /** A rate-limited answer: no request of these buckets starts before `until`. */
  pause(permits: readonly Permit[], until: number, resource: string | undefined): void {
    for (const permit of permits) {
      const gate = this.#gates.get(permit.bucket)!;
      if (resource === undefined || gate.resource === undefined || gate.resource === resource) gate.pause(until);
    }
  }
}

/** Marks a waiter settled and stops its deadline timer and abort listener; returns it to resolve or reject. */
function settle(waiter: Waiter): Waiter {
  waiter.settled = true;
  waiter.cleanup();
  return waiter;
}

/** What a response's rate-limit headers say. */
export interface ProviderCount {
  readonly remaining: number;
  /** Epoch ms. */
  readonly resetAt: number;
  readonly resource: string | undefined;
}

/** Reads the provider's count from the declared headers; undefined when they do not say enough. */
export function readProviderCount(headers: ResponseHeaders, names: RateLimitHeadersDefinition, now: number): ProviderCount | undefined {
  const number = (name: string | undefined): number | undefined => {
    const text = name === undefined ? null : headers.get(name);
    if (text === null || text.trim() === "") return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  let remaining = number(names.remaining);
  if (remaining === undefined) {
    const limit = number(names.limit);
    const used = number(names.used);
    if (limit !== undefined && used !== undefined) remaining = limit - used;
  }
  const resetText = names.reset === undefined ? null : headers.get(names.reset);
  const resetAt = resetText === null ? undefined : parseReset(resetText, names.resetFormat, now);
  if (remaining === undefined || resetAt === undefined) return undefined;
  const resource = names.resource === undefined ? undefined : (headers.get(names.resource) ?? undefined);
  return { remaining, resetAt, resource };
}

/** A reset header in the provider's format, as epoch ms; undefined when unreadable. Never before `now`. */
export function parseReset(text: string, format: RateLimitResetFormat, now: number): number | undefined {
  const trimmed = text.trim();
  let at: number;
  switch (format) {
    case "epoch-seconds":
      at = Number(trimmed) * 1000;
      break;
    case "epoch-ms":
      at = Number(trimmed);
      break;
    case "seconds":
      at = now + Number(trimmed) * 1000;
      break;
    case "http-date":
      at = Date.parse(trimmed);
      break;
  }
  if (trimmed === "" || !Number.isFinite(at)) return undefined;
  return Math.min(Math.max(at, now), now + MAX_PAUSE_MS);
}
