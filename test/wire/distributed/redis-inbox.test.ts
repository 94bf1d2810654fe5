/**
 * RedisInbox against a real redis-server: the inbox contract on an injected clock, Redis TIME by
 * default, and a Redis outage that rejects (fails closed) without an unhandled rejection.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisInbox } from "../../../runtime/webhooks/inbox/redis-inbox.js";
import { createInboxWebhookHandler } from "../../../runtime/webhooks/inbox/index.js";
import { main } from "../../../generator/cli/main.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { describeInboxContract } from "../../runtime/webhooks/inbox/inbox-contract.js";

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis({ port: redis.port, host: "127.0.0.1", enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on("error", () => undefined);
  await new Promise((resolve) => client.once("ready", resolve));
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

let inboxes = 0;
describeInboxContract("RedisInbox", () => {
  let now = 1_700_000_000_000;
  const inbox = new RedisInbox({ client, name: `contract-${inboxes++}`, clock: () => now, timeoutMs: 5000 });
  return { inbox, advance: (ms) => (now += ms) };
});

describe("RedisInbox", () => {
  it("keeps every key of one inbox under one hash tag", async () => {
    const inbox = new RedisInbox({ client, name: "tagged", timeoutMs: 5000 });
    await inbox.enqueue({ id: "evt_1", orderKey: "obj", event: "{}", receivedAt: 1 });
    const keys = (await client.keys("switchboard:inbox:*")).filter((k) => k.includes("{tagged}"));
    expect(keys.length).toBeGreaterThan(2);
    for (const key of keys) expect(key.startsWith("switchboard:inbox:{tagged}:")).toBe(true);
  });

  it("runs leases on Redis TIME by default", async () => {
    const inbox = new RedisInbox({ client, name: "server-time", timeoutMs: 5000 });
    await inbox.enqueue({ id: "evt_1", orderKey: undefined, event: "{}", receivedAt: 1 });
    expect(await inbox.claim({ token: "t1", leaseMs: 60_000, maxAttempts: 3 })).toMatchObject({ id: "evt_1" });
    const [[id, expiry]] = [await client.zrange("switchboard:inbox:{server-time}:leased", 0, 0, "WITHSCORES")] as [[string, string]];
    const [seconds] = await client.time();
    expect(id).toBe("evt_1");
    expect(Number(expiry) - Number(seconds) * 1000).toBeGreaterThan(55_000);
  });

  it("switchboard webhook replay --redis lists a Redis inbox's dead letters and replays them", async () => {
    const inbox = new RedisInbox({ client, name: "cli", timeoutMs: 5000 });
    await inbox.enqueue({ id: "evt_1", orderKey: "obj", event: JSON.stringify({ type: "invoice.paid" }), receivedAt: 1 });
    await inbox.claim({ token: "t", leaseMs: 1000, maxAttempts: 1 });
    await inbox.deadLetter("evt_1", "t", "Error: no");
    const cli = async (argv: string[]) => {
      let stdout = "";
      const code = await main(argv, { cwd: process.cwd(), stdout: (t) => void (stdout += t), stderr: () => undefined, env: {} });
      return { code, stdout };
    };
    const listed = await cli(["webhook", "replay", "--redis", redis.url, "--name", "cli"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^evt_1\t1\t.+\tobj\tinvoice\.paid\tError: no\n$/);
    expect(await cli(["webhook", "replay", "--redis", redis.url, "--name", "cli", "--all"])).toEqual({
      code: 0,
      stdout: "replayed 1 dead letter: evt_1\n",
    });
    expect(await inbox.counts()).toMatchObject({ pending: 1, dead: 0 });
  });

  it("with Redis stopped, enqueue rejects with StoreUnavailableError and the receiver answers 503 without acknowledging", async () => {
    const inbox = new RedisInbox({ client, name: "outage", timeoutMs: 300, retryAfterMs: 0 });
    const receive = createInboxWebhookHandler({
      inbox,
      verify: async (delivery) => ({ type: "t", id: String(delivery.body), payload: {} }),
    });
    await redis.stop(true);
    try {
      await expect(inbox.enqueue({ id: "evt_1", orderKey: undefined, event: "{}", receivedAt: 1 })).rejects.toMatchObject({
        code: "store_unavailable",
      });
      const answer = await receive({ headers: {}, body: "evt_2" });
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({ error: "inbox_unavailable" });
    } finally {
      await redis.start();
      await new Promise((resolve) => setTimeout(resolve, 200)); // ioredis reconnects on its own
    }
    await expect.poll(async () => (await receive({ headers: {}, body: "evt_3" })).status, { timeout: 10_000 }).toBe(200);
  });
});
