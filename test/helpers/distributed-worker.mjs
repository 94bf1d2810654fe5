// One process of a fleet for the distributed-state tests, on the built package (`npm run build` first,
// as npm test does). It prints "READY", waits for "go" on stdin, does its part, prints one JSON line
// with what it saw, and exits. MODE picks the part:
//   ratelimit: COUNT calls of one operation (DEFINITION, OPERATION: JSON) against BASE_URL, CONCURRENCY
//              at a time, through STORE ("redis" on REDIS_PORT, or "sqlite" on DB_PATH).
//   token:     one OAuth2TokenManager (AUTH_MODE, CLIENT: JSON; KEY) on a shared token store (STORE
//              "redis" on REDIS_PORT, or "file" on TOKEN_PATH with TOKEN_KEY) asks for a token once.
//   webhook:   a webhook server on a RedisDedupStore (REDIS_PORT) whose handler appends "start <id> <pid>"
//              to LOG_PATH and, for a payload with "gate": true, waits until GATE_PATH exists. It
//              prints "READY <port>" and runs until killed. The verifier only parses JSON (signatures
//              are tested elsewhere).
import { createInterface } from "node:readline";
import {
  ClientCore,
  clientPartsFor,
  deprecatedVersionWarnings,
  rateLimitHeaderSync,
  urlVariables,
  versionMigrations,
  versionRequestMigrations,
} from "@switchboard/runtime/contract";

const env = process.env;

/** An ioredis client as docs/distributed.md advises (no offline queue), ready to use. */
async function redisClient() {
  const { Redis } = await import("ioredis");
  const client = new Redis({ port: Number(env.REDIS_PORT), host: "127.0.0.1", enableOfflineQueue: false });
  client.on("error", () => undefined);
  await new Promise((resolve) => client.once("ready", resolve));
  return client;
}

let outages = 0;

async function openStore() {
  if (env.STORE === "redis") {
    const { RedisRateLimitStore } = await import("@switchboard/runtime/redis");
    const client = await redisClient();
    // Fail open at a quarter of the budget each (a fleet of 4), counted in `outages`: a stall of a
    // loaded machine past the timeout (10 s) should not end the run, but is reported.
    const store = new RedisRateLimitStore({
      client,
      timeoutMs: 10_000,
      failOpenShare: 4,
      onEvent: (e) => e.type === "storeUnavailable" && outages++,
    });
    return { store, close: () => client.quit() };
  }
  const { SqliteRateLimitStore } = await import("@switchboard/runtime/rate-limit/sqlite");
  const store = new SqliteRateLimitStore({ path: env.DB_PATH });
  return { store, close: () => store.close() };
}

async function rateLimit() {
  const { store, close } = await openStore();
  const definition = JSON.parse(env.DEFINITION);
  // The parts the definition needs, as a generated create<Provider>Core passes them.
  const parts = { rateLimitHeaderSync, urlVariables, versionMigrations, versionRequestMigrations, deprecatedVersionWarnings };
  const core = new ClientCore(
    definition,
    { auth: { token: "test-token" }, baseUrl: env.BASE_URL, rateLimits: { store } },
    clientPartsFor(definition).map((name) => parts[name]),
  );
  const operation = JSON.parse(env.OPERATION);
  await go();
  const statuses = {};
  const errors = [];
  let left = Number(env.COUNT);
  const worker = async () => {
    while (left > 0) {
      left--;
      try {
        const response = await core.send(operation, { path: operation.path });
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      } catch (error) {
        const status = error?.status;
        if (typeof status === "number") statuses[status] = (statuses[status] ?? 0) + 1;
        else errors.push(`${String(error?.code ?? error)}${error?.source ? ` (${error.source})` : ""}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(env.CONCURRENCY ?? 10) }, worker));
  await close();
  return { statuses, errors, outages };
}

function go() {
  process.stdout.write("READY\n");
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      if (line.trim() === "go") {
        lines.close();
        resolve();
      }
    });
  });
}

async function token() {
  const { OAuth2TokenManager } = await import("@switchboard/runtime/auth");
  let store;
  let close = () => undefined;
  if (env.STORE === "redis") {
    const { RedisTokenStore } = await import("@switchboard/runtime/redis");
    const client = await redisClient();
    store = new RedisTokenStore({ client, timeoutMs: 2000 });
    close = () => client.quit();
  } else {
    const { EncryptedFileTokenStore } = await import("@switchboard/runtime/auth/file-store");
    store = new EncryptedFileTokenStore({ path: env.TOKEN_PATH, keys: [env.TOKEN_KEY] });
  }
  const manager = new OAuth2TokenManager(JSON.parse(env.AUTH_MODE), { ...JSON.parse(env.CLIENT), store, key: env.KEY });
  await go();
  try {
    return { accessToken: await manager.getToken() };
  } catch (error) {
    return { error: String(error?.code ?? error) };
  } finally {
    await close();
  }
}

async function webhook() {
  const { appendFileSync, existsSync } = await import("node:fs");
  const { createServer } = await import("node:http");
  const { createWebhookHandler } = await import("@switchboard/runtime");
  const { createNodeWebhookListener } = await import("@switchboard/runtime/webhooks/node");
  const { RedisDedupStore } = await import("@switchboard/runtime/redis");
  const client = await redisClient();
  const handler = createWebhookHandler({
    dedup: new RedisDedupStore({ client, timeoutMs: 2000 }),
    verify: async (delivery) => {
      const payload = JSON.parse(Buffer.from(delivery.body).toString("utf8"));
      return { type: payload.type, id: payload.id, payload };
    },
    handle: async (event) => {
      appendFileSync(env.LOG_PATH, `start ${event.id} ${process.pid}\n`);
      while (event.payload.gate && !existsSync(env.GATE_PATH)) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  });
  const server = createServer(createNodeWebhookListener(handler));
  server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${server.address().port}\n`));
  return new Promise(() => {});
}

const modes = { ratelimit: rateLimit, token, webhook };
const result = await modes[env.MODE]();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
