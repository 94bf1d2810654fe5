import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isConfigurationError } from "../../../runtime/index.js";
import { SqliteDedupStore } from "../../../runtime/webhooks/sqlite-dedup-store.js";
import { startDedupWorker } from "../../helpers/dedup-worker.js";
import { describeDedupStoreContract } from "../../runtime/webhooks/dedup-store-contract.js";

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "switchboard-dedup-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(directory, `dedup-${++files}.db`);

function clock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describeDedupStoreContract("SqliteDedupStore", (doneTtlMs) => {
  const { now, advance } = clock();
  const store = new SqliteDedupStore({ path: freshPath(), doneTtlMs, now });
  return { store, advance, close: () => store.close() };
});

describe("SqliteDedupStore keeps its records in the file", () => {
  it("a new store instance on the same file sees done events and live leases after the first one is closed", () => {
    const path = freshPath();
    const { now, advance } = clock();
    const first = new SqliteDedupStore({ path, now });
    first.begin("evt_done", 60_000, "a");
    first.complete("evt_done", "a");
    first.begin("evt_running", 60_000, "a");
    first.close();
    const second = new SqliteDedupStore({ path, now });
    expect(second.begin("evt_done", 60_000, "b")).toBe("done");
    expect(second.begin("evt_running", 60_000, "b")).toBe("in_progress");
    advance(60_000);
    expect(second.begin("evt_running", 60_000, "b")).toBe("started");
    second.close();
  });

  it("two open connections to one file never both start the same event", () => {
    const path = freshPath();
    const stores = [new SqliteDedupStore({ path }), new SqliteDedupStore({ path })];
    const results = Array.from({ length: 20 }, (_, index) => stores[index % 2]!.begin("evt_1", 60_000, `t${index}`));
    expect(results.filter((result) => result === "started")).toHaveLength(1);
    for (const store of stores) store.close();
  });

  it("prune deletes expired leases and done records and keeps live ones", () => {
    const { now, advance } = clock();
    const store = new SqliteDedupStore({ path: freshPath(), now, doneTtlMs: 5000 });
    store.begin("done", 1000, "t");
    store.complete("done", "t");
    store.begin("crashed", 1000, "t");
    store.begin("live", 60_000, "t");
    advance(5000);
    expect(store.prune()).toBe(2);
    expect(store.begin("live", 60_000, "u")).toBe("in_progress");
    store.close();
  });

  it("uses a database the application owns and leaves it open on close", () => {
    const database = new Database(":memory:");
    const store = new SqliteDedupStore({ database });
    expect(store.begin("evt_1", 1000, "t")).toBe("started");
    store.close();
    expect(database.prepare("SELECT count(*) AS n FROM switchboard_webhook_dedup").get()).toEqual({ n: 1 });
    database.close();
  });

  it("rejects options without a path or database with a ConfigurationError", () => {
    expect(() => new SqliteDedupStore({ path: "" })).toThrow("SqliteDedupStore needs a path or a database");
    try {
      new SqliteDedupStore({ path: "" });
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
    }
  });
});

describe("SqliteDedupStore across a real process restart (child processes on loopback, built package)", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });
  const startWorker = (env: Record<string, string>) => startDedupWorker(env, children);

  const post = (url: string, event: Record<string, unknown>) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) });

  const lines = (log: string) =>
    existsSync(log)
      ? readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((line) => line.split(" ").slice(0, 2).join(" "))
      : [];

  it("a done event is not run again by a new process on the same file after the first was killed", async () => {
    const env = { DB_PATH: freshPath(), LOG_PATH: join(directory, `log-${files}.txt`) };
    const first = await startWorker(env);
    const response = await post(first.url, { id: "evt_1", type: "invoice.paid" });
    expect(response.status).toBe(200);
    await first.kill();

    const second = await startWorker(env);
    const again = await post(second.url, { id: "evt_1", type: "invoice.paid" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(lines(env.LOG_PATH)).toEqual(["start evt_1", "done evt_1"]);
  });

  it("an event whose worker was killed mid-handler stays leased after a restart, and is taken over once the lease has expired", async () => {
    const env = { DB_PATH: freshPath(), LOG_PATH: join(directory, `log-${files}.txt`), LEASE_MS: "60000" };
    const first = await startWorker(env);
    void post(first.url, { id: "evt_2", type: "invoice.paid", hang: true }).catch(() => {});
    await expect.poll(() => lines(env.LOG_PATH), { timeout: 30_000 }).toEqual(["start evt_2"]);
    await first.kill();

    const restarted = await startWorker(env);
    const during = await post(restarted.url, { id: "evt_2", type: "invoice.paid" });
    expect(during.status).toBe(409);
    await restarted.kill();

    const later = await startWorker({ ...env, CLOCK_OFFSET_MS: "60001" });
    const after = await post(later.url, { id: "evt_2", type: "invoice.paid" });
    expect(after.status).toBe(200);
    expect(lines(env.LOG_PATH)).toEqual(["start evt_2", "start evt_2", "done evt_2"]);
    expect((await post(later.url, { id: "evt_2", type: "invoice.paid" })).status).toBe(200);
    expect(lines(env.LOG_PATH)).toHaveLength(3);
  });
});
