/** SqliteInbox keeps the inbox contract; an acknowledged event survives closing and reopening the file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteInbox } from "../../../../runtime/webhooks/inbox/sqlite-inbox.js";
import { describeInboxContract } from "./inbox-contract.js";

const directory = mkdtempSync(join(tmpdir(), "switchboard-inbox-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
describeInboxContract("SqliteInbox", () => {
  let now = 1_700_000_000_000;
  const inbox = new SqliteInbox({ path: join(directory, `contract-${files++}.db`), now: () => now });
  return { inbox, advance: (ms) => (now += ms), close: () => inbox.close() };
});

describe("SqliteInbox", () => {
  it("opens the file in WAL mode with synchronous FULL, so an acknowledged event is on disk", () => {
    const path = join(directory, "pragmas.db");
    const inbox = new SqliteInbox({ path });
    const db = new Database(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    inbox.close();
  });

  it("an event stored before the inbox was closed is claimed after it is reopened", async () => {
    const path = join(directory, "reopen.db");
    const first = new SqliteInbox({ path });
    expect(await first.enqueue({ id: "evt_1", orderKey: "obj", event: "{}", receivedAt: 5 })).toBe("stored");
    first.close();
    const second = new SqliteInbox({ path });
    expect(second.claim({ token: "t", leaseMs: 1000, maxAttempts: 3 })).toMatchObject({ id: "evt_1", orderKey: "obj", receivedAt: 5 });
    second.close();
  });

  it("prunes done events past doneTtlMs, after which a redelivery is stored again", async () => {
    let now = 1000;
    const inbox = new SqliteInbox({ path: join(directory, "prune.db"), doneTtlMs: 100, now: () => now });
    await inbox.enqueue({ id: "evt_1", orderKey: undefined, event: "{}", receivedAt: 1 });
    inbox.claim({ token: "t", leaseMs: 1000, maxAttempts: 3 });
    inbox.complete("evt_1", "t");
    now += 99;
    expect(inbox.prune()).toBe(0);
    now += 1;
    expect(inbox.prune()).toBe(1);
    expect(await inbox.enqueue({ id: "evt_1", orderKey: undefined, event: "{}", receivedAt: 1 })).toBe("stored");
    inbox.close();
  });

  it("enqueues arriving in one turn share one transaction: all stored, duplicates within the batch told apart", async () => {
    const inbox = new SqliteInbox({ path: join(directory, "batch.db") });
    const entry = (id: string) => ({ id, orderKey: "obj", event: "{}", receivedAt: 1 });
    expect(await Promise.all([inbox.enqueue(entry("a")), inbox.enqueue(entry("b")), inbox.enqueue(entry("a"))])).toEqual([
      "stored",
      "stored",
      "duplicate",
    ]);
    expect(inbox.counts().pending).toBe(2);
    inbox.close();
  });

  it("a batch whose transaction fails rejects every enqueue in it: none is acknowledged, none stored", async () => {
    const path = join(directory, "locked.db");
    const database = new Database(path);
    database.pragma("journal_mode = WAL");
    database.pragma("busy_timeout = 0");
    const inbox = new SqliteInbox({ database });
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE"); // another process holds the write lock
    const entry = (id: string) => ({ id, orderKey: undefined, event: "{}", receivedAt: 1 });
    const answers = await Promise.allSettled([inbox.enqueue(entry("a")), inbox.enqueue(entry("b"))]);
    expect(answers.map((a) => a.status)).toEqual(["rejected", "rejected"]);
    holder.exec("ROLLBACK");
    holder.close();
    expect(inbox.counts().pending).toBe(0);
    expect(await inbox.enqueue(entry("a"))).toBe("stored");
    database.close();
  });

  it("needs a path or a database", () => {
    expect(() => new SqliteInbox({} as never)).toThrow(expect.objectContaining({ code: "configuration" }));
  });
});
