/**
 * Opening the SQLite database of a durable store (better-sqlite3, an optional peer: only the modules of
 * the SQLite stores import this file): a file the store opens and later closes, in WAL mode with
 * `synchronous = FULL` (a commit is on disk before it returns) and a 5 s busy timeout for other
 * processes' transactions; or a database the application owns and configures.
 */
import Database from "better-sqlite3";
import { ConfigurationError } from "../errors/errors.js";

/** Where a store keeps its tables: a file it opens (and closes), or a database the application owns. */
export type SqliteTarget =
  { readonly path: string; readonly database?: never } | { readonly database: Database.Database; readonly path?: never };

export function openSqliteTarget(target: SqliteTarget, store: string): { readonly db: Database.Database; readonly owned: boolean } {
  if (target.database !== undefined) return { db: target.database, owned: false };
  if (typeof target.path !== "string" || target.path === "") throw new ConfigurationError(`${store} needs a path or a database`);
  return { db: openWalDatabase(target.path, "FULL"), owned: true };
}

/**
 * Opens `path` in WAL mode with a 5 s busy timeout. Processes that open one file at the same moment
 * contend for the switch to WAL, which SQLite can answer SQLITE_BUSY without waiting: the switch is
 * tried again for up to 5 s (once a file is in WAL mode, the switch is a no-op).
 */
export function openWalDatabase(path: string, synchronous: "FULL" | "NORMAL"): Database.Database {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS }); // better-sqlite3 sets busy_timeout from it
  const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= giveUpAt) {
        db.close();
        throw error;
      }
      Atomics.wait(PAUSE, 0, 0, wait); // a synchronous pause: the constructor that opens the file is synchronous
    }
  }
  db.pragma(`synchronous = ${synchronous}`);
  return db;
}

const BUSY_TIMEOUT_MS = 5000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
