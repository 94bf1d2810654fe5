/**
 * Schemes that keep signed values in the JSON body (issue #15): Linear's replay timestamp
 * (webhookTimestamp, milliseconds, covered by the body's HMAC) and Mailgun's signature object (the HMAC of
 * signature.timestamp + signature.token, carried in the body beside them). Each delivery is signed here
 * with node:crypto as the provider's docs describe, independently of signWebhook, and signWebhook is
 * checked against the same computation.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../generator/config.js";
import { readSpec } from "../../../generator/generate.js";
import { verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { isWebhookVerificationError, type WebhookDelivery } from "../../../runtime/index.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";

const NOW = 1_767_225_600;

async function fixture(name: "linear" | "mailgun"): Promise<WebhooksDefinition> {
  const file = path.join(import.meta.dirname, "../../fixtures/webhook-specs", `${name}.yaml`);
  const result = await readSpec(resolveConfig({ cwd: path.resolve(import.meta.dirname, "../../..") }), file);
  expect(result.diagnostics).toEqual([]);
  return result.model!.definition.webhooks!;
}

const outcome = (provider: string, definition: WebhooksDefinition, delivery: WebhookDelivery, secret: string) =>
  verifyWebhookDelivery(provider, definition, delivery, { secret, now: NOW }).then(
    () => "valid",
    (e: unknown) => (isWebhookVerificationError(e) ? e.code : `threw ${String(e)}`),
  );

describe("Linear: the replay timestamp in the body (webhookTimestamp, ms), the body's HMAC in Linear-Signature", async () => {
  const definition = await fixture("linear");
  const secret = "lin_wh_secret";
  const delivery = (timestampMs: unknown, key = secret, tamper = false): WebhookDelivery => {
    const body = JSON.stringify({ action: "create", type: "Issue", data: { id: "iss_1", title: "Bug" }, webhookTimestamp: timestampMs });
    const signature = createHmac("sha256", key).update(body).digest("hex");
    return { headers: { "linear-signature": signature, "linear-delivery": "dlv-1" }, body: tamper ? body.replace("Bug", "Bog") : body };
  };
  const check = (d: WebhookDelivery) => outcome("linear", definition, d, secret);

  it("accepts a fresh signed delivery and reads the event", async () => {
    const event = await verifyWebhookDelivery("linear", definition, delivery(NOW * 1000 + 30_000), { secret, now: NOW });
    expect(event).toMatchObject({ type: "Issue", id: "dlv-1" });
  });

  it("refuses a timestamp more than a minute away, either way, though the signature matches", async () => {
    expect(await check(delivery(NOW * 1000 - 61_000))).toBe("timestamp_out_of_tolerance");
    expect(await check(delivery(NOW * 1000 + 61_000))).toBe("timestamp_out_of_tolerance");
    expect(await check(delivery(NOW * 1000 - 59_000))).toBe("valid");
  });

  it("refuses a tampered body, another secret, and a body without a usable webhookTimestamp", async () => {
    expect(await check(delivery(NOW * 1000, secret, true))).toBe("signature_mismatch");
    expect(await check(delivery(NOW * 1000, "other"))).toBe("signature_mismatch");
    expect(await check(delivery(undefined))).toBe("missing_signature");
    expect(await check(delivery({ ms: NOW * 1000 }))).toBe("missing_signature");
    expect(await check(delivery("yesterday"))).toBe("malformed_signature");
    expect(await check({ headers: { "linear-signature": "00" }, body: "not json" })).toBe("invalid_payload");
  });

  it("signWebhook writes webhookTimestamp as a number, and signs the body it returns", async () => {
    const signed = signWebhook(definition, { body: JSON.stringify({ type: "Issue", data: {} }), secret, timestamp: NOW });
    expect(JSON.parse(signed.body!)).toEqual({ type: "Issue", data: {}, webhookTimestamp: NOW * 1000 });
    expect(signed.headers["linear-signature"]).toBe(createHmac("sha256", secret).update(signed.body!).digest("hex"));
    expect(await check({ headers: signed.headers, body: signed.body! })).toBe("valid");
  });
});

describe("Mailgun: the signature and what it signs in the body (signature.timestamp + signature.token)", async () => {
  const definition = await fixture("mailgun");
  const key = "key-mailgun-webhook-signing";
  const token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
  const body = (fields: { timestamp?: unknown; token?: unknown; signature?: unknown }, event = "opened") =>
    JSON.stringify({ signature: fields, "event-data": { event, id: "DACSsAdVSeGpLid7TN03WA", recipient: "alice@example.com" } });
  const signed = (timestamp: string, signingKey = key, tok = token) => ({
    timestamp,
    token: tok,
    signature: createHmac("sha256", signingKey)
      .update(timestamp + tok)
      .digest("hex"),
  });
  const check = (text: string) => outcome("mailgun", definition, { headers: { "content-type": "application/json" }, body: text }, key);

  it("accepts a delivery whose body carries a matching signature object, and reads the event", async () => {
    const event = await verifyWebhookDelivery(
      "mailgun",
      definition,
      { headers: {}, body: body(signed(String(NOW))) },
      { secret: key, now: NOW },
    );
    expect(event).toMatchObject({ type: "opened", id: "DACSsAdVSeGpLid7TN03WA" });
  });

  it("refuses another key, a changed token or timestamp, a stale timestamp, and a missing or malformed signature", async () => {
    expect(await check(body(signed(String(NOW), "other-key")))).toBe("signature_mismatch");
    expect(await check(body({ ...signed(String(NOW)), token: `${token}x` }))).toBe("signature_mismatch");
    expect(await check(body({ ...signed(String(NOW)), timestamp: String(NOW + 1) }))).toBe("signature_mismatch");
    expect(await check(body(signed(String(NOW - 301))))).toBe("timestamp_out_of_tolerance");
    expect(await check(body({ timestamp: String(NOW), token }))).toBe("missing_signature");
    expect(await check(body({ ...signed(String(NOW)), signature: "zz" }))).toBe("malformed_signature");
    expect(await check(body({ ...signed(String(NOW)), token: undefined }))).toBe("missing_signature");
    expect(await check("not json")).toBe("invalid_payload");
  });

  it("leaves event-data unsigned, as Mailgun does (the spec acknowledges it): a captured signature fits any event", async () => {
    expect(await check(body(signed(String(NOW)), "unsubscribed"))).toBe("valid");
  });

  it("validate warns that event-data is unsigned unless the spec acknowledges it, naming the fields that are signed", async () => {
    const source = readFileSync(path.join(import.meta.dirname, "../../fixtures/webhook-specs/mailgun.yaml"), "utf8");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "sb-mailgun-")), "mailgun.yaml");
    writeFileSync(file, source.replace("acknowledgeUnsignedBody: true", "acknowledgeUnsignedBody: false"));
    const result = await readSpec(resolveConfig({ cwd: path.resolve(import.meta.dirname, "../../..") }), file);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.message.split(":")[0]])).toEqual([
      ["warning", "SB3010", "the signed content covers only $.signature.timestamp and $.signature.token of the body"],
    ]);
  });

  it("signWebhook fills the timestamp, the token (the id) and the signature into the body", async () => {
    const input = JSON.stringify({ "event-data": { event: "delivered", id: "e1" } });
    const result = signWebhook(definition, { body: input, secret: key, timestamp: NOW, id: token });
    const sent = JSON.parse(result.body!) as { signature: { timestamp: unknown; token: string; signature: string } };
    expect(sent.signature).toEqual({ timestamp: NOW, token, signature: signed(String(NOW)).signature });
    expect(result.headers).toEqual({ "content-type": "application/json" });
    expect(await check(result.body!)).toBe("valid");
  });
});
