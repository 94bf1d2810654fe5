// A webhook server in its own process for the restart tests: the built package (through its own
// exports map, so `npm run build` must have run), a SqliteDedupStore on DB_PATH, and a handler that
// appends "start <id>" and "done <id>" lines to LOG_PATH, a real file the parent reads. An event whose
// payload has "hang": true never finishes, to be killed mid-handler; one with "gate": true waits until
// the file GATE_PATH exists. CLOCK_OFFSET_MS moves the store's
// clock, so a restart "later" needs no real waiting. The verifier only parses JSON: these tests are
// about the store surviving a restart; signatures are tested elsewhere.
import { appendFileSync, existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createServer } from "node:http";
import { createWebhookHandler, WebhookVerificationError } from "@switchboard/runtime";
import { createNodeWebhookListener } from "@switchboard/runtime/webhooks/node";
import { SqliteDedupStore } from "@switchboard/runtime/webhooks/sqlite";

const { DB_PATH, LOG_PATH, GATE_PATH, CLOCK_OFFSET_MS = "0", LEASE_MS = "60000" } = process.env;
const offset = Number(CLOCK_OFFSET_MS);
const store = new SqliteDedupStore({ path: DB_PATH, now: () => Date.now() + offset });
const handler = createWebhookHandler({
  leaseMs: Number(LEASE_MS),
  dedup: store,
  verify: async (delivery) => {
    try {
      const payload = JSON.parse(Buffer.from(delivery.body).toString("utf8"));
      return { type: payload.type, id: payload.id, payload };
    } catch (error) {
      throw new WebhookVerificationError("test", "invalid_payload", "not JSON", { cause: error });
    }
  },
  handle: async (event) => {
    appendFileSync(LOG_PATH, `start ${event.id} ${process.pid}\n`);
    if (event.payload.hang) await new Promise(() => {});
    while (event.payload.gate && !existsSync(GATE_PATH)) await sleep(10);
    appendFileSync(LOG_PATH, `done ${event.id} ${process.pid}\n`);
  },
});
const server = createServer(createNodeWebhookListener(handler));
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${server.address().port}\n`));
