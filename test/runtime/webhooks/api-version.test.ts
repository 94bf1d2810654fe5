/**
 * A verified event says which API version shaped its payload, against the client's pinned one, where the
 * spec says where deliveries name it (Stripe's body api_version, Shopify's X-Shopify-API-Version).
 */
import { describe, expect, it } from "vitest";
import { verifyShopifyWebhook as verifyShopify } from "../../../generated/shopify/index.js";
import { shopifyVersionsDefinition as shopifyVersions } from "../../../generated/shopify/versions.js";
import { shopifyWebhooksDefinition as shopifyWebhooks } from "../../../generated/shopify/webhooks.js";
import { verifyStripeWebhook as verifyStripe } from "../../../generated/stripe/index.js";
import { stripeWebhooksDefinition as stripeWebhooks } from "../../../generated/stripe/webhooks.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";

const secret = "whsec_api_version_test";

async function stripeEvent(apiVersion: string | null) {
  const body = JSON.stringify({
    id: "evt_1",
    object: "event",
    type: "customer.created",
    api_version: apiVersion,
    data: { object: { id: "cus_1" } },
  });
  const signed = signWebhook(stripeWebhooks, { body, secret });
  return verifyStripe({ headers: signed.headers, body }, { secret });
}

describe("the payload's API version on a verified event", () => {
  it("Stripe: pinned, another supported version with a migration, an unknown one, none", async () => {
    expect((await stripeEvent("2026-10-28.endive")).apiVersion).toEqual({
      status: "match",
      pinned: "2026-10-28.endive",
      version: "2026-10-28.endive",
      migratable: false,
    });
    expect((await stripeEvent("2024-09-30.acacia")).apiVersion).toMatchObject({
      status: "mismatch",
      version: "2024-09-30.acacia",
      migratable: true,
    });
    expect((await stripeEvent("2019-02-19")).apiVersion).toMatchObject({ status: "unsupported", migratable: false });
    expect((await stripeEvent(null)).apiVersion).toMatchObject({ status: "missing", version: undefined });
  });

  it("Shopify: read from the X-Shopify-API-Version header", async () => {
    const body = JSON.stringify({ id: 1, title: "Shirt" });
    const signed = signWebhook(shopifyWebhooks, { body, secret: "shopify_app_secret" });
    const headers = {
      ...signed.headers,
      "x-shopify-topic": "products/create",
      "x-shopify-api-version": "2025-01",
      "x-shopify-webhook-id": "w1",
    };
    const event = await verifyShopify({ headers, body }, { secret: "shopify_app_secret" });
    expect(event.apiVersion).toMatchObject({ status: "mismatch", version: "2025-01", pinned: shopifyVersions.pinned });
  });
});
