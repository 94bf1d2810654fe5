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
  const db = new Database(target.path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  return { db, owned: true };
}
