/**
 * Issue 18, "Done means": the same webhook delivered to 4 processes at once (each its own server on
 * a RedisDedupStore) runs the handler once. The first handler run is held open until the other three
 * deliveries have been answered, so they truly overlap; a delivery after it is a duplicate.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet } from "../../helpers/distributed-worker.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

let redis: RedisServer;
let directory: string;
beforeAll(async () => {
  redis = await startRedisServer();
  directory = mkdtempSync(join(tmpdir(), "switchboard-dedup-"));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(directory, { recursive: true, force: true });
});

function post(port: string, body: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/webhooks`, { method: "POST", headers: { "content-type": "application/json" }, body });
}

describe("RedisDedupStore shared by 4 webhook servers", () => {
  it("the same delivery posted to all 4 at once runs the handler once; the others answer 409, a later one 200 duplicate", async () => {
    const log = join(directory, "handled.log");
    const gate = join(directory, "gate");
    writeFileSync(log, "");
    const fleet = await startFleet(4, { MODE: "webhook", REDIS_PORT: String(redis.port), LOG_PATH: log, GATE_PATH: gate });
    try {
      const body = JSON.stringify({ id: "evt_fleet_1", type: "invoice.paid", gate: true });
      let answered = 0;
      const statuses = fleet.ready.map(async (port) => {
        const response = await post(port, body);
        await response.arrayBuffer();
        if (++answered === 3) writeFileSync(gate, ""); // the three duplicates are in: let the one run finish
        return response.status;
      });
      const all = await Promise.all(statuses);
      expect(existsSync(gate)).toBe(true);
      expect(all.filter((status) => status === 200)).toHaveLength(1);
      expect(all.filter((status) => status === 409)).toHaveLength(3);
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
      const later = await post(fleet.ready[2]!, body);
      expect(await later.json()).toEqual({ received: true, duplicate: true });
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
    } finally {
      await fleet.kill();
    }
  });
});
