/**
 * A webhook endpoint on the built runtime for the webhook-inbox bench. Prints its URL.
 *   node webhook-inbox.js inline            createWebhookHandler, a no-op handler run before the answer, memory dedup (the baseline)
 *   node webhook-inbox.js sqlite FILE       createInboxWebhookHandler on a SqliteInbox (WAL, synchronous FULL) + a worker (concurrency 2)
 *   node webhook-inbox.js redis PORT:NAME   the same on a RedisInbox named NAME
 * GET /__counts answers the inbox's counts (inline: {}). The verifier parses JSON only: the bench
 * measures storing and acknowledging, not signatures (webhook-verify measures those).
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const runtime = (file) => import(pathToFileURL(path.join(root, "runtime/dist", file)).href);
const [mode, where] = process.argv.slice(2);

const verify = async (delivery) => {
  const payload = JSON.parse(Buffer.from(delivery.body).toString("utf8"));
  return { type: "thing.updated", id: payload.id, payload };
};
const { createWebhookHandler } = await runtime("index.js");
const { createNodeWebhookListener } = await runtime("webhooks/adapters/node-http.js");
const { createInboxWebhookHandler, createInboxWorker } = await runtime("webhooks/inbox/index.js");

let handler;
let inbox;
if (mode === "inline") handler = createWebhookHandler({ verify, handle: () => undefined });
else {
  if (mode === "sqlite") {
    const { SqliteInbox } = await runtime("webhooks/inbox/sqlite-inbox.js");
    inbox = new SqliteInbox({ path: where });
  } else {
    const { RedisInbox } = await runtime("webhooks/inbox/redis-inbox.js");
    const { Redis } = await import("ioredis");
    const [port, name] = where.split(":");
    const client = new Redis({ port: Number(port), host: "127.0.0.1", enableOfflineQueue: false });
    client.on("error", () => undefined);
    await new Promise((resolve) => client.once("ready", resolve));
    inbox = new RedisInbox({ client, name, timeoutMs: 5000 });
  }
  handler = createInboxWebhookHandler({ verify, inbox, orderKey: (event) => event.payload.key });
  createInboxWorker({ inbox, concurrency: 2, pollMs: 10, handle: () => undefined }).start();
}
const listener = createNodeWebhookListener(handler);
const server = http.createServer(async (request, response) => {
  if (request.method === "GET" && request.url === "/__counts") {
    response.writeHead(200, { "content-type": "application/json" });
    return response.end(JSON.stringify(inbox ? await inbox.counts() : {}));
  }
  return listener(request, response);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
