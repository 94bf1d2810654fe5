/**
 * createInboxWebhookHandler acknowledges only what the inbox stored (a store failure is 503, nothing
 * acknowledged); createInboxWorker survives a failing inbox (reported, never an unhandled rejection) and
 * computes its backoff as documented.
 */
import { describe, expect, it } from "vitest";
import { signWebhook, WebhookVerificationError, type WebhookEvent } from "../../../../runtime/index.js";
import { stripeWebhooksDefinition, verifyStripeWebhook } from "../../../../generated/stripe/index.js";
import { backoffDelay, createInboxWebhookHandler, createInboxWorker, type WebhookInbox } from "../../../../runtime/webhooks/inbox/index.js";
import { SqliteInbox } from "../../../../runtime/webhooks/inbox/sqlite-inbox.js";

const verify = async (delivery: { body: string | Uint8Array }): Promise<WebhookEvent> => {
  const text = Buffer.from(delivery.body).toString("utf8");
  if (text === "bad") throw new WebhookVerificationError("test", "signature_mismatch", "no");
  if (text === "boom") throw new Error("verifier bug");
  const payload = JSON.parse(text) as { id?: string; key?: string; challenge?: string };
  if (payload.challenge !== undefined)
    return {
      type: "url_verification",
      id: undefined,
      payload,
      handshake: { name: "c", status: 200, headers: {}, body: payload.challenge },
    };
  return { type: "thing.updated", id: payload.id, payload };
};

/** An inbox whose every call fails, as a store that lost its disk or its server. */
const broken = (): WebhookInbox => {
  const fail = () => Promise.reject(new Error("store down"));
  return { enqueue: fail, claim: fail, complete: fail, retry: fail, deadLetter: fail, deadLetters: fail, replay: fail, counts: fail };
};

describe("createInboxWebhookHandler", () => {
  it("stores a verified event with its order key and answers 200; a redelivery answers 200 duplicate and stores nothing", async () => {
    const inbox = new SqliteInbox({ path: ":memory:" });
    const duplicates: string[] = [];
    const receive = createInboxWebhookHandler({
      verify,
      inbox,
      orderKey: (event) => (event.payload as { key?: string }).key,
      now: () => 42,
      onDuplicate: (event) => duplicates.push(event.id!),
    });
    const body = JSON.stringify({ id: "evt_1", key: "obj_1" });
    const first = await receive({ headers: {}, body });
    expect([first.status, JSON.parse(first.body)]).toEqual([200, { received: true }]);
    const again = await receive({ headers: {}, body });
    expect([again.status, JSON.parse(again.body)]).toEqual([200, { received: true, duplicate: true }]);
    expect(duplicates).toEqual(["evt_1"]);
    const claim = inbox.claim({ token: "t", leaseMs: 1000, maxAttempts: 1 });
    expect(claim).toMatchObject({ id: "evt_1", orderKey: "obj_1", receivedAt: 42 });
    expect(JSON.parse(claim!.event)).toEqual({ type: "thing.updated", id: "evt_1", payload: { id: "evt_1", key: "obj_1" } });
    expect(inbox.counts()).toMatchObject({ pending: 0, leased: 1 });
  });

  it("orders by the key the spec's webhooks.orderKey locates when the app passes none (Stripe: the event's data.object.id)", async () => {
    const inbox = new SqliteInbox({ path: ":memory:" });
    const secret = "whsec_test_order_key";
    const receive = createInboxWebhookHandler({ verify: (delivery) => verifyStripeWebhook(delivery, { secret }), inbox });
    const deliver = (id: string, object: string) => {
      const body = JSON.stringify({ id, object: "event", type: "customer.subscription.updated", data: { object: { id: object } } });
      return receive({ headers: signWebhook(stripeWebhooksDefinition, { body, secret }).headers, body });
    };
    for (const [id, object] of [
      ["evt_1", "sub_A"],
      ["evt_2", "sub_B"],
      ["evt_3", "sub_A"],
    ] as const)
      expect((await deliver(id, object)).status).toBe(200);
    const first = inbox.claim({ token: "t1", leaseMs: 1000, maxAttempts: 1 });
    const second = inbox.claim({ token: "t2", leaseMs: 1000, maxAttempts: 1 });
    expect([first?.orderKey, second?.orderKey]).toEqual(["sub_A", "sub_B"]);
    expect(inbox.claim({ token: "t3", leaseMs: 1000, maxAttempts: 1 })).toBeUndefined(); // evt_3 waits behind evt_1 (sub_A)
    expect(first?.id).toBe("evt_1");
  });

  it("answers 503 inbox_unavailable with Retry-After when the inbox fails, so the provider delivers again; the error goes to onError", async () => {
    const errors: unknown[] = [];
    const receive = createInboxWebhookHandler({ verify, inbox: broken(), retryAfterSeconds: 7, onError: (error) => errors.push(error) });
    const answer = await receive({ headers: {}, body: JSON.stringify({ id: "evt_1" }) });
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("7");
    expect(JSON.parse(answer.body)).toEqual({ error: "inbox_unavailable" });
    expect(errors).toHaveLength(1);
  });

  it("rejects a delivery that fails verification with its status and stores nothing; a verifier bug is 500", async () => {
    const inbox = new SqliteInbox({ path: ":memory:" });
    const receive = createInboxWebhookHandler({ verify, inbox });
    const rejected = await receive({ headers: {}, body: "bad" });
    expect([rejected.status, JSON.parse(rejected.body)]).toEqual([401, { error: "signature_mismatch" }]);
    const bug = await receive({ headers: {}, body: "boom" });
    expect([bug.status, JSON.parse(bug.body)]).toEqual([500, { error: "internal_error" }]);
    expect(inbox.counts()).toEqual({ pending: 0, leased: 0, done: 0, dead: 0 });
  });

  it("answers a handshake with its challenge and stores nothing; an event without an id is stored under a random key each time", async () => {
    const inbox = new SqliteInbox({ path: ":memory:" });
    const undeduplicated: string[] = [];
    const receive = createInboxWebhookHandler({ verify, inbox, onUndeduplicated: (event) => undeduplicated.push(event.type) });
    const handshake = await receive({ headers: {}, body: JSON.stringify({ challenge: "abc" }) });
    expect([handshake.status, handshake.body]).toEqual([200, "abc"]);
    expect(inbox.counts().pending).toBe(0);
    await receive({ headers: {}, body: "{}" });
    await receive({ headers: {}, body: "{}" });
    expect(inbox.counts().pending).toBe(2);
    expect(undeduplicated).toEqual(["thing.updated", "thing.updated"]);
  });

  it("refuses to build without a verifier or an inbox", () => {
    expect(() => createInboxWebhookHandler({ verify, inbox: undefined as never })).toThrow(
      expect.objectContaining({ code: "configuration" }),
    );
    expect(() => createInboxWebhookHandler({ verify: undefined as never, inbox: broken() })).toThrow(/verify/);
  });
});

/** An in-memory SQLite inbox holding one pending event, evt_1. */
async function inboxWithOneEvent(): Promise<SqliteInbox> {
  const inbox = new SqliteInbox({ path: ":memory:" });
  await inbox.enqueue({ id: "evt_1", orderKey: undefined, event: JSON.stringify({ type: "t", id: "evt_1", payload: {} }), receivedAt: 1 });
  return inbox;
}

describe("createInboxWorker", () => {
  it("reports a failing claim and goes on idle; a started worker with a failing inbox stops cleanly, with no unhandled rejection", async () => {
    const errors: string[] = [];
    const worker = createInboxWorker({
      inbox: broken(),
      handle: () => undefined,
      pollMs: 1,
      onError: (_e, context) => errors.push(context.stage),
    });
    expect(await worker.runOnce()).toBe("idle");
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      worker.start();
      await expect.poll(() => errors.length).toBeGreaterThan(2); // it polled again after failing
      await worker.stop();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(new Set(errors)).toEqual(new Set(["claim"]));
  });

  it("an outcome the inbox fails to record is 'lost' (the lease runs out and the event runs again), reported as settle", async () => {
    const inbox = await inboxWithOneEvent();
    const failing: WebhookInbox = Object.assign(Object.create(inbox) as WebhookInbox, {
      claim: inbox.claim.bind(inbox),
      complete: () => Promise.reject(new Error("disk full")),
    });
    const stages: string[] = [];
    const worker = createInboxWorker({ inbox: failing, handle: () => undefined, onError: (_e, context) => stages.push(context.stage) });
    expect(await worker.runOnce()).toBe("lost");
    expect(stages).toEqual(["settle"]);
    expect(inbox.counts()).toMatchObject({ leased: 1, done: 0 });
  });

  it("a renewal the inbox fails to record is reported as renew and tried again at the next beat; the run still completes", async () => {
    const inbox = await inboxWithOneEvent();
    let calls = 0;
    const flaky: WebhookInbox = Object.assign(Object.create(inbox) as WebhookInbox, {
      claim: inbox.claim.bind(inbox),
      complete: inbox.complete.bind(inbox),
      renew: (id: string, token: string, leaseMs: number) =>
        ++calls === 1 ? Promise.reject(new Error("busy")) : Promise.resolve(inbox.renew(id, token, leaseMs)),
    });
    const stages: string[] = [];
    let beats = 0;
    const worker = createInboxWorker({
      inbox: flaky,
      // each renewal timer fires at once until the handler has seen two renewals
      sleep: () => new Promise<void>((resolve) => setImmediate(() => (++beats, resolve()))),
      handle: async (_event, { signal }) => {
        await expect.poll(() => calls).toBeGreaterThanOrEqual(2);
        expect(signal.aborted).toBe(false);
      },
      onError: (_e, context) => stages.push(context.stage),
    });
    expect(await worker.runOnce()).toBe("done");
    expect(stages).toEqual(["renew"]);
    expect(beats).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [{ jitter: "none" as const }, 1, 1000],
    [{ jitter: "none" as const }, 3, 4000],
    [{ jitter: "none" as const, baseMs: 100, factor: 3 }, 3, 900],
    [{ jitter: "none" as const, capMs: 5000 }, 10, 5000],
    [{}, 2, 1000], // full jitter with random() = 0.5: half of 2000
  ])("backoffDelay(%j, attempt %i) is %i ms", (backoff, attempt, want) => {
    expect(backoffDelay(backoff, attempt, () => 0.5)).toBe(want);
  });

  it("refuses to build without an inbox or a handler, or with a concurrency that is not a positive integer", () => {
    const inbox = new SqliteInbox({ path: ":memory:" });
    expect(() => createInboxWorker({ inbox: undefined as never, handle: () => undefined })).toThrow(/inbox/);
    expect(() => createInboxWorker({ inbox, handle: undefined as never })).toThrow(/handle/);
    expect(() => createInboxWorker({ inbox, handle: () => undefined, concurrency: 0 })).toThrow(
      expect.objectContaining({ code: "configuration" }),
    );
  });
});
