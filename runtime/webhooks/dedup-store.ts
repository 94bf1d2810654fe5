/**
 * Where the handler runner remembers which events it is handling and which it has handled, so that a
 * redelivered or concurrently duplicated event runs its handler once. The memory store below is the
 * default; `@switchboard/runtime/webhooks/sqlite` holds a durable one that survives a restart.
 */
import { ConfigurationError, hasCode, SwitchboardError } from "../errors/errors.js";
import type { StoreFaultMode } from "../policies/store-guard.js";

/** What `begin` found: `started` means the caller now holds the lease and must `complete` or `release`. */
export type DedupBeginResult = "started" | "in_progress" | "done";

/** A value, or a promise of it: stores may be synchronous (memory, SQLite) or not (a network store). */
export type Awaitable<T> = T | Promise<T>;

/**
 * The contract every dedup store keeps. Records are keyed by event id and are either *in progress*
 * (held by one lease owner until `leaseMs` after `begin`) or *done* (until the store's TTL for done
 * records). Each method must be atomic with respect to every other caller of the same store, including
 * other processes where the store is shared.
 */
export interface DedupStore {
  /**
   * Claims `id` for `leaseMs` milliseconds on behalf of `token` (a value unique to this attempt).
   * Returns `started` when there was no record, or only an expired lease or an expired done record;
   * `in_progress` when another attempt holds a live lease; `done` when the event was handled.
   */
  begin(id: string, leaseMs: number, token: string): Awaitable<DedupBeginResult>;
  /**
   * Marks `id` done, whoever holds the lease: the handler ran to the end, which is the fact that
   * matters, even if its lease expired meanwhile and another attempt took over.
   */
  complete(id: string, token: string): Awaitable<void>;
  /**
   * Drops the lease so the next delivery runs the handler again. Does nothing unless `id` is in
   * progress under this `token`: a late release never frees a lease another attempt took over, and
   * never forgets a done event.
   */
  release(id: string, token: string): Awaitable<void>;
  /**
   * What the handler runner does when this store fails (throws, rejects, or gives no answer within the
   * runner's `storeTimeoutMs`). `closed` (the default): 503 `dedup_unavailable`, the handler not run, so
   * the provider redelivers later. `open`: the handler runs without deduplication (at least once).
   */
  readonly onFailure?: StoreFaultMode | undefined;
}

/** The memory store is full of live leases and cannot take another event without risking a double run. */
export class DedupStoreFullError extends SwitchboardError {
  static override readonly errorName: string = "DedupStoreFullError";
  static override readonly code = "dedup_store_full";
  constructor(maxEntries: number) {
    super(DedupStoreFullError.code, `the dedup store holds ${maxEntries} events in progress and no done or expired record to evict`);
  }
}

export function isDedupStoreFullError(value: unknown): value is DedupStoreFullError {
  return hasCode(value, DedupStoreFullError.code);
}

/** Seven days: longer than Stripe's three days of automatic retries and Svix's schedule. */
export const DEFAULT_DONE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface MemoryDedupStoreOptions {
  /**
   * The most records kept. When full, expired records go first, then the oldest done ones; live
   * leases are never evicted (a `begin` that finds only live leases throws `DedupStoreFullError`).
   * @default 10000
   */
  readonly maxEntries?: number;
  /** How long a done record is remembered, in milliseconds. @default 604800000 (7 days) */
  readonly doneTtlMs?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

interface MemoryRecord {
  readonly state: "in_progress" | "done";
  readonly token: string | undefined;
  readonly expiresAt: number;
}

/**
 * A dedup store in this process's memory: bounded, with a TTL for done records and an injectable
 * clock. It forgets everything on restart and is not shared between processes; use the SQLite store
 * (`@switchboard/runtime/webhooks/sqlite`) where that matters.
 */
export class MemoryDedupStore implements DedupStore {
  readonly #records = new Map<string, MemoryRecord>();
  readonly #maxEntries: number;
  readonly #doneTtlMs: number;
  readonly #now: () => number;

  constructor(options: MemoryDedupStoreOptions = {}) {
    this.#maxEntries = positiveInteger("maxEntries", options.maxEntries ?? 10_000);
    this.#doneTtlMs = positiveInteger("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#now = options.now ?? Date.now;
  }

  /** How many records are held, expired ones included until they are swept. */
  get size(): number {
    return this.#records.size;
  }

  begin(id: string, leaseMs: number, token: string): DedupBeginResult {
    const now = this.#now();
    const record = this.#records.get(id);
    if (record && record.expiresAt > now) return record.state;
    if (record) this.#records.delete(id);
    else this.#makeRoom(now);
    this.#records.set(id, { state: "in_progress", token, expiresAt: now + leaseMs });
    return "started";
  }

  complete(id: string, _token: string): void {
    // Delete first so the done record moves to the end of the insertion order: eviction takes the
    // records that were completed longest ago.
    const existed = this.#records.delete(id);
    if (!existed) this.#makeRoom(this.#now());
    this.#records.set(id, { state: "done", token: undefined, expiresAt: this.#now() + this.#doneTtlMs });
  }

  release(id: string, token: string): void {
    const record = this.#records.get(id);
    if (record?.state === "in_progress" && record.token === token) this.#records.delete(id);
  }

  #makeRoom(now: number): void {
    if (this.#records.size < this.#maxEntries) return;
    for (const [id, record] of this.#records) if (record.expiresAt <= now) this.#records.delete(id);
    if (this.#records.size < this.#maxEntries) return;
    for (const [id, record] of this.#records) {
      if (record.state === "done") {
        this.#records.delete(id);
        return;
      }
    }
    throw new DedupStoreFullError(this.#maxEntries);
  }
}

/** Checks a duration or count option; shared by the stores and the handler runner. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}
