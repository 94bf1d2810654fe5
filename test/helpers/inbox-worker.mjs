// One process of the inbox crash test, on the built package (`npm run build` first, as npm test does):
// a webhook endpoint that stores each delivery in the inbox and acknowledges it, and an inbox worker,
// in one process. It prints "READY <port>" and runs until killed.
//   STORE:  "sqlite" (INBOX_PATH) or "redis" (REDIS_PORT, INBOX_NAME)
//   LEDGER_PATH: an SQLite file the test created, where the handler records its effect (table effects,
//           keyed by the event id, so a second effect of one event is detectable) and what it saw go
//           wrong (violations): two events of one order key running at once, an event of a key
//           applied after a later one, an effect applied twice unless the first applier was killed
//           (the test writes killed pids into the table killed).
//   LEASE_MS, MAX_ATTEMPTS.
// Payloads: {key, seq, work (ms), poison (always throws), flaky (throws on its first attempt)}. The
// verifier only parses JSON: signatures are tested elsewhere.
import { createServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { WebhookVerificationError } from "@switchboard/runtime";
import { createNodeWebhookListener } from "@switchboard/runtime/webhooks/node";
import { createInboxWebhookHandler, createInboxWorker } from "@switchboard/runtime/webhooks/inbox";

const env = process.env;
const pid = process.pid;

async function openInbox() {
  if (env.STORE === "redis") {
    const { RedisInbox } = await import("@switchboard/runtime/webhooks/inbox/redis");
    const { Redis } = await import("ioredis");
    const client = new Redis({ port: Number(env.REDIS_PORT), host: "127.0.0.1", enableOfflineQueue: false });
    client.on("error", () => undefined);
    await new Promise((resolve) => client.once("ready", resolve));
    return new RedisInbox({ client, name: env.INBOX_NAME, timeoutMs: 5000, retryAfterMs: 100 });
  }
  const { SqliteInbox } = await import("@switchboard/runtime/webhooks/inbox/sqlite");
  return new SqliteInbox({ path: env.INBOX_PATH });
}

const ledger = new Database(env.LEDGER_PATH);
ledger.pragma("busy_timeout = 10000");
const isKilled = ledger.prepare("SELECT 1 FROM killed WHERE pid = ?");
const running = ledger.prepare("SELECT pid, event_id FROM running WHERE order_key = ?");
const setRunning = ledger.prepare("INSERT OR REPLACE INTO running (order_key, pid, event_id) VALUES (?, ?, ?)");
const clearRunning = ledger.prepare("DELETE FROM running WHERE order_key = ? AND pid = ? AND event_id = ?");
const lastSeq = ledger.prepare("SELECT MAX(seq) AS seq FROM effects WHERE order_key = ? AND event_id <> ?");
const applied = ledger.prepare("SELECT pid FROM effects WHERE event_id = ?");
const apply = ledger.prepare("INSERT INTO effects (event_id, order_key, seq, pid, attempt) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
const repeat = ledger.prepare("INSERT INTO repeats (event_id, pid, first_pid) VALUES (?, ?, ?)");
const violation = ledger.prepare("INSERT INTO violations (kind, event_id, detail, pid) VALUES (?, ?, ?, ?)");

const start = ledger.transaction((id, key) => {
  const other = running.get(key);
  if (other && other.event_id !== id && !isKilled.get(other.pid))
    violation.run("overlap", id, `${other.event_id} of the same key runs in live process ${other.pid}`, pid);
  setRunning.run(key, pid, id);
});
const finish = ledger.transaction((id, payload, attempt) => {
  const before = applied.get(id);
  if (before) {
    repeat.run(id, pid, before.pid);
    if (!isKilled.get(before.pid)) violation.run("twice", id, `already applied by live process ${before.pid}`, pid);
  } else {
    const last = lastSeq.get(payload.key, id).seq;
    if (last !== null && last >= payload.seq) violation.run("order", id, `seq ${payload.seq} after seq ${last}`, pid);
    apply.run(id, payload.key, payload.seq, pid, attempt);
  }
  clearRunning.run(payload.key, pid, id);
});

const inbox = await openInbox();
const receive = createInboxWebhookHandler({
  inbox,
  verify: async (delivery) => {
    try {
      const payload = JSON.parse(Buffer.from(delivery.body).toString("utf8"));
      return { type: "thing.updated", id: payload.id, payload };
    } catch (error) {
      throw new WebhookVerificationError("test", "invalid_payload", "not JSON", { cause: error });
    }
  },
  orderKey: (event) => event.payload.key,
});
const worker = createInboxWorker({
  inbox,
  concurrency: 2,
  leaseMs: Number(env.LEASE_MS),
  maxAttempts: Number(env.MAX_ATTEMPTS),
  backoff: { baseMs: 20, capMs: 200 },
  pollMs: 20,
  handle: async (event, context) => {
    const payload = event.payload;
    start.immediate(context.id, payload.key);
    try {
      if (payload.work > 0) await sleep(payload.work);
      if (payload.poison) throw new Error("poison");
      if (payload.flaky && context.attempt === 1) throw new Error("flaky");
    } catch (error) {
      clearRunning.run(payload.key, pid, context.id);
      throw error;
    }
    finish.immediate(context.id, payload, context.attempt);
  },
});
process.on("unhandledRejection", (error) => {
  violation.run("unhandled_rejection", "", String(error), pid);
});
worker.start();
const server = createServer(createNodeWebhookListener(receive));
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${server.address().port}\n`));
