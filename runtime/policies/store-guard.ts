/**
 * Contains the faults of a rate-limit store the client does not own (Redis, SQLite, anything shared):
 * every call is caught, an asynchronous one is bounded by a time limit, and none ever rejects into the
 * limiter. While the store fails, the bucket follows what the store declares (`RateLimitStore.onFailure`):
 * fail open on a local share of each bucket's rate (conservative: other processes share the quota), or
 * fail closed with StoreUnavailableError. The first failure and the recovery are reported once each.
 */
import type { Clock } from "../clock.js";
import { isStoreUnavailableError, StoreUnavailableError } from "../errors/errors.js";
import { MemoryRateLimitStore, type BucketLimits, type RateLimitStore, type RateLimitStoreFailure } from "./rate-limit-store.js";

export interface StoreHealthEvent {
  readonly type: "storeFailure" | "storeRecovered";
  readonly store: "rateLimit";
  /** What the store threw, by name or code only: messages of shared stores may carry connection secrets. */
  readonly error?: string;
}

/** How long an asynchronous store call may take before it counts as failed. */
const STORE_TIMEOUT_MS = 1000;
/** While failed, the store is tried again at most this often. */
const STORE_RETRY_MS = 1000;
const DEFAULT_FAILURE_MODE: RateLimitStoreFailure = { mode: "open", share: 0.5 };

export class GuardedStore implements RateLimitStore {
  readonly #store: RateLimitStore;
  readonly #clock: Clock;
  readonly #report: (event: StoreHealthEvent) => void;
  readonly #failure: RateLimitStoreFailure;
  readonly #local = new MemoryRateLimitStore();
  /** Slots the local store granted, by key and start: their completion goes to it. */
  readonly #localGrants = new Set<string>();
  #failedAt: number | undefined;

  constructor(store: RateLimitStore, clock: Clock, report: (event: StoreHealthEvent) => void) {
    this.#store = store;
    this.#clock = clock;
    this.#report = report;
    this.#failure = store.onFailure ?? DEFAULT_FAILURE_MODE;
  }

  take(key: string, limits: BucketLimits, now: number): number | Promise<number> {
    if (this.#failedAt !== undefined && now - this.#failedAt < STORE_RETRY_MS) return this.#localTake(key, limits, now);
    let answer: number | Promise<number>;
    try {
      answer = this.#store.take(key, limits, now);
    } catch (error) {
      this.#failed(error);
      return this.#localTake(key, limits, now, error);
    }
    if (typeof answer === "number") {
      this.#recovered();
      return answer;
    }
    return this.#bounded(answer).then(
      (wait) => {
        this.#recovered();
        return wait;
      },
      (error: unknown) => {
        this.#failed(error);
        return this.#localTake(key, limits, now, error);
      },
    );
  }

  complete(key: string, limits: BucketLimits, startedAt: number, now: number): void | Promise<void> {
    const id = `${key}\n${startedAt}`;
    if (this.#localGrants.delete(id)) return this.#local.complete(key, limits, startedAt, now);
    return this.#call(() => this.#store.complete(key, limits, startedAt, now));
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
      return this.#bounded(done).then(
        () => this.#recovered(),
        (error: unknown) => this.#failed(error),
      );
    } catch (error) {
      this.#failed(error);
    }
  }

  /** `cause`: what the store threw; a StoreUnavailableError of its own (it names the store) is passed on as it is. */
  #localTake(key: string, limits: BucketLimits, now: number, cause?: unknown): number {
    const failure = this.#failure;
    if (failure.mode === "closed") {
      throw isStoreUnavailableError(cause)
        ? cause
        : new StoreUnavailableError("rateLimit", "take", "the rate-limit store is failing and fails closed");
    }
    const share: BucketLimits = {
      rate: limits.rate * failure.share,
      perMs: limits.perMs,
      ...(limits.burst !== undefined && { burst: Math.max(1, Math.floor(limits.burst * failure.share)) }),
    };
    const wait = this.#local.take(key, share, now);
    if (wait === 0) this.#localGrants.add(`${key}\n${now}`);
    return wait;
  }

  #bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.#clock.setTimer(STORE_TIMEOUT_MS, () =>
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

  #failed(error: unknown): void {
    const first = this.#failedAt === undefined;
    this.#failedAt = this.#clock.now();
    if (first) this.#report({ type: "storeFailure", store: "rateLimit", error: describeFault(error) });
  }

  #recovered(): void {
    if (this.#failedAt === undefined) return;
    this.#failedAt = undefined;
    this.#report({ type: "storeRecovered", store: "rateLimit" });
  }
}

function describeFault(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[\w.-]{1,64}$/.test(code)) return code;
  return error instanceof Error ? error.name : typeof error;
}
