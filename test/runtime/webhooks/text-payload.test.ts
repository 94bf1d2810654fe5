/**
 * payload.encoding text (issue #15): a body that is neither JSON nor a form (Zendesk trigger webhooks may
 * send XML) is verified like any other and handed over as the UTF-8 string it is; the event id comes from a
 * header. Signed as Zendesk's docs say: base64(HMAC-SHA256(timestamp + body)) under the signing secret, the
 * timestamp in X-Zendesk-Webhook-Signature-Timestamp (test/fixtures/webhook-specs/zendesk.yaml).
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../generator/config.js";
import { readSpec } from "../../../generator/generate.js";
import { verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { createWebhookHandler, isConfigurationError, isWebhookVerificationError, type WebhookEvent } from "../../../runtime/index.js";
import { createNodeWebhookListener } from "../../../runtime/webhooks/adapters/node-http.js";
import { webhookPartsFor } from "../../../runtime/webhooks/parts.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";
import { webhookTimestampFormats } from "../../../runtime/webhooks/verifier-parts.js";
import { verifyWebhookWith } from "../../../runtime/webhooks/verify.js";

const repo = path.resolve(import.meta.dirname, "../../..");
/** The signing secret of Zendesk's verification example. */
const SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
const TIMESTAMP = "2021-03-25T05:09:27Z";
const NOW = Date.parse(TIMESTAMP) / 1000 + 10;
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n<ticket><id>35436</id><subject>Café &amp; crème</subject></ticket>\n';

async function zendeskWebhooks(): Promise<WebhooksDefinition> {
  const result = await readSpec(resolveConfig({ cwd: repo }), path.join(repo, "test/fixtures/webhook-specs/zendesk.yaml"));
  expect(result.diagnostics).toEqual([]);
  return result.model!.definition.webhooks!;
}

/** The headers Zendesk sends, signed independently of the runtime's signer. */
function zendeskHeaders(body: string | Buffer, secret = SECRET, timestamp = TIMESTAMP): Record<string, string> {
  const signature = createHmac("sha256", secret)
    .update(Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]))
    .digest("base64");
  return {
    "content-type": "application/xml",
    "x-zendesk-webhook-signature": signature,
    "x-zendesk-webhook-signature-timestamp": timestamp,
    "x-zendesk-webhook-invocation-id": "8350205582",
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    if (isWebhookVerificationError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
}

describe("payload.encoding text (a Zendesk-like XML delivery)", async () => {
  const definition = await zendeskWebhooks();
  const verify = (headers: Record<string, string>, body: string | Uint8Array, secret = SECRET) =>
    verifyWebhookDelivery("zendesk", definition, { headers, body }, { secret, now: NOW });

  it("verifyWebhook hands over the XML body as the string it is, with the id from its header", async () => {
    const event = await verify(zendeskHeaders(XML), Buffer.from(XML));
    expect(event).toEqual({ type: "", id: "8350205582", payload: XML });
    // The same from a string body.
    expect((await verify(zendeskHeaders(XML), XML)).payload).toBe(XML);
  });

  it("refuses a tampered body, another secret and a stale timestamp, as for any scheme", async () => {
    const headers = zendeskHeaders(XML);
    expect(await codeOf(verify(headers, XML.replace("35436", "35437")))).toMatch(/^signature_mismatch/);
    expect(await codeOf(verify(zendeskHeaders(XML, "other"), XML))).toMatch(/^signature_mismatch/);
    const stale = "2021-03-25T04:00:00Z";
    expect(await codeOf(verify(zendeskHeaders(XML, SECRET, stale), XML))).toMatch(/^timestamp_out_of_tolerance/);
  });

  it("refuses a signed body that is not UTF-8 (invalid_payload) rather than replacing its bytes", async () => {
    const latin1 = Buffer.from("<subject>caf\xe9</subject>", "latin1");
    expect(await codeOf(verify(zendeskHeaders(latin1), latin1))).toBe("invalid_payload: the body is not valid UTF-8 text");
  });

  it("drops a leading byte order mark, from bytes and from a string alike", async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(XML)]);
    expect((await verify(zendeskHeaders(withBom), withBom)).payload).toBe(XML);
    const text = `\ufeff${XML}`;
    expect((await verify(zendeskHeaders(text), text)).payload).toBe(XML);
  });

  it("refuses an empty body unless the spec allows one, as under json", async () => {
    expect(await codeOf(verify(zendeskHeaders(""), ""))).toBe("invalid_payload: the body is empty");
  });

  it("signWebhook signs what the verifier accepts, with text/plain as the default Content-Type", async () => {
    const signed = signWebhook(definition, { body: XML, secret: SECRET, timestamp: TIMESTAMP });
    expect(signed.headers).toMatchObject({
      "content-type": "text/plain; charset=utf-8",
      "x-zendesk-webhook-signature": zendeskHeaders(XML)["x-zendesk-webhook-signature"],
    });
    expect((await verify({ ...signed.headers }, XML)).payload).toBe(XML);
    expect(signWebhook(definition, { body: XML, secret: SECRET, contentType: "application/xml" }).headers["content-type"]).toBe(
      "application/xml",
    );
  });

  it("reaches the handler as a string through a node:http listener (createNodeWebhookListener)", async () => {
    const handled: WebhookEvent[] = [];
    const handler = createWebhookHandler({
      verify: (delivery) => verifyWebhookDelivery("zendesk", definition, delivery, { secret: SECRET, now: NOW }),
      handle: (event) => void handled.push(event),
    });
    const server = createServer(createNodeWebhookListener(handler));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/zendesk`;
      const good = await fetch(url, { method: "POST", headers: zendeskHeaders(XML), body: XML });
      expect(good.status).toBe(200);
      const bad = await fetch(url, { method: "POST", headers: zendeskHeaders(XML, "guess"), body: XML });
      expect(bad.status).toBe(401);
      expect(handled.map((e) => e.payload)).toEqual([XML]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("needs the webhookForms part (which decodes text): a verifier without it refuses the definition", async () => {
    expect(webhookPartsFor(definition)).toEqual(["webhookForms", "webhookTimestampFormats"]);
    const error = await verifyWebhookWith(
      [webhookTimestampFormats],
      "zendesk",
      { ...definition },
      { headers: zendeskHeaders(XML), body: XML },
      { secret: SECRET, now: NOW },
    ).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe("verifying zendesk's webhooks needs the webhookForms part (pass it to verifyWebhookWith)");
  });

  it("a json spec still refuses the same XML as invalid_payload", async () => {
    const json: WebhooksDefinition = { ...definition, payload: { ...definition.payload, encoding: "json" } };
    const event = verifyWebhookDelivery("zendesk", json, { headers: zendeskHeaders(XML), body: XML }, { secret: SECRET, now: NOW });
    expect(await codeOf(event)).toBe("invalid_payload: the body is not valid JSON");
  });
});
