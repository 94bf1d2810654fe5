/**
 * `@switchboard/runtime/webhooks/inbox/sqlite`: the embedded webhook inbox, one SQLite file (through
 * better-sqlite3, an optional peer) shared by the processes of one machine, in WAL mode. Every state
 * change is one transaction (a claim is one IMMEDIATE transaction), so SQLite's file lock makes each
 * atomic across processes.
 *
 * Durability: `enqueue` resolves once its transaction is committed with `synchronous = FULL` (the WAL
 * fsynced), so an acknowledged delivery survives a process kill and a power cut. Enqueues that arrive
 * in the same turn of the event loop share one transaction and one fsync (a group commit); if it
 * fails, none of them is acknowledged. A file the inbox opens runs the workers' changes (claims,
 * outcomes) with `synchronous = NORMAL`: they survive a process kill, and a power cut can at worst undo
 * the last ones, which runs those events again (the next fsync of an enqueue makes them durable too).
 */
import type Database from "better-sqlite3";
import { openSqliteTarget, type SqliteTarget } from "../../stores/sqlite-file.js";
import { DEFAULT_DONE_TTL_MS, positiveInteger } from "../dedup-store.js";
import type { ClaimOptions, DeadLetter, InboxClaim, InboxCounts, InboxEntry, WebhookInbox } from "./inbox.js";

const TABLE = "switchboard_webhook_inbox";

export type SqliteInboxOptions = SqliteTarget & {
  /** How long a done event is remembered (a redelivery of it is a duplicate), in ms. @default 604800000 (7 days) */
  readonly doneTtlMs?: number;
  /** Done events past their TTL are deleted once every this many `enqueue` calls. @default 1000 */
  readonly pruneEvery?: number;
  /** The clock, epoch ms; every process of the machine reads the same one. @default Date.now */
  readonly now?: () => number;
};

interface Row {
  readonly seq: number;
  readonly id: string;
  readonly order_key: string | null;
  readonly event: string;
  readonly received_at: number;
  readonly attempts: number;
  readonly finished_at: number | null;
  readonly error: string | null;
}

const LEASE_RAN_OUT = "the lease expired on the last attempt (the worker stopped, or the handler ran longer than leaseMs)";

export class SqliteInbox implements WebhookInbox {
  readonly #db: Database.Database;
  readonly #owned: boolean;
  readonly #now: () => number;
  readonly #doneTtlMs: number;
  readonly #pruneEvery: number;
  #enqueues = 0;
  /** The connection's `synchronous` level outside an enqueue (1 NORMAL, 2 FULL, 3 EXTRA). */
  readonly #synchronous: number;
  #batch: {
    readonly entry: InboxEntry;
    readonly resolve: (stored: "stored" | "duplicate") => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  readonly #enqueueMany: (entries: readonly InboxEntry[], now: number) => ("stored" | "duplicate")[];
  readonly #enqueue: Database.Statement<[string, string | null, string, number, number]>;
  readonly #claim: (options: ClaimOptions, now: number) => InboxClaim | undefined;
  readonly #complete: Database.Statement<[number, string, string]>;
  readonly #retry: Database.Statement<[number, string, string, string]>;
  readonly #renew: Database.Statement<[number, string, string]>;
  readonly #dead: Database.Statement<[number, string, string, string]>;
  readonly #deadLetters: Database.Statement<[], Row>;
  readonly #replay: (id: string, now: number) => boolean;
  readonly #counts: Database.Statement<[], { state: string; n: number }>;
  readonly #prune: Database.Statement<[number]>;

  constructor(options: SqliteInboxOptions) {
    ({ db: this.#db, owned: this.#owned } = openSqliteTarget(options, "SqliteInbox"));
    if (this.#owned) this.#db.pragma("synchronous = NORMAL");
    this.#synchronous = Number(this.#db.pragma("synchronous", { simple: true }));
    this.#now = options.now ?? Date.now;
    this.#doneTtlMs = positiveInteger("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#pruneEvery = positiveInteger("pruneEvery", options.pruneEvery ?? 1000);
    const db = this.#db;
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      order_key TEXT,
      state TEXT NOT NULL CHECK (state IN ('pending', 'leased', 'done', 'dead')),
      event TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      available_at INTEGER NOT NULL,
      token TEXT,
      lease_until INTEGER,
      finished_at INTEGER,
      error TEXT
    );
    CREATE INDEX IF NOT EXISTS ${TABLE}_due ON ${TABLE} (state, available_at);
    CREATE INDEX IF NOT EXISTS ${TABLE}_lease ON ${TABLE} (state, lease_until);
    CREATE INDEX IF NOT EXISTS ${TABLE}_active_key ON ${TABLE} (order_key, seq) WHERE state IN ('pending', 'leased');`);

    this.#enqueue = db.prepare(
      `INSERT INTO ${TABLE} (id, order_key, state, event, received_at, available_at) VALUES (?, ?, 'pending', ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    const enqueueMany = db.transaction((entries: readonly InboxEntry[], now: number) =>
      entries.map((entry) =>
        this.#enqueue.run(entry.id, entry.orderKey ?? null, entry.event, entry.receivedAt, now).changes === 1 ? "stored" : "duplicate",
      ),
    );
    this.#enqueueMany = (entries, now) => this.#durably(() => enqueueMany.immediate(entries, now));
    const expire = db.prepare<[number, string, number, number]>(
      `UPDATE ${TABLE} SET state = 'dead', token = NULL, lease_until = NULL, finished_at = ?, error = ?
       WHERE state = 'leased' AND lease_until <= ? AND attempts >= ?`,
    );
    // The oldest runnable event: due (or under an expired lease) and first among its key's active events.
    const next = db.prepare<{ now: number }, Row>(
      `SELECT seq, id, order_key, event, received_at, attempts FROM ${TABLE} AS e
       WHERE ((state = 'pending' AND available_at <= @now) OR (state = 'leased' AND lease_until <= @now))
         AND (order_key IS NULL OR NOT EXISTS (SELECT 1 FROM ${TABLE} AS p
           WHERE p.order_key = e.order_key AND p.seq < e.seq AND p.state IN ('pending', 'leased')))
       ORDER BY seq LIMIT 1`,
    );
    const lease = db.prepare<[string, number, number]>(
      `UPDATE ${TABLE} SET state = 'leased', token = ?, lease_until = ?, attempts = attempts + 1 WHERE seq = ?`,
    );
    const claim = db.transaction((options: ClaimOptions, now: number): InboxClaim | undefined => {
      expire.run(now, LEASE_RAN_OUT, now, options.maxAttempts);
      const row = next.get({ now });
      if (row === undefined) return undefined;
      lease.run(options.token, now + options.leaseMs, row.seq);
      return { ...entryOf(row), token: options.token, attempt: row.attempts + 1 };
    });
    this.#claim = (...args) => claim.immediate(...args);
    this.#complete = db.prepare(
      `UPDATE ${TABLE} SET state = 'done', token = NULL, lease_until = NULL, finished_at = ?, error = NULL
       WHERE id = ? AND state = 'leased' AND token = ?`,
    );
    this.#retry = db.prepare(
      `UPDATE ${TABLE} SET state = 'pending', token = NULL, lease_until = NULL, available_at = ?, error = ?
       WHERE id = ? AND state = 'leased' AND token = ?`,
    );
    this.#renew = db.prepare(`UPDATE ${TABLE} SET lease_until = ? WHERE id = ? AND state = 'leased' AND token = ?`);
    this.#dead = db.prepare(
      `UPDATE ${TABLE} SET state = 'dead', token = NULL, lease_until = NULL, finished_at = ?, error = ?
       WHERE id = ? AND state = 'leased' AND token = ?`,
    );
    this.#deadLetters = db.prepare(`SELECT * FROM ${TABLE} WHERE state = 'dead' ORDER BY seq`);
    const findDead = db.prepare<[string], Row>(`SELECT * FROM ${TABLE} WHERE id = ? AND state = 'dead'`);
    const remove = db.prepare<[number]>(`DELETE FROM ${TABLE} WHERE seq = ?`);
    // A replayed event is stored again under a new seq: behind everything stored so far, so a key's
    // order by seq stays the order its events may run in.
    const replay = db.transaction((id: string, now: number): boolean => {
      const row = findDead.get(id);
      if (row === undefined) return false;
      remove.run(row.seq);
      this.#enqueue.run(row.id, row.order_key, row.event, row.received_at, now);
      return true;
    });
    this.#replay = (...args) => this.#durably(() => replay.immediate(...args));
    this.#counts = db.prepare(`SELECT state, COUNT(*) AS n FROM ${TABLE} GROUP BY state`);
    this.#prune = db.prepare(`DELETE FROM ${TABLE} WHERE state = 'done' AND finished_at <= ?`);
  }

  /** Resolves once the entry is on disk (or rejects, and then nothing of its batch was stored). */
  enqueue(entry: InboxEntry): Promise<"stored" | "duplicate"> {
    return new Promise((resolve, reject) => {
      this.#batch.push({ entry, resolve, reject });
      if (this.#batch.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#batch;
    this.#batch = [];
    try {
      if ((this.#enqueues += batch.length) >= this.#pruneEvery) {
        this.#enqueues = 0;
        this.prune();
      }
      const results = this.#enqueueMany(
        batch.map((b) => b.entry),
        this.#now(),
      );
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  /** Runs `commit` with `synchronous = FULL` at least: its commit is fsynced before it returns. */
  #durably<T>(commit: () => T): T {
    if (this.#synchronous >= 2) return commit();
    this.#db.pragma("synchronous = FULL");
    try {
      return commit();
    } finally {
      this.#db.pragma(`synchronous = ${this.#synchronous}`);
    }
  }

  claim(options: ClaimOptions): InboxClaim | undefined {
    return this.#claim(options, this.#now());
  }

  complete(id: string, token: string): boolean {
    return this.#complete.run(this.#now(), id, token).changes === 1;
  }

  retry(id: string, token: string, delayMs: number, error: string): boolean {
    return this.#retry.run(this.#now() + Math.max(0, delayMs), error, id, token).changes === 1;
  }

  renew(id: string, token: string, leaseMs: number): boolean {
    return this.#renew.run(this.#now() + leaseMs, id, token).changes === 1;
  }

  deadLetter(id: string, token: string, error: string): boolean {
    return this.#dead.run(this.#now(), error, id, token).changes === 1;
  }

  deadLetters(): DeadLetter[] {
    return this.#deadLetters.all().map((row) => ({
      ...entryOf(row),
      attempts: row.attempts,
      failedAt: row.finished_at ?? 0,
      error: row.error ?? "",
    }));
  }

  replay(id: string): boolean {
    return this.#replay(id, this.#now());
  }

  counts(): InboxCounts {
    const counts = { pending: 0, leased: 0, done: 0, dead: 0 };
    for (const { state, n } of this.#counts.all()) counts[state as keyof InboxCounts] = n;
    return counts;
  }

  /** Deletes done events past their TTL; returns how many. */
  prune(): number {
    return this.#prune.run(this.#now() - this.#doneTtlMs).changes;
  }

  /** Stores the enqueues still waiting for their turn, then closes the database if the inbox opened it (a `database` passed in stays open). */
  close(): void {
    if (this.#batch.length > 0) this.#flush();
    if (this.#owned) this.#db.close();
  }
}

function entryOf(row: Row): InboxEntry {
  return { id: row.id, orderKey: row.order_key ?? undefined, event: row.event, receivedAt: row.received_at };
}
