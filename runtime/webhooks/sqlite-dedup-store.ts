/**
 * `@switchboard/runtime/webhooks/sqlite`: a durable dedup store in an SQLite file through better-sqlite3 (an
 * optional peer dependency; the runtime core never imports this module). Done events survive a
 * restart, and several processes may share one file: every `begin` is one IMMEDIATE transaction, so
 * SQLite's file lock makes the claim atomic across processes, and an expired lease is taken over in
 * the same upsert that claims a new event.
 */
import type Database from "better-sqlite3";
import { openSqliteTarget, type SqliteTarget } from "../stores/sqlite-file.js";
import { DEFAULT_DONE_TTL_MS, positiveInteger, type DedupBeginResult, type DedupStore } from "./dedup-store.js";

const TABLE = "switchboard_webhook_dedup";

/** Where the store keeps its table: a file it opens (and closes), or a database the application owns. */
export type SqliteDedupStoreTarget = SqliteTarget;

export type SqliteDedupStoreOptions = SqliteDedupStoreTarget & {
  /** How long a done record is remembered, in milliseconds. @default 604800000 (7 days) */
  readonly doneTtlMs?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Expired records are deleted once every this many `begin` calls. @default 1000 */
  readonly pruneEvery?: number;
};

interface Row {
  readonly state: "in_progress" | "done";
}

/**
 * Opened on a path, the store sets WAL mode, `synchronous = FULL` (a done mark is on disk before the
 * provider gets its 2xx) and a 5 s busy timeout for other processes' transactions.
 */
export class SqliteDedupStore implements DedupStore {
  readonly #db: Database.Database;
  readonly #owned: boolean;
  readonly #doneTtlMs: number;
  readonly #now: () => number;
  readonly #pruneEvery: number;
  #begins = 0;
  readonly #begin: (id: string, leaseMs: number, token: string, now: number) => DedupBeginResult;
  readonly #complete: Database.Statement<{ id: string; expiresAt: number }>;
  readonly #release: Database.Statement<{ id: string; token: string }>;
  readonly #prune: Database.Statement<{ now: number }>;

  constructor(options: SqliteDedupStoreOptions) {
    ({ db: this.#db, owned: this.#owned } = openSqliteTarget(options, "SqliteDedupStore"));
    this.#doneTtlMs = positiveInteger("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#pruneEvery = positiveInteger("pruneEvery", options.pruneEvery ?? 1000);
    this.#now = options.now ?? Date.now;

    this.#db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      id TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
      token TEXT,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    const claim = this.#db.prepare<{ id: string; token: string; expiresAt: number; now: number }>(
      `INSERT INTO ${TABLE} (id, state, token, expires_at) VALUES (@id, 'in_progress', @token, @expiresAt)
       ON CONFLICT (id) DO UPDATE SET state = 'in_progress', token = excluded.token, expires_at = excluded.expires_at
       WHERE ${TABLE}.expires_at <= @now`,
    );
    const read = this.#db.prepare<[string], Row>(`SELECT state FROM ${TABLE} WHERE id = ?`);
    const begin = this.#db.transaction((id: string, leaseMs: number, token: string, now: number): DedupBeginResult => {
      if (claim.run({ id, token, expiresAt: now + leaseMs, now }).changes === 1) return "started";
      // The claim changed nothing, so a live record exists, and the transaction keeps it there.
      return read.get(id)?.state ?? "in_progress";
    });
    this.#begin = (...args) => begin.immediate(...args);
    this.#complete = this.#db.prepare(
      `INSERT INTO ${TABLE} (id, state, token, expires_at) VALUES (@id, 'done', NULL, @expiresAt)
       ON CONFLICT (id) DO UPDATE SET state = 'done', token = NULL, expires_at = excluded.expires_at`,
    );
    this.#release = this.#db.prepare(`DELETE FROM ${TABLE} WHERE id = @id AND state = 'in_progress' AND token = @token`);
    this.#prune = this.#db.prepare(`DELETE FROM ${TABLE} WHERE expires_at <= @now`);
  }

  begin(id: string, leaseMs: number, token: string): DedupBeginResult {
    const now = this.#now();
    if (++this.#begins % this.#pruneEvery === 0) this.#prune.run({ now });
    return this.#begin(id, leaseMs, token, now);
  }

  complete(id: string, _token: string): void {
    this.#complete.run({ id, expiresAt: this.#now() + this.#doneTtlMs });
  }

  release(id: string, token: string): void {
    this.#release.run({ id, token });
  }

  /** Deletes expired leases and done records; returns how many. */
  prune(): number {
    return this.#prune.run({ now: this.#now() }).changes;
  }

  /** Closes the database if the store opened it (a `database` passed in stays open). */
  close(): void {
    if (this.#owned) this.#db.close();
  }
}
