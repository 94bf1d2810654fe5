/**
 * Verification challenges (issue #15): signed ones (Slack url_verification, Twitch callback
 * verification) are answered only after the signature verifies; Dropbox's unsigned GET ?challenge= is
 * answered before verification with the echo alone; an answer never carries anything but the challenge.
 * Answers the spec spells out as JSON: Zoom's token and its HMAC (only once the signature verifies), and
 * Discord's constant PONG to a signed PING. Okta's bodiless GET, authenticated by the secret in its
 * Authorization header. Asana's unsigned X-Hook-Secret POST, answered in a response header.
 */
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../generator/config.js";
import { readSpec } from "../../../generator/generate.js";
import * as dropbox from "../../../generated/dropbox/index.js";
import * as msgraph from "../../../generated/msgraph/index.js";
import * as slack from "../../../generated/slack/index.js";
import * as twitch from "../../../generated/twitch/index.js";
import { handshakeAnswerContent, verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { ConfigurationError, createWebhookHandler, type WebhookDelivery, type WebhookEvent } from "../../../runtime/index.js";
import { createInboxWebhookHandler } from "../../../runtime/webhooks/inbox/index.js";
import { SqliteInbox } from "../../../runtime/webhooks/inbox/sqlite-inbox.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";

const NOW = 1_767_225_600;

describe("Slack url_verification (signed)", () => {
  const secret = "slack-signing-secret";
  const body = JSON.stringify({
    token: "legacy",
    challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    type: "url_verification",
  });
  const handled: unknown[] = [];
  const handler = createWebhookHandler({
    verify: (delivery) => slack.verifySlackWebhook(delivery, { secret, now: NOW }),
    handle: (event) => void handled.push(event),
  });

  it("is answered with the challenge after the signature verifies, and the handler does not run", async () => {
    const { headers } = signWebhook(slack.slackWebhooksDefinition, { body, secret, timestamp: NOW });
    const response = await handler({ headers, body, method: "POST" });
    expect(response).toEqual({
      status: 200,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "content-type": "text/plain; charset=utf-8" },
      body: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
    expect(handled).toEqual([]);
  });

  it("is not answered when signed with another secret or stale", async () => {
    for (const { headers } of [
      signWebhook(slack.slackWebhooksDefinition, { body, secret: "other", timestamp: NOW }),
      signWebhook(slack.slackWebhooksDefinition, { body, secret, timestamp: NOW - 3600 }),
    ]) {
      const response = await handler({ headers, body, method: "POST" });
      expect(response.status).toBe(401);
      expect(response.body).not.toContain("3eZbrw1a");
    }
  });

  it("verifyWebhook reports the handshake on the event for callers without the runner", async () => {
    const { headers } = signWebhook(slack.slackWebhooksDefinition, { body, secret, timestamp: NOW });
    const event = await slack.verifySlackWebhook({ headers, body }, { secret, now: NOW });
    expect(event.handshake).toMatchObject({ name: "urlVerification", status: 200 });
  });
});

describe("Dropbox GET ?challenge= (unsigned)", () => {
  const handler = createWebhookHandler({
    verify: (delivery) => dropbox.verifyDropboxWebhook(delivery, { secret: "app-secret" }),
    handle: () => {
      throw new Error("the handler must not run for a challenge");
    },
  });
  const get = (query: string): WebhookDelivery => ({
    headers: {},
    body: "",
    method: "GET",
    url: `https://example.com/webhooks/dropbox${query}`,
  });

  it("echoes the challenge as text/plain with nosniff, before any signature check", async () => {
    const response = await handler(get("?challenge=c2VjcmV0LWNoYWxsZW5nZQ"));
    expect(response).toEqual({
      status: 200,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "content-type": "text/plain; charset=utf-8" },
      body: "c2VjcmV0LWNoYWxsZW5nZQ",
    });
  });

  it("refuses a challenge with control characters (no header injection, no echo) and a POST without a signature", async () => {
    const bad = await handler(get("?challenge=a%0d%0aSet-Cookie:%20x=1"));
    expect(bad).toMatchObject({ status: 400, body: '{"error":"invalid_payload"}' });
    const post = await handler({ headers: {}, body: "{}", method: "POST", url: "https://example.com/webhooks/dropbox?challenge=x" });
    expect(post.status).toBe(401);
    // A GET without a challenge is not a handshake: it is verified like any delivery.
    expect((await handler(get(""))).status).toBe(401);
  });
});

describe("Twitch: RFC 3339 timestamps, revocations mapped by message type", () => {
  const secret = "twitch-secret";
  const body = JSON.stringify({ subscription: { id: "s1", type: "channel.follow", status: "authorization_revoked" } });
  const headers = (type: string, timestamp: string) => ({
    ...signWebhook(twitch.twitchWebhooksDefinition, { body, secret, id: "m1", timestamp }).headers,
    "twitch-eventsub-message-type": type,
  });

  it("a revocation is typed revocation, a notification by its subscription type", async () => {
    const at = new Date(NOW * 1000).toISOString();
    expect(await twitch.verifyTwitchWebhook({ headers: headers("revocation", at), body }, { secret, now: NOW })).toMatchObject({
      type: "revocation",
      id: "m1",
    });
    expect(await twitch.verifyTwitchWebhook({ headers: headers("notification", at), body }, { secret, now: NOW })).toMatchObject({
      type: "channel.follow",
    });
  });

  it("judges tolerance on the RFC 3339 value in both directions", async () => {
    const old = new Date((NOW - 601) * 1000).toISOString();
    const ahead = new Date((NOW + 601) * 1000).toISOString();
    for (const at of [old, ahead])
      await expect(twitch.verifyTwitchWebhook({ headers: headers("notification", at), body }, { secret, now: NOW })).rejects.toMatchObject({
        code: "timestamp_out_of_tolerance",
      });
  });

  it("signWebhook writes a numeric timestamp as RFC 3339 for Twitch", () => {
    const { headers: signed } = signWebhook(twitch.twitchWebhooksDefinition, { body, secret, timestamp: NOW });
    expect(signed["twitch-eventsub-message-timestamp"]).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("Microsoft Graph POST ?validationToken= (unsigned, specs/msgraph.yaml)", () => {
  const secret = "graph-client-state";
  const handled: unknown[] = [];
  const handler = createWebhookHandler({
    verify: (delivery) => msgraph.verifyMsgraphWebhook(delivery, { secret }),
    handle: (event) => void handled.push(event),
  });
  const validation = (query: string, method = "POST"): WebhookDelivery => ({
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: "",
    method,
    url: `https://example.com/webhooks/graph${query}`,
  });

  it("answers 200 text/plain with the token URL-decoded (+ and %20 as spaces), before any check, without the handler", async () => {
    const response = await handler(validation("?validationToken=Validation%3a+Testing+client%20application+reachability"));
    expect(response).toEqual({
      status: 200,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "content-type": "text/plain; charset=utf-8" },
      body: "Validation: Testing client application reachability",
    });
    expect(handled).toEqual([]);
  });

  it("the answer is the echo alone: it carries neither the secret nor anything derived from it", async () => {
    const token = "t0ken";
    const response = await handler(validation(`?validationToken=${token}`));
    expect(response.body).toBe(token);
    expect(JSON.stringify(response)).not.toContain(secret);
    // The same token under another secret gets the same answer: nothing in it depends on the secret.
    const other = createWebhookHandler({ verify: (d) => msgraph.verifyMsgraphWebhook(d, { secret: "another" }), handle: () => {} });
    expect(await other(validation(`?validationToken=${token}`))).toEqual(response);
  });

  it("is refused with control characters and on GET (the spec declares POST); a notification is checked like any delivery", async () => {
    expect(await handler(validation("?validationToken=a%0d%0aSet-Cookie:%20x=1"))).toMatchObject({ status: 400 });
    expect((await handler(validation("?validationToken=x", "GET"))).status).toBe(400);
    const notification = JSON.stringify({ value: [{ subscriptionId: "s1", changeType: "created", clientState: "wrong" }] });
    const forged = await handler({ headers: {}, body: notification, method: "POST", url: "https://example.com/webhooks/graph" });
    expect(forged).toMatchObject({ status: 401, body: '{"error":"signature_mismatch"}' });
    expect(handled).toEqual([]);
  });
});

/** A webhooks definition as the generator models it from a handshake fixture spec. */
async function fixtureWebhooks(name: "zoom" | "discord" | "okta" | "asana"): Promise<WebhooksDefinition> {
  const file = path.join(import.meta.dirname, "../../fixtures/handshakes", `${name}.yaml`);
  const result = await readSpec(resolveConfig({ cwd: path.resolve(import.meta.dirname, "../../..") }), file);
  expect(result.diagnostics).toEqual([]);
  return result.model!.definition.webhooks!;
}

describe("Zoom endpoint.url_validation (signed; answered with the token and its HMAC, test/fixtures/handshakes/zoom.yaml)", () => {
  const secret = "zoom-secret-token";
  const plainToken = "qgg8vlvZRS6UYooatFL8Aw";
  const body = JSON.stringify({ payload: { plainToken }, event_ts: 1_654_503_849_680, event: "endpoint.url_validation" });
  /** Signed as Zoom's docs and webhook sample sign: "v0=" + hex HMAC-SHA256 of "v0:" + timestamp + ":" + body. */
  const zoomHeaders = (key: string) => ({
    "x-zm-request-timestamp": String(NOW),
    "x-zm-signature": `v0=${createHmac("sha256", key).update(`v0:${NOW}:${body}`).digest("hex")}`,
  });
  /** What Zoom's sample answers: the token, and hex HMAC-SHA256 of it under the secret token. */
  const expected = (key: string) =>
    JSON.stringify({ plainToken, encryptedToken: createHmac("sha256", key).update(plainToken).digest("hex") });

  it("answers {plainToken, encryptedToken} as application/json once the signature verifies, without the handler", async () => {
    const definition = await fixtureWebhooks("zoom");
    const handler = createWebhookHandler({
      verify: (delivery) => verifyWebhookDelivery("zoom", definition, delivery, { secret, now: NOW }),
      handle: () => {
        throw new Error("the handler must not run for a challenge");
      },
    });
    const response = await handler({ headers: zoomHeaders(secret), body, method: "POST" });
    expect(response).toEqual({
      status: 200,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "content-type": "application/json" },
      body: expected(secret),
    });
  });

  it("keys the HMAC with the secret the challenge verified under, during a rotation", async () => {
    const definition = await fixtureWebhooks("zoom");
    const event = await verifyWebhookDelivery(
      "zoom",
      definition,
      { headers: zoomHeaders("old-token"), body },
      {
        secret: ["new-token", "old-token"],
        now: NOW,
      },
    );
    expect(event.handshake?.body).toBe(expected("old-token"));
  });

  it("refuses a challenge signed with another secret: the rejection carries neither the token nor any MAC", async () => {
    const definition = await fixtureWebhooks("zoom");
    const handler = createWebhookHandler({
      verify: (delivery) => verifyWebhookDelivery("zoom", definition, delivery, { secret, now: NOW }),
      handle: () => undefined,
    });
    const response = await handler({ headers: zoomHeaders("attacker-guess"), body, method: "POST" });
    expect(response.status).toBe(401);
    expect(response.body).not.toContain(plainToken);
    expect(response.body).not.toContain(createHmac("sha256", secret).update(plainToken).digest("hex"));
    expect(response.body).not.toContain(createHmac("sha256", "attacker-guess").update(plainToken).digest("hex"));
  });

  it("handshakeAnswerContent refuses an HMAC field without a secret (never a MAC under an empty or absent key)", async () => {
    const definition = await fixtureWebhooks("zoom");
    expect(() => handshakeAnswerContent(definition.handshakes![0]!, plainToken)).toThrow(ConfigurationError);
  });
});

describe("Discord PING (signed with Ed25519; answered with a constant PONG, test/fixtures/handshakes/discord.yaml)", () => {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // The application's public key as the developer portal shows it: the raw 32 bytes in hex.
  const applicationKey = publicKey.export({ type: "spki", format: "der" }).subarray(12).toString("hex");
  const signed = (body: string, key = privateKey) => ({
    headers: {
      "x-signature-timestamp": String(NOW),
      "x-signature-ed25519": sign(null, Buffer.from(`${NOW}${body}`), key).toString("hex"),
    },
    body,
    method: "POST",
  });
  const handled: WebhookEvent[] = [];
  const handlerOf = (definition: WebhooksDefinition) =>
    createWebhookHandler({
      verify: (delivery) => verifyWebhookDelivery("discord", definition, delivery, { publicKey: applicationKey }),
      handle: (event) => void handled.push(event),
    });

  it('answers a signed PING with {"type":1} as application/json, without the handler', async () => {
    const handler = handlerOf(await fixtureWebhooks("discord"));
    const response = await handler(signed(JSON.stringify({ id: "1", application_id: "2", type: 1, version: 1 })));
    expect(response).toMatchObject({ status: 200, body: '{"type":1}' });
    expect(response.headers["content-type"]).toBe("application/json");
    expect(handled).toEqual([]);
  });

  it("refuses a PING signed with another key (Discord sends such PINGs and expects 401), and runs the handler for a command", async () => {
    const handler = handlerOf(await fixtureWebhooks("discord"));
    const forged = await handler(signed(JSON.stringify({ type: 1 }), generateKeyPairSync("ed25519").privateKey));
    expect(forged.status).toBe(401);
    expect(forged.body).not.toContain('"type":1');
    const command = await handler(signed(JSON.stringify({ id: "3", type: 2, data: { name: "hello" } })));
    expect(command.status).toBe(200);
    expect(handled.map((e) => e.type)).toEqual(["application_command"]);
  });
});

describe("Okta's verification GET (no body; authenticated by the secret header, test/fixtures/handshakes/okta.yaml)", async () => {
  const definition = await fixtureWebhooks("okta");
  const secret = "okta-hook-secret";
  const challenge = "Me_rShK8ZE4FPm0fuhdEbqOjLVJW4mtsoy6ayn2EC0Y";
  const handled: unknown[] = [];
  const handler = createWebhookHandler({
    verify: (delivery) => verifyWebhookDelivery("okta", definition, delivery, { secret }),
    handle: (event) => void handled.push(event),
  });
  const get = (headers: Record<string, string>) => handler({ headers, body: "", method: "GET", url: "https://example.com/hooks/okta" });

  it("answers a GET that carries the secret with {verification: challenge}, and the handler does not run", async () => {
    const response = await get({ authorization: secret, "x-okta-verification-challenge": challenge });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ verification: challenge });
    expect(handled).toEqual([]);
  });

  it("does not answer a GET without the secret or with another one", async () => {
    for (const headers of [
      { "x-okta-verification-challenge": challenge },
      { authorization: "other", "x-okta-verification-challenge": challenge },
    ]) {
      const response = await get(headers);
      expect(response.status).toBe(401);
      expect(response.body).not.toContain(challenge);
    }
  });

  it("still refuses an authenticated empty body that is no challenge (invalid_payload), and handles events", async () => {
    const empty = await handler({ headers: { authorization: secret }, body: "", method: "POST" });
    expect(empty).toMatchObject({ status: 400, body: '{"error":"invalid_payload"}' });
    const event = { eventId: "evt-1", data: { events: [{ eventType: "user.session.start" }] } };
    const posted = await handler({ headers: { authorization: secret }, body: JSON.stringify(event), method: "POST" });
    expect(posted.status).toBe(200);
    expect(handled).toEqual([expect.objectContaining({ type: "user.session.start", id: "evt-1" })]);
  });
});

describe("Asana's X-Hook-Secret handshake (unsigned; answered in a response header, test/fixtures/handshakes/asana.yaml)", async () => {
  const definition = await fixtureWebhooks("asana");
  const hookSecret = "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81";
  const handled: WebhookEvent[] = [];
  const handlerFor = (webhooks: WebhooksDefinition) =>
    createWebhookHandler({
      verify: (delivery) => verifyWebhookDelivery("asana", webhooks, delivery, { secret: hookSecret }),
      handle: (event) => void handled.push(event),
    });
  const handler = handlerFor(definition);

  it("answers 200 with the value in the X-Hook-Secret response header and an empty body, before any signature, without the handler", async () => {
    const response = await handler({ headers: { "x-hook-secret": hookSecret }, body: "", method: "POST" });
    expect(response).toEqual({
      status: 200,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "x-hook-secret": hookSecret },
      body: "",
    });
    expect(handled).toEqual([]);
  });

  it("refuses an X-Hook-Secret repeated with different values (an array, or mixed-case keys) as malformed_signature, echoing neither", async () => {
    for (const headers of [{ "x-hook-secret": [hookSecret, "other"] }, { "X-Hook-Secret": "other", "X-HOOK-SECRET": hookSecret }]) {
      const response = await handler({ headers, body: "", method: "POST" });
      expect(response).toMatchObject({ status: 400, body: '{"error":"malformed_signature"}' });
      expect(response.headers["x-hook-secret"]).toBeUndefined();
    }
    const same = await handler({ headers: { "X-Hook-Secret": hookSecret, "x-hook-secret": [hookSecret] }, body: "", method: "POST" });
    expect(same).toMatchObject({ status: 200, body: "" });
    expect(same.headers["x-hook-secret"]).toBe(hookSecret);
    expect(handled).toEqual([]);
  });

  it("answers with the echo alone: a body sent with the challenge is neither read nor returned", async () => {
    const response = await handler({ headers: { "x-hook-secret": "abc" }, body: '{"data":"not echoed"}', method: "POST" });
    expect(response).toMatchObject({ status: 200, body: "" });
    expect(response.headers["x-hook-secret"]).toBe("abc");
    expect(Object.values(response.headers).join()).not.toContain("not echoed");
    expect(handled).toEqual([]);
  });

  it("refuses an echo that cannot be a header value (a line break, a non-ASCII character) with invalid_payload, echoing nothing", async () => {
    const crlf = await handler({ headers: { "x-hook-secret": "a\r\nSet-Cookie: x=1" }, body: "", method: "POST" });
    expect(crlf).toMatchObject({ status: 400, body: '{"error":"invalid_payload"}' });
    // The same answer from a query parameter, where a value may hold any character.
    const fromQuery: WebhooksDefinition = {
      ...definition,
      handshakes: [{ ...definition.handshakes![0]!, when: { at: { query: "secret" } }, echo: { query: "secret" } }],
    };
    const accented = await handlerFor(fromQuery)({ headers: {}, body: "", method: "POST", url: "https://example.com/a?secret=caf%C3%A9" });
    expect(accented).toMatchObject({ status: 400, body: '{"error":"invalid_payload"}' });
    expect(accented.headers["x-hook-secret"]).toBeUndefined();
  });

  it("verifies events by X-Hook-Signature, the hex HMAC-SHA256 of the body under the handshake's secret", async () => {
    const body = JSON.stringify({ events: [{ action: "added", resource: { gid: "12", resource_type: "task" } }] });
    const signature = createHmac("sha256", hookSecret).update(body).digest("hex");
    const response = await handler({ headers: { "x-hook-signature": signature }, body, method: "POST" });
    expect(response.status).toBe(200);
    expect(response.headers["x-hook-secret"]).toBeUndefined();
    expect(handled.map((e) => e.type)).toEqual(["added"]);
    const { headers } = signWebhook(definition, { body, secret: hookSecret });
    expect(headers["x-hook-signature"]).toBe(signature);
    const forged = await handler({ headers: { "x-hook-signature": createHmac("sha256", "guess").update(body).digest("hex") }, body });
    expect(forged.status).toBe(401);
  });

  it("the webhook inbox's receiver answers it the same way and stores nothing", async () => {
    const inbox = new SqliteInbox({ path: ":memory:" });
    try {
      const receive = createInboxWebhookHandler({
        verify: (delivery) => verifyWebhookDelivery("asana", definition, delivery, { secret: hookSecret }),
        inbox,
      });
      const response = await receive({ headers: { "x-hook-secret": hookSecret }, body: "", method: "POST" });
      expect(response).toMatchObject({ status: 200, body: "" });
      expect(response.headers["x-hook-secret"]).toBe(hookSecret);
      expect(inbox.counts().pending).toBe(0);
    } finally {
      inbox.close();
    }
  });

  it("handshakeAnswerContent puts the echo in the named header and nothing in the body", () => {
    expect(handshakeAnswerContent(definition.handshakes![0]!, "v")).toEqual({ headers: { "x-hook-secret": "v" }, body: "" });
  });
});
