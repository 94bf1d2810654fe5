/**
 * A dedup store that fails (rejects, hangs, throws synchronously) never crashes the process or hangs a
 * delivery: the runner answers 503 `dedup_unavailable` (the store fails closed, the default) or runs the
 * handler without deduplication (the store declares `onFailure: "open"`), and reports the failure as an
 * event that carries nothing the store said.
 */
import { describe, expect, it } from "vitest";
import { createWebhookHandler, MemoryDedupStore, type DedupStore, type WebhookDelivery } from "../../../runtime/index.js";
import type { StoreFaultMode, StoreHealthEvent } from "../../../runtime/policies/store-guard.js";
import { createTestVerifier, signTestDelivery, type TestEvent } from "../../helpers/test-webhook-signer.js";

const NOW = 1_800_000_000;
const SECRET = "redis_password_123";

function delivery(id: string): WebhookDelivery {
  const body = JSON.stringify({ id, type: "invoice.paid" });
  return { headers: { "content-type": "application/json", ...signTestDelivery(body, { timestamp: NOW }) }, body, method: "POST" };
}

type Fault = "reject" | "hang" | "throw";

function faulty(method: "begin" | "complete", fault: Fault, onFailure?: StoreFaultMode): DedupStore {
  const inner = new MemoryDedupStore();
  const act = (): never | Promise<never> => {
    if (fault === "throw") throw new Error(`connection to redis://:${SECRET}@cache lost`);
    if (fault === "hang") return new Promise<never>(() => {});
    return Promise.reject(Object.assign(new Error(`auth ${SECRET} refused`), { code: "NOAUTH" }));
  };
  return {
    begin: (...args) => (method === "begin" ? act() : inner.begin(...args)),
    complete: (...args) => (method === "complete" ? act() : inner.complete(...args)),
    release: (...args) => inner.release(...args),
    ...(onFailure && { onFailure }),
  };
}

function setup(dedup: DedupStore) {
  const handled: string[] = [];
  const events: StoreHealthEvent[] = [];
  const errors: unknown[] = [];
  const undeduplicated: string[] = [];
  const handler = createWebhookHandler<TestEvent>({
    verify: createTestVerifier({ now: () => NOW }),
    handle: (event) => void handled.push(event.id ?? ""),
    dedup,
    storeTimeoutMs: 25,
    onStoreEvent: (event) => events.push(event),
    onError: (error) => errors.push(error),
    onUndeduplicated: (event) => undeduplicated.push(event.id ?? ""),
  });
  return { handler, handled, events, errors, undeduplicated };
}

describe("a failing dedup store (fails closed by default)", () => {
  it.each(["reject", "hang", "throw"] as const)("a begin that does %s answers 503 without running the handler", async (fault) => {
    const { handler, handled, events, errors } = setup(faulty("begin", fault));
    const response = await handler(delivery("evt_1"));
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ error: "dedup_unavailable" });
    expect(handled).toEqual([]);
    expect(events).toEqual([{ type: "storeFailure", store: "dedup", error: expect.any(String) }]);
    expect(errors).toEqual([expect.objectContaining({ code: "store_unavailable", operation: "begin" })]);
    expect(JSON.stringify(events) + errors.map(String).join()).not.toContain(SECRET);
  });

  it("a complete that hangs still answers 200 once its time limit passes: the handler did its work", async () => {
    const { handler, handled, errors } = setup(faulty("complete", "hang"));
    expect((await handler(delivery("evt_2"))).status).toBe(200);
    expect(handled).toEqual(["evt_2"]);
    expect(errors).toEqual([expect.objectContaining({ code: "store_unavailable", operation: "complete" })]);
  });
});

describe("a failing dedup store that declares fail open", () => {
  it.each(["reject", "hang", "throw"] as const)("a begin that does %s runs the handler without deduplication", async (fault) => {
    const { handler, handled, undeduplicated, events } = setup(faulty("begin", fault, "open"));
    expect((await handler(delivery("evt_3"))).status).toBe(200);
    expect(handled).toEqual(["evt_3"]);
    expect(undeduplicated).toEqual(["evt_3"]);
    expect(events.map((e) => e.type)).toEqual(["storeFailure"]);
  });
});
