/**
 * The verifier in parts (runtime/webhooks/parts.ts): a definition names the parts it needs, the generated
 * verifiers pass exactly those, and a definition verified without one it needs is refused, never verified
 * with the feature skipped.
 */
import { describe, expect, it } from "vitest";
import * as dropbox from "../../../generated/dropbox/index.js";
import * as sendgrid from "../../../generated/sendgrid/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import * as twilio from "../../../generated/twilio/index.js";
import * as twitch from "../../../generated/twitch/index.js";
import { isConfigurationError } from "../../../runtime/index.js";
import { webhookPartsFor } from "../../../runtime/webhooks/parts.js";
import { webhookHandshakes } from "../../../runtime/webhooks/handshake.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";
import { verifyWebhookWith } from "../../../runtime/webhooks/verify.js";
import type { WebhooksDefinition } from "../../../runtime/contract.js";

describe("webhookPartsFor", () => {
  it("names what each scheme uses, and nothing for a plain HMAC scheme", () => {
    expect(webhookPartsFor(stripe.stripeWebhooksDefinition)).toEqual([]);
    expect(webhookPartsFor(dropbox.dropboxWebhooksDefinition)).toEqual(["webhookHandshakes"]);
    expect(webhookPartsFor(sendgrid.sendgridWebhooksDefinition)).toEqual(["webhookPublicKeys"]);
    expect(webhookPartsFor(twilio.twilioWebhooksDefinition)).toEqual(["webhookAlgorithmHeader", "webhookForms"]);
    expect(webhookPartsFor(twitch.twitchWebhooksDefinition)).toEqual(["webhookHandshakes", "webhookTimestampFormats"]);
  });
});

describe("verifyWebhookWith", () => {
  // A copy: the plan (and the parts checked into it) is kept per definition object.
  const copy = (definition: WebhooksDefinition): WebhooksDefinition => ({ ...definition });

  it("refuses a definition whose parts were not all passed, naming the missing part, with the delivery unverified", async () => {
    const definition = copy(twitch.twitchWebhooksDefinition);
    const body = JSON.stringify({ subscription: { type: "channel.follow" } });
    const { headers } = signWebhook(definition, { body, secret: "s", id: "m1" });
    const error = await verifyWebhookWith([webhookHandshakes], "twitch", definition, { headers, body }, { secret: "s" }).catch(
      (e: unknown) => e,
    );
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe(
      "verifying twitch's webhooks needs the webhookTimestampFormats part (pass it to verifyWebhookWith)",
    );
  });

  it("verifies with exactly the parts named", async () => {
    const definition = copy(stripe.stripeWebhooksDefinition);
    const body = JSON.stringify({ id: "evt_1", type: "charge.succeeded" });
    const { headers } = signWebhook(definition, { body, secret: "whsec_x" });
    await expect(verifyWebhookWith([], "stripe", definition, { headers, body }, { secret: "whsec_x" })).resolves.toMatchObject({
      type: "charge.succeeded",
    });
  });
});
