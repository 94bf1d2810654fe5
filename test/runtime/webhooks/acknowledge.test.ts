/**
 * The status a verified delivery is answered with, from the spec (`webhooks.response.status` once the
 * handler ran, `webhooks.response.queuedStatus` once the event is stored for later): the verifier puts
 * them on the event as `acknowledge`, and the handler runner and the inbox endpoint answer with them.
 * Microsoft Graph asks for 200 OK when a notification was processed within 3 s and 202 Accepted when it
 * was queued (specs/msgraph.yaml cites the page).
 */
import { describe, expect, it } from "vitest";
import * as msgraph from "../../../generated/msgraph/index.js";
import { stripeWebhooksDefinition } from "../../../generated/stripe/index.js";
import { verifyWebhookWith, webhookPartsFor, type WebhooksDefinition } from "../../../runtime/contract.js";
import * as contract from "../../../runtime/contract.js";
import { createWebhookHandler, signWebhook, type WebhookDelivery, type WebhookEvent } from "../../../runtime/index.js";
import { createInboxWebhookHandler } from "../../../runtime/webhooks/inbox/index.js";
import { SqliteInbox } from "../../../runtime/webhooks/inbox/sqlite-inbox.js";

const NOW = 1_767_225_600;
const SECRET = "whsec_acknowledge_test";

/** Stripe's scheme with another answer declared: the mechanism is the spec's, not one provider's. */
function withResponse(response: WebhooksDefinition["response"]): WebhooksDefinition {
  return { ...stripeWebhooksDefinition, response };
}

function verifierFor(definition: WebhooksDefinition): (delivery: WebhookDelivery) => Promise<WebhookEvent> {
  const parts = webhookPartsFor(definition).map((name) => contract[name]);
  return (delivery) => verifyWebhookWith(parts, "acme", definition, delivery, { secret: SECRET, now: NOW });
}

function signed(definition: WebhooksDefinition, id: string, secret = SECRET): WebhookDelivery {
  const body = JSON.stringify({ id, type: "invoice.paid", data: { object: { id: "in_1" } } });
  const { headers } = signWebhook(definition, { body, secret, timestamp: NOW });
  return { headers: { ...headers, "content-type": "application/json" }, body, method: "POST" };
}

describe("verifyWebhookWith puts the spec's answer on the event", () => {
  it("carries acknowledge { handled, queued } when the spec declares a status other than 200, queued defaulting to it", async () => {
    const both = withResponse({ status: 204, queuedStatus: 202 });
    expect((await verifierFor(both)(signed(both, "evt_1"))).acknowledge).toEqual({ handled: 204, queued: 202 });
    const one = withResponse({ status: 202 });
    expect((await verifierFor(one)(signed(one, "evt_1"))).acknowledge).toEqual({ handled: 202, queued: 202 });
  });

  it("leaves acknowledge out when both are 200 (the default)", async () => {
    const plain = withResponse({ status: 200 });
    const event = await verifierFor(plain)(signed(plain, "evt_1"));
    expect("acknowledge" in event).toBe(false);
  });
});

describe("createWebhookHandler answers a verified delivery with webhooks.response.status", () => {
  it("answers the handled delivery and its duplicate 204, a failed handler 500 and a forged delivery 401", async () => {
    const definition = withResponse({ status: 204, queuedStatus: 202 });
    let fail = false;
    const handled: string[] = [];
    const handler = createWebhookHandler({
      verify: verifierFor(definition),
      handle: (event) => {
        if (fail) throw new Error("handler failed");
        handled.push(event.id!);
      },
    });
    const first = await handler(signed(definition, "evt_1"));
    expect([first.status, JSON.parse(first.body)]).toEqual([204, { received: true }]);
    const again = await handler(signed(definition, "evt_1"));
    expect([again.status, JSON.parse(again.body)]).toEqual([204, { received: true, duplicate: true }]);
    fail = true;
    expect((await handler(signed(definition, "evt_2"))).status).toBe(500);
    expect((await handler(signed(definition, "evt_3", "another secret"))).status).toBe(401);
    expect(handled).toEqual(["evt_1"]);
  });
});

describe("createInboxWebhookHandler answers a stored delivery with webhooks.response.queuedStatus", () => {
  it("answers the stored delivery and its duplicate 202 and a forged one 401", async () => {
    const definition = withResponse({ status: 204, queuedStatus: 202 });
    const receive = createInboxWebhookHandler({ verify: verifierFor(definition), inbox: new SqliteInbox({ path: ":memory:" }) });
    const first = await receive(signed(definition, "evt_1"));
    expect([first.status, JSON.parse(first.body)]).toEqual([202, { received: true }]);
    const again = await receive(signed(definition, "evt_1"));
    expect([again.status, JSON.parse(again.body)]).toEqual([202, { received: true, duplicate: true }]);
    expect((await receive(signed(definition, "evt_2", "another secret"))).status).toBe(401);
  });
});

describe("Microsoft Graph (specs/msgraph.yaml: status 200, queuedStatus 202)", () => {
  const secret = "graph-client-state";
  const notification = (clientState: string): WebhookDelivery => ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ value: [{ subscriptionId: "s1", changeType: "created", resource: "users", clientState }] }),
    method: "POST",
    url: "https://example.com/webhooks/graph",
  });
  const validation: WebhookDelivery = {
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: "",
    method: "POST",
    url: "https://example.com/webhooks/graph?validationToken=t0ken",
  };
  const verify = (delivery: WebhookDelivery) => msgraph.verifyMsgraphWebhook(delivery, { secret });

  it("the handler runner answers a processed notification 200; the inbox endpoint answers a queued one 202", async () => {
    expect(msgraph.msgraphWebhooksDefinition.response).toMatchObject({ status: 200, queuedStatus: 202 });
    const handled: unknown[] = [];
    const handler = createWebhookHandler({ verify, handle: (event) => void handled.push(event) });
    expect((await handler(notification(secret))).status).toBe(200);
    expect(handled).toHaveLength(1);
    const receive = createInboxWebhookHandler({ verify, inbox: new SqliteInbox({ path: ":memory:" }) });
    expect((await receive(notification(secret))).status).toBe(202);
    expect((await receive(notification("guess"))).status).toBe(401);
  });

  it("answers the validationToken handshake 200 with the token as text/plain from both, never 202", async () => {
    const handler = createWebhookHandler({ verify, handle: () => {} });
    const receive = createInboxWebhookHandler({ verify, inbox: new SqliteInbox({ path: ":memory:" }) });
    for (const answer of [await handler(validation), await receive(validation)]) {
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(answer.body).toBe("t0ken");
    }
  });
});
