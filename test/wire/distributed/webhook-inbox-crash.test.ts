/**
 * Issue 18, "Done means" (inbox): 1,000 deliveries to 4 processes, each a webhook endpoint on the inbox
 * and an inbox worker, while one of them is killed with SIGKILL at random moments and restarted. Every
 * acknowledged event is then handled to success exactly once or sits in the dead-letter list: none is
 * lost, none is handled twice, no two events of one order key ran at once or out of order. The
 * handler's effects go to a separate SQLite ledger keyed by event id (test/helpers/inbox-worker.mjs),
 * where an effect applied twice is detectable. Run for the SQLite inbox and for the Redis inbox.
 *
 * A delivery that fails (the process was killed mid-request, or its port is gone) is sent again to
 * another process, as a provider redelivers. An event's effect may be applied by a process that is then
 * killed before it marks the event done; the event then runs again once its lease expires (at least
 * once, the best any queue can do across a crash), and the ledger counts that second run as a repeat of
 * a killed process's effect. Only a repeat of a *live* process's effect is a failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookInbox } from "../../../runtime/webhooks/inbox/index.js";
import { RedisInbox } from "../../../runtime/webhooks/inbox/redis-inbox.js";
import { SqliteInbox } from "../../../runtime/webhooks/inbox/sqlite-inbox.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

const script = fileURLToPath(new URL("../../helpers/inbox-worker.mjs", import.meta.url));
const built = fileURLToPath(new URL("../../../runtime/dist/webhooks/inbox/index.js", import.meta.url));

const EVENTS = 1000;
const KEYS = 40;
const LEASE_MS = 4000;
const MAX_ATTEMPTS = 4;

let redis: RedisServer;
let client: Redis;
let directory: string;
const started: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis({ port: redis.port, host: "127.0.0.1", enableOfflineQueue: false });
  client.on("error", () => undefined);
  await new Promise((resolve) => client.once("ready", resolve));
  directory = mkdtempSync(join(tmpdir(), "switchboard-inbox-crash-"));
});
afterAll(async () => {
  await Promise.all(started.map(kill));
  client?.disconnect();
  await redis?.stop();
  rmSync(directory, { recursive: true, force: true });
});

interface Process {
  readonly child: ChildProcess;
  readonly port: number;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  return exited;
}

async function startWorker(env: Record<string, string>): Promise<Process> {
  if (!existsSync(built)) throw new Error("the workers run the built package: run `npm run build` first (npm test does)");
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  started.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code, signal) => reject(new Error(`inbox worker exited (${String(code ?? signal)}) before it was ready`)));
  });
  return { child, port };
}

function makeLedger(path: string): Database.Database {
  const ledger = new Database(path);
  ledger.pragma("journal_mode = WAL");
  ledger.pragma("busy_timeout = 10000");
  ledger.exec(`CREATE TABLE effects (event_id TEXT PRIMARY KEY, order_key TEXT, seq INTEGER, pid INTEGER, attempt INTEGER);
    CREATE TABLE repeats (event_id TEXT, pid INTEGER, first_pid INTEGER);
    CREATE TABLE violations (kind TEXT, event_id TEXT, detail TEXT, pid INTEGER);
    CREATE TABLE running (order_key TEXT PRIMARY KEY, pid INTEGER, event_id TEXT);
    CREATE TABLE killed (pid INTEGER PRIMARY KEY);`);
  return ledger;
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function crashRun(store: "sqlite" | "redis", inbox: WebhookInbox, env: Record<string, string>) {
  const ledgerPath = join(directory, `${store}-ledger.db`);
  const ledger = makeLedger(ledgerPath);
  const workerEnv = { ...env, STORE: store, LEDGER_PATH: ledgerPath, LEASE_MS: String(LEASE_MS), MAX_ATTEMPTS: String(MAX_ATTEMPTS) };
  const processes: Process[] = [];
  for (let i = 0; i < 4; i++) processes.push(await startWorker(workerEnv));
  const rand = random(store === "sqlite" ? 18 : 81);

  // 40 object keys x 25 events; each key's events are sent one after another (the next once the
  // previous is acknowledged), so the order they are stored in is the order of their seq.
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const roll = rand();
    return {
      id: `evt_${store}_${i}`,
      key: `obj_${i % KEYS}`,
      seq: Math.floor(i / KEYS),
      work: Math.floor(rand() * 4),
      poison: roll < 0.02,
      flaky: roll >= 0.02 && roll < 0.12,
    };
  });
  const acknowledged = new Set<string>();
  let redeliveries = 0;
  const deliver = async (event: (typeof events)[number]) => {
    const body = JSON.stringify(event);
    for (;;) {
      const target = processes[Math.floor(rand() * processes.length)]!;
      try {
        const response = await fetch(`http://127.0.0.1:${target.port}/webhooks`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.ok) {
          acknowledged.add(event.id);
          return;
        }
      } catch {
        // killed mid-request or gone: deliver again, as the provider would
      }
      redeliveries++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const sending = Promise.all(
    Array.from({ length: KEYS }, async (_, key) => {
      for (let i = key; i < EVENTS; i += KEYS) await deliver(events[i]!);
    }),
  );

  // One process (slot 0) is killed at random moments and restarted, while deliveries arrive and after.
  const killed: number[] = [];
  let sent = false;
  void sending.then(() => (sent = true));
  const killer = (async () => {
    for (let round = 0; round < 12 && !(sent && round >= 8); round++) {
      await new Promise((resolve) => setTimeout(resolve, 150 + rand() * 600));
      const victim = processes[0]!;
      await kill(victim.child);
      killed.push(victim.child.pid!);
      ledger.prepare("INSERT INTO killed (pid) VALUES (?)").run(victim.child.pid!);
      processes[0] = await startWorker(workerEnv);
    }
  })();
  await sending;
  await killer;

  // Everything acknowledged settles: done or dead, nothing pending or leased (killed leases expire).
  await expect
    .poll(async () => await inbox.counts(), { timeout: 120_000, interval: 250 })
    .toEqual(expect.objectContaining({ pending: 0, leased: 0 }));
  await Promise.all(processes.map((p) => kill(p.child)));

  const counts = await inbox.counts();
  const dead = new Set((await inbox.deadLetters()).map((d) => d.id));
  const effects = new Map(
    ledger
      .prepare<[], { event_id: string; pid: number }>("SELECT event_id, pid FROM effects")
      .all()
      .map((row) => [row.event_id, row.pid]),
  );
  const violations = ledger.prepare("SELECT kind, event_id, detail FROM violations").all();
  const repeats = ledger.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM repeats").get()!.n;
  ledger.close();
  return { acknowledged, counts, dead, effects, violations, repeats, killed, events, redeliveries };
}

function expectExactlyOnce(result: Awaited<ReturnType<typeof crashRun>>): void {
  const { acknowledged, counts, dead, effects, violations, killed, events } = result;
  expect(acknowledged.size).toBe(EVENTS);
  expect(killed.length).toBeGreaterThanOrEqual(8);
  expect(violations).toEqual([]);
  // Every acknowledged event is done (its effect applied, once: effects is keyed by event id) or dead.
  expect(counts.done + counts.dead).toBe(EVENTS);
  const lost = [...acknowledged].filter((id) => !dead.has(id) && !effects.has(id));
  expect(lost).toEqual([]);
  expect([...effects.keys()].filter((id) => !acknowledged.has(id))).toEqual([]);
  expect(counts.done).toBe(EVENTS - dead.size);
  // Poison events throw on every attempt: all of them, and only failures, are dead letters.
  for (const event of events) if (event.poison) expect(dead.has(event.id), event.id).toBe(true);
  for (const id of dead) expect(effects.has(id) && !killed.includes(effects.get(id)!), `${id} is dead but was handled`).toBe(false);
}

describe("the inbox with one of 4 processes SIGKILLed at random moments and restarted", () => {
  it("SqliteInbox: 1,000 acknowledged events, each handled to success exactly once or dead-lettered; none lost, none twice, keys in order", async () => {
    const path = join(directory, "inbox.db");
    const inbox = new SqliteInbox({ path });
    try {
      const result = await crashRun("sqlite", inbox, { INBOX_PATH: path });
      expectExactlyOnce(result);
      process.stderr.write(
        `sqlite inbox: ${result.killed.length} kills, ${result.redeliveries} redeliveries, ${result.repeats} re-runs of a killed process's effect, ${result.dead.size} dead letters\n`,
      );
    } finally {
      inbox.close();
    }
  }, 300_000);

  it("RedisInbox: 1,000 acknowledged events, each handled to success exactly once or dead-lettered; none lost, none twice, keys in order", async () => {
    const inbox = new RedisInbox({ client, name: "crash", timeoutMs: 5000 });
    const result = await crashRun("redis", inbox, { REDIS_PORT: String(redis.port), INBOX_NAME: "crash" });
    expectExactlyOnce(result);
    process.stderr.write(
      `redis inbox: ${result.killed.length} kills, ${result.redeliveries} redeliveries, ${result.repeats} re-runs of a killed process's effect, ${result.dead.size} dead letters\n`,
    );
  }, 300_000);
});
