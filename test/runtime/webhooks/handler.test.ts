import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createWebhookHandler,
  isConfigurationError,
  MemoryDedupStore,
  WebhookVerificationError,
  type DedupStore,
  type WebhookDelivery,
  type WebhookVerificationErrorCode,
} from "../../../runtime/index.js";
import { createTestVerifier, signTestDelivery, TEST_SECRET, type TestEvent } from "../../helpers/test-webhook-signer.js";

const NOW = 1_800_000_000;

function delivery(payload: Record<string, unknown>, options: { secret?: string; timestamp?: number } = {}): WebhookDelivery {
  const body = JSON.stringify(payload);
  return {
    headers: { "content-type": "application/json", ...signTestDelivery(body, { timestamp: NOW, ...options }) },
    body,
    method: "POST",
  };
}

/** A clock in milliseconds the test moves by hand. */
function manualClock(start = NOW * 1000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

function setup(options: { handle?: (event: TestEvent) => Promise<void> | void; dedup?: DedupStore; leaseMs?: number } = {}) {
  const handled: string[] = [];
  const errors: { error: unknown; stage: string }[] = [];
  const rejected: WebhookVerificationError[] = [];
  const duplicates: string[] = [];
  const handler = createWebhookHandler<TestEvent>({
    verify: createTestVerifier({ now: () => NOW }),
    handle: async (event) => {
      handled.push(event.id ?? "(no id)");
      await options.handle?.(event);
    },
    ...(options.dedup ? { dedup: options.dedup } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    onError: (error, context) => errors.push({ error, stage: context.stage }),
    onRejected: (error) => rejected.push(error),
    onDuplicate: (event, state) => duplicates.push(`${event.id ?? ""}:${state}`),
  });
  return { handler, handled, errors, rejected, duplicates };
}

describe("createWebhookHandler answers verification failures without running the handler", () => {
  const event = { id: "evt_1", type: "invoice.paid" };
  const body = JSON.stringify(event);
  const given: { name: string; delivery: WebhookDelivery; want: { code: WebhookVerificationErrorCode; status: number } }[] = [
    { name: "no signature header", delivery: { headers: {}, body }, want: { code: "missing_signature", status: 401 } },
    {
      name: "an unparseable signature header",
      delivery: { headers: { "test-signature": "v1=zz" }, body },
      want: { code: "malformed_signature", status: 400 },
    },
    {
      name: "a signature made with another secret",
      delivery: delivery(event, { secret: "whsec_other" }),
      want: { code: "signature_mismatch", status: 401 },
    },
    {
      name: "a timestamp ten minutes old",
      delivery: delivery(event, { timestamp: NOW - 600 }),
      want: { code: "timestamp_out_of_tolerance", status: 401 },
    },
    {
      name: "a 65 KiB body",
      delivery: { headers: signTestDelivery("x".repeat(65 * 1024), { timestamp: NOW }), body: "x".repeat(65 * 1024) },
      want: { code: "payload_too_large", status: 413 },
    },
    {
      name: "a signed body that is not JSON",
      delivery: { headers: signTestDelivery("{nope", { timestamp: NOW }), body: "{nope" },
      want: { code: "invalid_payload", status: 400 },
    },
  ];
  it.each(given)("$name -> $want.status $want.code", async ({ delivery: input, want }) => {
    const { handler, handled, rejected } = setup();
    const response = await handler(input);
    expect(response.status).toBe(want.status);
    expect(JSON.parse(response.body)).toEqual({ error: want.code });
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.body).not.toContain(TEST_SECRET);
    expect(handled).toEqual([]);
    expect(rejected.map((error) => error.code)).toEqual([want.code]);
  });

  it("rejectionStatus overrides the status of one code and keeps the others", async () => {
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier({ now: () => NOW }),
      handle: () => {},
      rejectionStatus: { signature_mismatch: 403 },
    });
    expect((await handler(delivery(event, { secret: "whsec_other" }))).status).toBe(403);
    expect((await handler({ headers: {}, body })).status).toBe(401);
  });

  it("answers 500 internal_error and reports stage verify when verify throws something else", async () => {
    const errors: unknown[] = [];
    const boom = new TypeError("verifier bug");
    const handler = createWebhookHandler({ verify: () => Promise.reject(boom), handle: () => {}, onError: (error) => errors.push(error) });
    const response = await handler(delivery(event));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: "internal_error" });
    expect(errors).toEqual([boom]);
  });
});

describe("createWebhookHandler runs each event once to success", () => {
  it("runs a new event, answers 200, and answers a redelivery 200 duplicate without running it", async () => {
    const { handler, handled, duplicates } = setup();
    const first = await handler(delivery({ id: "evt_1", type: "invoice.paid" }));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ received: true });
    const again = await handler(delivery({ id: "evt_1", type: "invoice.paid" }));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
    expect(handled).toEqual(["evt_1"]);
    expect(duplicates).toEqual(["evt_1:done"]);
  });

  it("answers 500 when the handler fails, then runs it again on redelivery and marks it done", async () => {
    let failures = 1;
    const { handler, handled, errors } = setup({
      handle: () => {
        if (failures-- > 0) throw new Error("database down");
      },
    });
    const failed = await handler(delivery({ id: "evt_2", type: "invoice.paid" }));
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ error: "handler_failed" });
    expect(failed.body).not.toContain("database down");
    expect(errors.map((entry) => [entry.stage, (entry.error as Error).message])).toEqual([["handle", "database down"]]);
    expect((await handler(delivery({ id: "evt_2", type: "invoice.paid" }))).status).toBe(200);
    expect(JSON.parse((await handler(delivery({ id: "evt_2", type: "invoice.paid" }))).body)).toEqual({ received: true, duplicate: true });
    expect(handled).toEqual(["evt_2", "evt_2"]);
  });

  it("counts a synchronous throw from the handler as a failure", async () => {
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier({ now: () => NOW }),
      handle: () => {
        throw new Error("sync");
      },
    });
    expect((await handler(delivery({ id: "evt_s", type: "x" }))).status).toBe(500);
  });

  it("answers a duplicate that arrives while the first runs 409 in_progress with Retry-After, and runs the handler once", async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const { handler, handled, duplicates } = setup({ handle: () => gate });
    const first = handler(delivery({ id: "evt_3", type: "invoice.paid" }));
    const second = await handler(delivery({ id: "evt_3", type: "invoice.paid" }));
    expect(second.status).toBe(409);
    expect(second.headers["retry-after"]).toBe("30");
    expect(JSON.parse(second.body)).toEqual({ error: "in_progress" });
    finish();
    expect((await first).status).toBe(200);
    expect(handled).toEqual(["evt_3"]);
    expect(duplicates).toEqual(["evt_3:in_progress"]);
  });

  it("lets a later delivery take over an event whose lease expired (a crashed worker)", async () => {
    const clock = manualClock();
    const dedup = new MemoryDedupStore({ now: clock.now });
    const { handler, handled } = setup({
      dedup,
      leaseMs: 60_000,
      handle: (event) => (event.payload["hang"] ? new Promise<void>(() => {}) : undefined),
    });
    void handler(delivery({ id: "evt_4", type: "x", hang: true }));
    await Promise.resolve();
    expect((await handler(delivery({ id: "evt_4", type: "x" }))).status).toBe(409);
    clock.advance(59_999);
    expect((await handler(delivery({ id: "evt_4", type: "x" }))).status).toBe(409);
    clock.advance(1);
    expect((await handler(delivery({ id: "evt_4", type: "x" }))).status).toBe(200);
    expect(handled).toEqual(["evt_4", "evt_4"]);
    expect((await handler(delivery({ id: "evt_4", type: "x" }))).status).toBe(200);
    expect(handled).toHaveLength(2);
  });

  it("runs an event without an id on every delivery and says so through onUndeduplicated", async () => {
    const undeduplicated: string[] = [];
    const handled: string[] = [];
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier({ now: () => NOW }),
      handle: (event) => void handled.push(event.type),
      onUndeduplicated: (event) => undeduplicated.push(event.type),
    });
    expect((await handler(delivery({ type: "ping" }))).status).toBe(200);
    expect((await handler(delivery({ type: "ping" }))).status).toBe(200);
    expect(handled).toEqual(["ping", "ping"]);
    expect(undeduplicated).toEqual(["ping", "ping"]);
  });

  it("keys events with eventKey when given", async () => {
    const handled: string[] = [];
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier({ now: () => NOW }),
      handle: (event) => void handled.push(String(event.payload["delivery"])),
      eventKey: (event) => `github:${String(event.payload["delivery"])}`,
    });
    await handler(delivery({ type: "push", delivery: "d-1" }));
    await handler(delivery({ type: "push", delivery: "d-1" }));
    await handler(delivery({ type: "push", delivery: "d-2" }));
    expect(handled).toEqual(["d-1", "d-2"]);
  });
});

describe("createWebhookHandler when the dedup store fails", () => {
  const failing = (method: keyof DedupStore): DedupStore => {
    const inner = new MemoryDedupStore();
    return {
      begin: (...args) => (method === "begin" ? Promise.reject(new Error("store down")) : inner.begin(...args)),
      complete: (...args) => (method === "complete" ? Promise.reject(new Error("store down")) : inner.complete(...args)),
      release: (...args) => (method === "release" ? Promise.reject(new Error("store down")) : inner.release(...args)),
    };
  };

  it("answers 503 dedup_unavailable with Retry-After and does not run the handler when begin fails", async () => {
    const { handler, handled, errors } = setup({ dedup: failing("begin") });
    const response = await handler(delivery({ id: "evt_5", type: "x" }));
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("30");
    expect(JSON.parse(response.body)).toEqual({ error: "dedup_unavailable" });
    expect(handled).toEqual([]);
    expect(errors.map((entry) => entry.stage)).toEqual(["dedup"]);
  });

  it("answers 200 when the handler succeeded but complete failed, and the lease still keeps a duplicate out", async () => {
    const { handler, handled, errors } = setup({ dedup: failing("complete") });
    expect((await handler(delivery({ id: "evt_6", type: "x" }))).status).toBe(200);
    expect(errors.map((entry) => entry.stage)).toEqual(["complete"]);
    expect((await handler(delivery({ id: "evt_6", type: "x" }))).status).toBe(409);
    expect(handled).toEqual(["evt_6"]);
  });

  it("answers 500 when the handler failed and release failed too", async () => {
    const { handler, errors } = setup({ dedup: failing("release"), handle: () => Promise.reject(new Error("nope")) });
    expect((await handler(delivery({ id: "evt_7", type: "x" }))).status).toBe(500);
    expect(errors.map((entry) => entry.stage)).toEqual(["handle", "release"]);
  });

  it("answers 503 when the memory store is full of live leases", async () => {
    const dedup = new MemoryDedupStore({ maxEntries: 1 });
    const { handler } = setup({ dedup, handle: (event) => (event.id === "evt_a" ? new Promise<void>(() => {}) : undefined) });
    void handler(delivery({ id: "evt_a", type: "x" }));
    await Promise.resolve();
    const response = await handler(delivery({ id: "evt_b", type: "x" }));
    expect(response.status).toBe(503);
  });
});

describe("createWebhookHandler checks its options", () => {
  it.each([
    { name: "leaseMs 0", options: { leaseMs: 0 }, message: "leaseMs must be a positive integer, got 0" },
    { name: "leaseMs 1.5", options: { leaseMs: 1.5 }, message: "leaseMs must be a positive integer, got 1.5" },
    { name: "no verify", options: { verify: undefined }, message: "createWebhookHandler needs a verify function" },
  ])("throws ConfigurationError for $name", ({ options, message }) => {
    const base = { verify: createTestVerifier(), handle: () => {} };
    let thrown: unknown;
    try {
      createWebhookHandler({ ...base, ...options } as Parameters<typeof createWebhookHandler>[0]);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect((thrown as ConfigurationError).code).toBe("configuration");
    expect((thrown as Error).message).toBe(message);
  });

  it("a hook that throws does not change the answer", async () => {
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier({ now: () => NOW }),
      handle: () => {},
      onDuplicate: () => {
        throw new Error("hook bug");
      },
    });
    await handler(delivery({ id: "evt_8", type: "x" }));
    expect((await handler(delivery({ id: "evt_8", type: "x" }))).status).toBe(200);
  });
});
