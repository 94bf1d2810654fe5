/**
 * What every framework adapter test checks on a real server on loopback: the exact raw bytes reach the
 * verifier (a body that re-serialization would change verifies), a tampered body is answered 401, an
 * oversized one 413, and a redelivery 200 duplicate without running the handler again.
 */
import { createHmac } from "node:crypto";
import path from "node:path";
import { expect, it } from "vitest";
import { resolveConfig } from "../../generator/config.js";
import { readSpec } from "../../generator/generate.js";
import * as dropbox from "../../generated/dropbox/index.js";
import * as msgraph from "../../generated/msgraph/index.js";
import * as twitch from "../../generated/twitch/index.js";
import { verifyWebhookDelivery } from "../../runtime/contract.js";
import { createWebhookHandler, type WebhookHandler } from "../../runtime/index.js";
import { signWebhook } from "../../runtime/webhooks/sign.js";
import { createTestVerifier, signTestDelivery, type TestEvent } from "./test-webhook-signer.js";

/** `1.0` becomes `1`, `\u00e9` becomes `é`, the odd whitespace goes: JSON.stringify(JSON.parse(x)) !== x. */
export const RAW_BODY = '{ "id" : "evt_raw",\t"type":"raw.test",  "a": 1.0, "b": "\\u00e9",\r\n "c": "é" }\n';

/** The limit every adapter under test is configured with. */
export const TEST_MAX_BODY_BYTES = 4096;

export interface AdapterHarness {
  /**
   * Starts the framework on 127.0.0.1 with `handler` at `url` and, where the framework parses JSON,
   * an `echoUrl` route that answers the JSON body it parsed: the rest of the app must keep parsing.
   */
  start(handler: WebhookHandler): Promise<{ url: string; echoUrl?: string; close: () => Promise<void> }>;
}

export function recordingHandler(): { handler: WebhookHandler; events: TestEvent[] } {
  const events: TestEvent[] = [];
  const handler = createWebhookHandler<TestEvent>({ verify: createTestVerifier(), handle: (event) => void events.push(event) });
  return { handler, events };
}

export function postSigned(url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...signTestDelivery(body), ...headers }, body });
}

export function itHandsTheRawBodyToTheRunner(harness: AdapterHarness): void {
  it("verifies the exact raw bytes of a body that re-serialization would change, and runs the handler once", async () => {
    expect(JSON.stringify(JSON.parse(RAW_BODY))).not.toBe(RAW_BODY);
    const { handler, events } = recordingHandler();
    const server = await harness.start(handler);
    try {
      const response = await postSigned(server.url, RAW_BODY);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true });
      expect(events.map((event) => [event.id, event.payload["a"], event.payload["b"]])).toEqual([["evt_raw", 1, "é"]]);
      const again = await postSigned(server.url, RAW_BODY);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ received: true, duplicate: true });
      expect(events).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("answers 401 signature_mismatch to a body re-serialized after signing, without running the handler", async () => {
    const { handler, events } = recordingHandler();
    const server = await harness.start(handler);
    try {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signTestDelivery(RAW_BODY) },
        body: JSON.stringify(JSON.parse(RAW_BODY)),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "signature_mismatch" });
      expect(events).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("answers 401 missing_signature to an unsigned delivery", async () => {
    const { handler } = recordingHandler();
    const server = await harness.start(handler);
    try {
      const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: RAW_BODY });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "missing_signature" });
    } finally {
      await server.close();
    }
  });

  it("answers 413 payload_too_large to a body over the adapter's limit, without running the handler", async () => {
    const { handler, events } = recordingHandler();
    const server = await harness.start(handler);
    try {
      const big = JSON.stringify({ id: "evt_big", type: "big", pad: "x".repeat(TEST_MAX_BODY_BYTES) });
      const response = await postSigned(server.url, big);
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: "payload_too_large" });
      expect(events).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("verifies bytes that are not valid UTF-8 as bytes (answered 400 invalid_payload by the verifier, not 401)", async () => {
    const { handler } = recordingHandler();
    const server = await harness.start(handler);
    try {
      const bytes = Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      const response = await postSigned(server.url, bytes, { "content-type": "application/octet-stream" });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_payload" });
    } finally {
      await server.close();
    }
  });

  it("answers 413 to a streamed body without Content-Length that grows past the limit", async () => {
    const { handler, events } = recordingHandler();
    const server = await harness.start(handler);
    try {
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let index = 0; index < 10; index++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
          controller.close();
        },
      });
      const response = await fetch(server.url, { method: "POST", body: chunks, duplex: "half" } as RequestInit);
      expect(response.status).toBe(413);
      expect(events).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("leaves the rest of the app parsing JSON as usual", async () => {
    const { handler, events } = recordingHandler();
    const server = await harness.start(handler);
    try {
      expect((await postSigned(server.url, RAW_BODY)).status).toBe(200);
      expect(events).toHaveLength(1);
      if (server.echoUrl === undefined) return; // node:http has no parser of its own
      const echo = await fetch(server.echoUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a": 1.0}' });
      expect(echo.status).toBe(200);
      expect(await echo.json()).toEqual({ a: 1 });
    } finally {
      await server.close();
    }
  });
}

/** Twitch's signed callback-verification challenge (specs/twitch.yaml), signed as Twitch signs it. */
const TWITCH_SECRET = "s3cre7-adapter-test";
const CHALLENGE = "pogchamp-kappa-360noscope-vohiyo";
const CHALLENGE_BODY = JSON.stringify({ challenge: CHALLENGE, subscription: { id: "sub_1", type: "channel.follow", status: "pending" } });

function twitchHandler(): { handler: WebhookHandler; handled: unknown[] } {
  const handled: unknown[] = [];
  const handler = createWebhookHandler({
    verify: (delivery) => twitch.verifyTwitchWebhook(delivery, { secret: TWITCH_SECRET }),
    handle: (event) => void handled.push(event),
  });
  return { handler, handled };
}

function challengeHeaders(secret: string): Record<string, string> {
  const signed = signWebhook(twitch.twitchWebhooksDefinition, { body: CHALLENGE_BODY, secret, id: "msg_challenge_1" });
  return { ...signed.headers, "twitch-eventsub-message-type": "webhook_callback_verification" };
}

/** Issue #15: a signed challenge is answered with its echo only after the signature verifies. */
export function itAnswersSignedHandshakesAfterVerification(harness: AdapterHarness): void {
  it("answers Twitch's signed callback verification with the challenge as text/plain, without running the handler", async () => {
    const { handler, handled } = twitchHandler();
    const server = await harness.start(handler);
    try {
      const response = await fetch(server.url, { method: "POST", headers: challengeHeaders(TWITCH_SECRET), body: CHALLENGE_BODY });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await response.text()).toBe(CHALLENGE);
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("answers a challenge signed with another secret 401 signature_mismatch: no echo, no MAC in the answer", async () => {
    const { handler, handled } = twitchHandler();
    const server = await harness.start(handler);
    try {
      const headers = challengeHeaders("attacker-secret");
      const response = await fetch(server.url, { method: "POST", headers, body: CHALLENGE_BODY });
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: "signature_mismatch" });
      expect(text).not.toContain(CHALLENGE);
      expect(text).not.toMatch(/[0-9a-f]{32}/);
      const unsigned = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", "twitch-eventsub-message-type": "webhook_callback_verification" },
        body: CHALLENGE_BODY,
      });
      expect(unsigned.status).toBe(401);
      expect(await unsigned.text()).toBe('{"error":"missing_signature"}');
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });
}

/** `url` with the query parameter `name` set to `value` (the node:http harness's URL already has a query). */
function withQuery(url: string, name: string, value: string): string {
  const next = new URL(url);
  next.searchParams.set(name, value);
  return next.toString();
}

/**
 * Issue #15: Dropbox's GET ?challenge= (specs/dropbox.yaml, declared `authenticated: false`: Dropbox cannot
 * sign a GET) answered through the adapter as the runner answers it: the echo alone, before verification;
 * anything else on the route is verified like any delivery. The harness must route GET to the handler.
 */
export function itAnswersGetChallenges(harness: AdapterHarness): void {
  const CHALLENGE_VALUE = "dBx-chAllenge_0123456789";
  function dropboxHandler(): { handler: WebhookHandler; handled: unknown[] } {
    const handled: unknown[] = [];
    const handler = createWebhookHandler({
      verify: (delivery) => dropbox.verifyDropboxWebhook(delivery, { secret: "dropbox-app-secret" }),
      handle: (event) => void handled.push(event),
    });
    return { handler, handled };
  }

  it("answers Dropbox's GET ?challenge= with the value as text/plain and nosniff, without running the handler", async () => {
    const { handler, handled } = dropboxHandler();
    const server = await harness.start(handler);
    try {
      const response = await fetch(withQuery(server.url, "challenge", CHALLENGE_VALUE));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).toBe(CHALLENGE_VALUE);
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("answers no echo and no MAC to anything that is not the declared GET challenge", async () => {
    const { handler, handled } = dropboxHandler();
    const server = await harness.start(handler);
    try {
      // A challenge with a CR LF in it: refused, nothing echoed (no header or body injection).
      const injected = await fetch(withQuery(server.url, "challenge", "a\r\nSet-Cookie: x=1"));
      expect(injected.status).toBe(400);
      expect(await injected.text()).toBe('{"error":"invalid_payload"}');
      // The challenge parameter on a POST is no handshake (the spec declares GET): verified, and unsigned.
      const post = await fetch(withQuery(server.url, "challenge", CHALLENGE_VALUE), { method: "POST", body: "{}" });
      expect(post.status).toBe(401);
      const text = await post.text();
      expect(text).toBe('{"error":"missing_signature"}');
      // A GET without the challenge is verified like any delivery.
      const bare = await fetch(server.url);
      expect(bare.status).toBe(401);
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });
}

/**
 * Issue #15: Microsoft Graph's POST ?validationToken= (specs/msgraph.yaml, `authenticated: false`: Graph signs
 * nothing) answered through the adapter by the same rule as the other handshakes: 200 text/plain with the
 * token URL-decoded, before verification and without running the handler; a notification on the same route
 * is checked (every clientState equals the secret) like any delivery.
 */
export function itAnswersGraphValidation(harness: AdapterHarness): void {
  const TOKEN = "Validation: Testing client application reachability for subscription Request-Id: 522a8e7e-096a-494c";
  const SECRET = "graph-client-state-0123";
  function graphHandler(): { handler: WebhookHandler; handled: unknown[] } {
    const handled: unknown[] = [];
    const handler = createWebhookHandler({
      verify: (delivery) => msgraph.verifyMsgraphWebhook(delivery, { secret: SECRET }),
      handle: (event) => void handled.push(event),
    });
    return { handler, handled };
  }

  it("answers Graph's POST ?validationToken= with the decoded token as text/plain, without running the handler", async () => {
    const { handler, handled } = graphHandler();
    const server = await harness.start(handler);
    try {
      const response = await fetch(withQuery(server.url, "validationToken", TOKEN), {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: "",
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await response.text()).toBe(TOKEN);
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("checks a notification's clientState: the secret is handled (200), another is 401, and neither echoes anything", async () => {
    const { handler, handled } = graphHandler();
    const server = await harness.start(handler);
    try {
      const notification = (clientState: string) =>
        JSON.stringify({ value: [{ subscriptionId: "s1", changeType: "created", resource: "users", clientState }] });
      const good = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: notification(SECRET) });
      expect(good.status).toBe(200);
      const bad = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: notification("guess") });
      expect(bad.status).toBe(401);
      expect(await bad.text()).toBe('{"error":"signature_mismatch"}');
      expect(handled).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
}

/**
 * Issue #15: Asana's handshake (test/fixtures/handshakes/asana.yaml): a POST with X-Hook-Secret, unsigned,
 * answered 200 with the same value in the X-Hook-Secret response header and an empty body, before
 * verification and without running the handler; later deliveries are checked against that secret.
 */
export function itAnswersHandshakesInAHeader(harness: AdapterHarness): void {
  const HOOK_SECRET = "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81";
  async function asanaHandler(): Promise<{ handler: WebhookHandler; handled: unknown[] }> {
    const repo = path.resolve(import.meta.dirname, "../..");
    const spec = await readSpec(resolveConfig({ cwd: repo }), path.join(repo, "test/fixtures/handshakes/asana.yaml"));
    const definition = spec.model!.definition.webhooks!;
    const handled: unknown[] = [];
    const handler = createWebhookHandler({
      verify: (delivery) => verifyWebhookDelivery("asana", definition, delivery, { secret: HOOK_SECRET }),
      handle: (event) => void handled.push(event),
    });
    return { handler, handled };
  }

  it("answers Asana's X-Hook-Secret POST with the value in the X-Hook-Secret response header and an empty body, without the handler", async () => {
    const { handler, handled } = await asanaHandler();
    const server = await harness.start(handler);
    try {
      const response = await fetch(server.url, { method: "POST", headers: { "X-Hook-Secret": HOOK_SECRET } });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-hook-secret")).toBe(HOOK_SECRET);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).toBe("");
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("checks an Asana event's X-Hook-Signature (hex HMAC-SHA256 of the body): handled under the secret, 401 and no echo otherwise", async () => {
    const { handler, handled } = await asanaHandler();
    const server = await harness.start(handler);
    try {
      const body = JSON.stringify({ events: [{ action: "changed", resource: { gid: "1", resource_type: "task" } }] });
      const post = (key: string) =>
        fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hook-signature": createHmac("sha256", key).update(body).digest("hex") },
          body,
        });
      const good = await post(HOOK_SECRET);
      expect(good.status).toBe(200);
      expect(good.headers.get("x-hook-secret")).toBeNull();
      const bad = await post("guess");
      expect(bad.status).toBe(401);
      expect(bad.headers.get("x-hook-secret")).toBeNull();
      expect(handled).toEqual([expect.objectContaining({ type: "changed" })]);
    } finally {
      await server.close();
    }
  });
}
