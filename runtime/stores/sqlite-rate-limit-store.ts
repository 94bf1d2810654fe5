/**
 * `@switchboard/runtime/rate-limit/sqlite`: a RateLimitStore in an SQLite file (better-sqlite3, an
 * optional peer), shared by the processes of one machine with no server. Each operation is one
 * IMMEDIATE transaction, so SQLite's file lock makes it atomic across processes; the file is in WAL
 * mode with `synchronous = NORMAL` (a lost budget after a power cut only makes the limiter wait).
 * The algorithm is the Redis store's: a sliding window of slots held from a request's start until one
 * window after it completed (taken back after `inFlightLeaseMs` when their process died), or a token
 * bucket when a burst is declared; the provider's count and 429 pauses apply to every process.
 */
import type Database from "better-sqlite3";
import { openWalDatabase } from "./sqlite-file.js";
import { ConfigurationError } from "../errors/errors.js";
import type { Clock } from "../clock.js";
import type { BucketLimits, RateLimitStore, SharedRateLimitStore } from "../policies/rate-limit-store.js";
import { GuardedStore, type StoreHealthEvent } from "../policies/store-guard.js";
import { pollWhenFullMs, sharedWindowSlots, slidingWindowMs, SlotLedger } from "./slot-ledger.js";

export interface SqliteRateLimitStoreOptions {
  /** The database file; created when missing. Every process of the machine names the same one. */
  readonly path: string;
  /** A slot held longer than this by a request in flight is taken back (its process died). @default 300000 (5 minutes) */
  readonly inFlightLeaseMs?: number;
  /** Epoch ms; every process on the machine reads the same clock. @default Date.now */
  readonly now?: () => number;
}

interface BucketRow {
  readonly paused: number;
  readonly remaining: number;
  readonly reset_at: number;
  readonly tokens: number | null;
  readonly refilled_at: number;
  readonly slots_created: number;
}

export class SqliteRateLimitStore implements RateLimitStore, SharedRateLimitStore {
  readonly #db: Database.Database;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #ledger = new SlotLedger<number>();
  readonly #take: (key: string, limits: BucketLimits, now: number, cost: number) => [number, number];
  readonly #reprice: (key: string, difference: number, capacity: number) => void;
  readonly #complete: (key: string, slot: number, now: number) => void;
  readonly #sync: (key: string, remaining: number, resetAt: number, now: number) => void;
  readonly #pause: (key: string, until: number) => void;

  constructor(options: SqliteRateLimitStoreOptions) {
    if (typeof options.path !== "string" || options.path === "") throw new ConfigurationError("SqliteRateLimitStore needs a path");
    this.#leaseMs = options.inFlightLeaseMs ?? 300_000;
    this.#now = options.now ?? Date.now;
    const db = openWalDatabase(options.path, "NORMAL");
    this.#db = db;
    db.exec(`CREATE TABLE IF NOT EXISTS switchboard_rate_buckets (
      key TEXT PRIMARY KEY, paused REAL NOT NULL DEFAULT 0, remaining REAL NOT NULL DEFAULT 0,
      reset_at REAL NOT NULL DEFAULT 0, tokens REAL, refilled_at REAL NOT NULL DEFAULT 0,
      slots_created INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS switchboard_rate_slots (
      key TEXT NOT NULL, slot INTEGER NOT NULL, free_at REAL NOT NULL, started_at REAL,
      PRIMARY KEY (key, slot)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS switchboard_rate_slots_free ON switchboard_rate_slots (key, started_at, free_at);`);
    const ensure = db.prepare<[string]>(`INSERT INTO switchboard_rate_buckets (key) VALUES (?) ON CONFLICT (key) DO NOTHING`);
    const read = db.prepare<[string], BucketRow>(`SELECT * FROM switchboard_rate_buckets WHERE key = ?`);
    const setField = (field: string) => db.prepare<[number, string]>(`UPDATE switchboard_rate_buckets SET ${field} = ? WHERE key = ?`);
    const setRemaining = setField("remaining");
    const setSlotsCreated = setField("slots_created");
    const setBucket = db.prepare<[number, number, string]>(`UPDATE switchboard_rate_buckets SET tokens = ?, refilled_at = ? WHERE key = ?`);
    const setCount = db.prepare<[number, number, string]>(`UPDATE switchboard_rate_buckets SET remaining = ?, reset_at = ? WHERE key = ?`);
    const setPaused = setField("paused");
    const reclaim = db.prepare<[number, string, number]>(
      `UPDATE switchboard_rate_slots SET free_at = ?, started_at = NULL WHERE key = ? AND started_at IS NOT NULL AND started_at <= ?`,
    );
    const freest = db.prepare<[string], { slot: number; free_at: number }>(
      `SELECT slot, free_at FROM switchboard_rate_slots WHERE key = ? AND started_at IS NULL ORDER BY free_at LIMIT 1`,
    );
    const hold = db.prepare<[string, number, number, number]>(
      `INSERT INTO switchboard_rate_slots (key, slot, free_at, started_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key, slot) DO UPDATE SET started_at = excluded.started_at`,
    );
    const free = db.prepare<[number, string, number]>(
      `UPDATE switchboard_rate_slots SET free_at = ?, started_at = NULL WHERE key = ? AND slot = ? AND started_at IS NOT NULL`,
    );

    const take = db.transaction((key: string, limits: BucketLimits, now: number, cost: number): [number, number] => {
      ensure.run(key);
      const row = read.get(key)!;
      if (now < row.paused) return [row.paused - now, -1];
      const knows = now < row.reset_at;
      const needed = Math.min(cost, limits.burst ?? limits.rate);
      if (knows && (row.remaining <= 0 || row.remaining < needed)) return [row.reset_at - now, -1];
      const slots = sharedWindowSlots(limits.rate, limits.burst);
      let slot = -1;
      if (slots > 0) {
        const windowMs = slidingWindowMs(limits.rate, limits.perMs, slots);
        reclaim.run(now, key, now - this.#leaseMs);
        let freeAt = now - windowMs;
        const fresh = row.slots_created < slots;
        if (fresh) slot = row.slots_created;
        else {
          const head = freest.get(key);
          if (head) [slot, freeAt] = [head.slot, head.free_at];
        }
        if (!knows) {
          if (slot < 0) return [pollWhenFullMs(limits.rate, limits.perMs), -1];
          const wait = freeAt + windowMs - now;
          if (wait > 0) return [Math.ceil(wait), -1];
        }
        if (slot >= 0) {
          if (fresh) setSlotsCreated.run(slot + 1, key);
          hold.run(key, slot, freeAt, now);
        }
      } else {
        const capacity = limits.burst ?? limits.rate;
        const before = row.tokens ?? capacity;
        const refilledAt = row.tokens === null ? now : row.refilled_at;
        const tokens = Math.min(capacity, before + ((now - refilledAt) * limits.rate) / limits.perMs);
        if (!knows && tokens < needed) {
          setBucket.run(tokens, now, key);
          return [Math.ceil(((needed - tokens) * limits.perMs) / limits.rate), -1];
        }
        setBucket.run(Math.max(0, tokens - cost), now, key);
      }
      if (knows) setRemaining.run(row.remaining - cost, key);
      return [0, slot];
    });
    this.#take = (...args) => take.immediate(...args);
    const setTokens = setField("tokens");
    const reprice = db.transaction((key: string, difference: number, capacity: number) => {
      const tokens = read.get(key)?.tokens;
      if (tokens !== null && tokens !== undefined) setTokens.run(Math.max(0, Math.min(capacity, tokens + difference)), key);
    });
    this.#reprice = (...args) => reprice.immediate(...args);
    this.#complete = (key, slot, now) => void free.run(now, key, slot);
    const sync = db.transaction((key: string, remaining: number, resetAt: number, now: number) => {
      ensure.run(key);
      const row = read.get(key)!;
      let next = Math.max(0, remaining);
      let reset = resetAt;
      // Within one provider window the lowest count wins (answers of several processes arrive out of order).
      if (now < row.reset_at) [next, reset] = [Math.min(next, row.remaining), Math.max(reset, row.reset_at)];
      setCount.run(next, reset, key);
    });
    this.#sync = (...args) => sync.immediate(...args);
    const pause = db.transaction((key: string, until: number) => {
      ensure.run(key);
      if (until > read.get(key)!.paused) setPaused.run(until, key);
    });
    this.#pause = (...args) => pause.immediate(...args);
  }

  /** This store behind the client's store guard: a locked or failing file fails open on a local share. */
  guarded(clock: Clock, report: (event: StoreHealthEvent) => void): RateLimitStore {
    return new GuardedStore(this, clock, report);
  }

  take(key: string, limits: BucketLimits, now: number, cost = 1): number {
    // The file's clock, not the caller's: every process of the machine reads the same one.
    const at = this.#now();
    const [wait, slot] = this.#take(key, limits, at, cost);
    if (wait === 0) this.#ledger.add(key, now, slot);
    return wait;
  }

  complete(key: string, limits: BucketLimits, startedAt: number, _now: number, cost = 1, charged = cost): void {
    const slot = this.#ledger.take(key, startedAt);
    if (slot === undefined) return;
    if (slot >= 0) this.#complete(key, slot, this.#now());
    // A token bucket charged the request when it was taken: the answer's own cost corrects it.
    else if (charged !== cost) this.#reprice(key, cost - charged, limits.burst ?? limits.rate);
  }

  sync(key: string, remaining: number, resetAt: number, now: number): void {
    if (resetAt > now) this.#sync(key, remaining, resetAt - now + this.#now(), this.#now());
  }

  pause(key: string, until: number): void {
    this.#pause(key, until);
  }

  close(): void {
    this.#db.close();
  }
}
