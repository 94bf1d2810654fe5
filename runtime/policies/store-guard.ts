/**
 * Contains the faults of a rate-limit store the client does not own (Redis, SQLite, anything shared):
 * every call is caught, an asynchronous one is bounded by a time limit, and none ever rejects into the
 * limiter. While the store fails, the bucket follows what the store declares (`RateLimitStore.onFailure`):
 * fail open on a local share of each bucket's rate (conservative: other processes share the quota), or
 * fail closed with StoreUnavailableError. The first failure and the recovery are reported once each.
 */
import type { Clock } from "../clock.js";
import { isStoreUnavailableError, StoreUnavailableError } from "../errors/errors.js";
import {
  MemoryRateLimitStore,
  type BucketLimits,
  type RateLimitStore,
  type RateLimitStoreFailure,
  type SharedRateLimitStore,
} from "./rate-limit-store.js";

export interface StoreHealthEvent {
  readonly type: "storeFailure" | "storeRecovered";
  readonly store: "rateLimit" | "token" | "dedup";
  /** What the store threw, by name or code only: messages of shared stores may carry connection secrets. */
  readonly error?: string;
}

/**
 * What a token or dedup store declares it does when it fails. `closed` (the default): the operation that
 * needed it fails with StoreUnavailableError. `open`: it goes on without the store, as each user says
 * (a token manager keeps new tokens in memory, a webhook handler runs without deduplication).
 */
export type StoreFaultMode = "open" | "closed";

/**
 * One store's health. Calls of token and dedup stores run through `watchedCall`, where a synchronous throw, a rejection or no answer within the time limit all become
 * a rejection with StoreUnavailableError (never an unhandled rejection, never a hang), and the first
 * failure and the recovery are reported once each.
 */
export class StoreWatch {
  readonly store: StoreHealthEvent["store"];
  readonly #clock: Clock;
  readonly #report: (event: StoreHealthEvent) => void;
  readonly #timeoutMs: number;
  readonly #retryAfterMs: number;
  #failedAt: number | undefined;

  /** `retryAfterMs`: after a failure, calls fail at once for this long before the store is tried again. */
  constructor(
    store: StoreHealthEvent["store"],
    clock: Clock,
    report: (event: StoreHealthEvent) => void,
    timeoutMs = STORE_TIMEOUT_MS,
    retryAfterMs = STORE_RETRY_MS,
  ) {
    this.store = store;
    this.#clock = clock;
    this.#report = report;
    this.#timeoutMs = timeoutMs;
    this.#retryAfterMs = retryAfterMs;
  }

  /** The last call failed less than `retryAfterMs` ago: the store is not tried again yet. */
  resting(now: number): boolean {
    return this.#failedAt !== undefined && now - this.#failedAt < this.#retryAfterMs;
  }

  /** Settles as `promise` does, or rejects once the time limit passes (a late rejection is absorbed). */
  bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.#clock.setTimer(this.#timeoutMs, () =>
        reject(Object.assign(new Error("store call timed out"), { code: "STORE_TIMEOUT" })),
      );
      promise.then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error);
        },
      );
    });
  }

  failed(error: unknown): void {
    const first = this.#failedAt === undefined;
    this.#failedAt = this.#clock.now();
    if (first) this.#report({ type: "storeFailure", store: this.store, error: describeFault(error) });
  }

  recovered(): void {
    if (this.#failedAt === undefined) return;
    this.#failedAt = undefined;
    this.#report({ type: "storeRecovered", store: this.store });
  }
}

/** How long an asynchronous store call may take before it counts as failed. */
const STORE_TIMEOUT_MS = 1000;
/** While failed, the store is tried again at most this often. */
const STORE_RETRY_MS = 1000;
const DEFAULT_FAILURE_MODE: RateLimitStoreFailure = { mode: "open", share: 0.5 };

export class GuardedStore implements RateLimitStore {
  readonly #store: RateLimitStore;
  readonly #clock: Clock;
  readonly #watch: StoreWatch;
  readonly #failure: RateLimitStoreFailure;
  readonly #local = new MemoryRateLimitStore();
  /** Per bucket that fell back to the local share since the store last answered: when that share starts. */
  readonly #localFrom = new Map<string, number>();
  /** Slots the local store granted, by key and start (counted: several may start in the same ms): their completion goes to it. */
  readonly #localGrants = new Map<string, number>();

  constructor(store: RateLimitStore, clock: Clock, report: (event: StoreHealthEvent) => void) {
    this.#store = store;
    this.#clock = clock;
    this.#watch = new StoreWatch("rateLimit", clock, report);
    this.#failure = store.onFailure ?? DEFAULT_FAILURE_MODE;
  }

  take(key: string, limits: BucketLimits, now: number, cost = 1): number | Promise<number> {
    if (this.#watch.resting(now)) return this.#localTake(key, limits, now, cost);
    let answer: number | Promise<number>;
    try {
      answer = this.#store.take(key, limits, now, cost);
    } catch (error) {
      this.#watch.failed(error);
      return this.#localTake(key, limits, now, cost, error);
    }
    if (typeof answer === "number") {
      this.#answered(key);
      return answer;
    }
    return this.#watch.bounded(answer).then(
      (wait) => {
        this.#answered(key);
        return wait;
      },
      (error: unknown) => {
        this.#watch.failed(error);
        return this.#localTake(key, limits, now, cost, error);
      },
    );
  }

  #answered(key: string): void {
    this.#watch.recovered();
    this.#localFrom.delete(key);
  }

  complete(key: string, limits: BucketLimits, startedAt: number, now: number, cost = 1, charged = cost): void | Promise<void> {
    const id = `${key}\n${startedAt}`;
    const local = this.#localGrants.get(id);
    if (local !== undefined) {
      if (local > 1) this.#localGrants.set(id, local - 1);
      else this.#localGrants.delete(id);
      return this.#local.complete(key, this.#share(limits), startedAt, now, cost, charged);
    }
    return this.#call(() => this.#store.complete(key, limits, startedAt, now, cost, charged));
  }

  sync(key: string, remaining: number, resetAt: number, now: number): void | Promise<void> {
    this.#local.sync(key, remaining, resetAt, now);
    return this.#call(() => this.#store.sync(key, remaining, resetAt, now));
  }

  pause(key: string, until: number): void | Promise<void> {
    this.#local.pause(key, until);
    return this.#call(() => this.#store.pause(key, until));
  }

  /** A call whose answer is only an acknowledgement: caught, bounded, never rejecting. */
  #call(run: () => void | Promise<void>): void | Promise<void> {
    try {
      const done = run();
      if (!(done instanceof Promise)) return;
      return this.#watch.bounded(done).then(
        () => this.#watch.recovered(),
        (error: unknown) => this.#watch.failed(error),
      );
    } catch (error) {
      this.#watch.failed(error);
    }
  }

  /** The local bucket that stands in for the store while it fails open. */
  #share(limits: BucketLimits): BucketLimits {
    const share = this.#failure.mode === "open" ? this.#failure.share : 1;
    return {
      rate: limits.rate * share,
      perMs: limits.perMs,
      ...(limits.burst !== undefined && { burst: Math.max(1, Math.floor(limits.burst * share)) }),
    };
  }

  /** `cause`: what the store threw; a StoreUnavailableError of its own (it names the store) is passed on as it is. */
  #localTake(key: string, limits: BucketLimits, now: number, cost: number, cause?: unknown): number {
    const failure = this.#failure;
    if (failure.mode === "closed") {
      throw isStoreUnavailableError(cause)
        ? cause
        : new StoreUnavailableError("rateLimit", "take", "the rate-limit store is failing and fails closed");
    }
    // The other processes may have spent the whole window just before the store failed: the local share
    // starts one window after this bucket first fell back, never with a fresh budget on top of theirs.
    let from = this.#localFrom.get(key);
    if (from === undefined) this.#localFrom.set(key, (from = now + limits.perMs));
    if (now < from) return from - now;
    const wait = this.#local.take(key, this.#share(limits), now, cost);
    if (wait === 0) {
      const id = `${key}\n${now}`;
      this.#localGrants.set(id, (this.#localGrants.get(id) ?? 0) + 1);
    }
    return wait;
  }
}

/**
 * A rate-limit store the application writes itself (shared between processes, or anything that may fail),
 * ready for `rateLimits.store`: each client's limiter runs it behind the store guard above. A client
 * refuses a store that is neither this, a built-in shared store nor MemoryRateLimitStore.
 */
export function guardRateLimitStore(store: RateLimitStore): SharedRateLimitStore {
  return { guarded: (clock, report) => new GuardedStore(store, clock, report) };
}

function describeFault(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[\w.-]{1,64}$/.test(code)) return code;
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Runs one call of a store through its watch: contained and bounded in time, failing at once while the
 * store failed recently. A separate function, so a client that never calls it does not ship it.
 */
export function watchedCall<T>(watch: StoreWatch, operation: string, run: () => T | PromiseLike<T>, now: number): Promise<T> {
  if (watch.resting(now)) return Promise.reject(new StoreUnavailableError(watch.store, operation, "the store failed recently"));
  const unavailable = (error: unknown): StoreUnavailableError => {
    watch.failed(error);
    return isStoreUnavailableError(error) ? error : new StoreUnavailableError(watch.store, operation, describeFault(error));
  };
  let answer: T | PromiseLike<T>;
  try {
    answer = run();
  } catch (error) {
    return Promise.reject(unavailable(error));
  }
  return watch.bounded(Promise.resolve(answer)).then(
    (value) => {
      watch.recovered();
      return value;
    },
    (error: unknown) => {
      throw unavailable(error);
    },
  );
}
