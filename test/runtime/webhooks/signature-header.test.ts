/**
 * The keyValue signature header's list syntax (signature-header.ts): optional whitespace (spaces, tabs)
 * before an item, as after an HTTP list's separator (WorkOS sends `t=<ms>, v1=<hex>`); nothing else new.
 * Whitespace inside or after an item, around `=`, and a trailing separator (which Stripe's and Mux's SDKs
 * ignore; no provider sends one) stay malformed: each would cost the webhook-only app bytes its target
 * does not have (app_webhook_min_gz).
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as stripe from "../../../generated/stripe/index.js";
import { verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { codeOf } from "../../helpers/verification-code.js";

const NOW = 1_767_225_600;
const body = JSON.stringify({ id: "evt_1", type: "invoice.paid" });
const secret = "whsec_list_syntax";

const hmac = (key: string, text: string) => createHmac("sha256", key).update(text).digest("hex");

describe("a Stripe-style header (separator ',', keys t and v1)", () => {
  const v1 = hmac(secret, `${NOW}.${body}`);
  const verify = (header: string) =>
    codeOf(stripe.verifyStripeWebhook({ headers: { "stripe-signature": header }, body }, { secret, now: NOW }));

  it.each([
    ["as Stripe sends it", `t=${NOW},v1=${v1}`],
    ["with a space after the separator", `t=${NOW}, v1=${v1}`],
    ["with a tab after the separator", `t=${NOW},\tv1=${v1}`],
    ["with spaces before the first item", `  t=${NOW},v1=${v1}`],
    ["with an unknown key, spaced", `t=${NOW}, v0=abc, v1=${v1}`],
  ])("verifies %s", async (_name, header) => {
    expect(await verify(header)).toBe("valid");
  });

  it.each([
    ["no timestamp item", `v1=${v1}`],
    ["a leading separator", `,t=${NOW},v1=${v1}`],
    ["an empty item", `t=${NOW},,v1=${v1}`],
    ["an item of spaces", `t=${NOW}, ,v1=${v1}`],
    ["a trailing separator", `t=${NOW},v1=${v1},`],
    ["a trailing separator and a space", `t=${NOW}, v1=${v1}, `],
    ["two trailing separators", `t=${NOW},v1=${v1},,`],
    ["a separator alone", ","],
    ["an item without =", `t=${NOW}, v1`],
    ["an item without a key", `t=${NOW}, =${v1}`],
    ["spaces around =", `t = ${NOW}, v1 = ${v1}`],
    ["a newline after the separator (not HTTP whitespace)", `t=${NOW},\nv1=${v1}`],
    ["a no-break space after the separator", `t=${NOW},\u00a0v1=${v1}`],
  ])("refuses %s as malformed", async (_name, header) => {
    expect(await verify(header)).toBe("malformed_signature");
  });

  it("still checks what the items say: a spaced header with another secret's signature is a mismatch", async () => {
    expect(await verify(`t=${NOW}, v1=${hmac("whsec_other", `${NOW}.${body}`)}`)).toBe("signature_mismatch");
  });
});

describe("WorkOS: WorkOS-Signature: t=<ms>, v1=<hex HMAC-SHA256 of `<ms>.<body>`>", () => {
  // As workos-node's SignatureProvider computes it: the timestamp in milliseconds, the secret as UTF-8.
  const { apiVersion: _stripeOnly, ...stripeWebhooks } = stripe.stripeWebhooksDefinition;
  const workos: WebhooksDefinition = {
    ...stripeWebhooks,
    signature: { ...stripe.stripeWebhooksDefinition.signature, header: "workos-signature", timestampFormat: "milliseconds" },
  };
  const ms = NOW * 1000;

  it("verifies a delivery as WorkOS sends it, space after the comma included", async () => {
    const header = `t=${ms}, v1=${hmac(secret, `${ms}.${body}`)}`;
    const event = await verifyWebhookDelivery("workos", workos, { headers: { "WorkOS-Signature": header }, body }, { secret, now: NOW });
    expect(event.id).toBe("evt_1");
  });
});
