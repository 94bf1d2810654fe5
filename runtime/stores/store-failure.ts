/**
 * What a shared store (Redis, an SQLite file) does when it fails: every call runs under a deadline, a
 * failure or a timeout becomes a StoreUnavailableError (no command, key or value in it: token stores
 * hold secrets), and the guard reports the store going down and coming back as events. While the store
 * is down the guard does not try it again for `retryAfterMs`, so a dead server costs no call its
 * deadline; the client library underneath reconnects on its own.
 */
import { ConfigurationError, isStoreUnavailableError, StoreUnavailableError } from "../errors/errors.js";

/**
 * `open`: go on without the shared store (each store says how: a rate limiter falls back to a
 * conservative local share of the budget). `closed`: fail the call with StoreUnavailableError.
 */
export type StoreFailureMode = "open" | "closed";

/** A store went down (its first failure) or came back (its first success after one). */
export type StoreHealthEvent =
  | { readonly type: "storeUnavailable"; readonly store: string; readonly operation: string; readonly reason: string }
  | { readonly type: "storeRecovered"; readonly store: string };

export interface StoreGuardOptions {
  /** Each store call fails after this long. @default 250 */
  readonly timeoutMs?: number;
  /** After a failure, calls fail at once for this long before the store is tried again. @default 1000 */
  readonly retryAfterMs?: number;
  /** Health changes; never called with a secret. */
  readonly onEvent?: (event: StoreHealthEvent) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The message of an error without anything it may carry beside it (ioredis errors carry the command and its arguments). */
function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${error.name} ${code}` : error.name;
  }
  return typeof error;
}

export class StoreGuard {
  readonly #store: string;
  readonly #timeoutMs: number;
  readonly #retryAfterMs: number;
  readonly #onEvent: ((event: StoreHealthEvent) => void) | undefined;
  readonly #now: () => number;
  #downUntil = 0;
  #down = false;

  constructor(store: string, options: StoreGuardOptions = {}) {
    this.#store = store;
    this.#timeoutMs = options.timeoutMs ?? 250;
    this.#retryAfterMs = options.retryAfterMs ?? 1000;
    if (!(this.#timeoutMs > 0) || !(this.#retryAfterMs >= 0))
      throw new ConfigurationError("timeoutMs must be positive and retryAfterMs not negative");
    this.#onEvent = options.onEvent;
    this.#now = options.now ?? Date.now;
  }

  /** Whether the last call failed and the store is not being tried yet. */
  get down(): boolean {
    return this.#down && this.#now() < this.#downUntil;
  }

  /** Runs `call` under the deadline; a failure, a timeout or a store known down rejects with StoreUnavailableError. */
  async run<T>(operation: string, call: () => Promise<T>, timeoutMs = this.#timeoutMs): Promise<T> {
    if (this.down) throw new StoreUnavailableError(this.#store, operation, "the store is unavailable (failed recently)");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = call();
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(this.#store, operation, `no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const value = await Promise.race([pending, timeout]);
      if (this.#down) {
        this.#down = false;
        this.#onEvent?.({ type: "storeRecovered", store: this.#store });
      }
      return value;
    } catch (error) {
      pending.catch(() => undefined); // a late failure of the abandoned call is no unhandled rejection
      const failure = isStoreUnavailableError(error) ? error : new StoreUnavailableError(this.#store, operation, reasonOf(error));
      this.#downUntil = this.#now() + this.#retryAfterMs;
      if (!this.#down) {
        this.#down = true;
        this.#onEvent?.({ type: "storeUnavailable", store: this.#store, operation, reason: failure.message });
      }
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }
}
