/**
 * Every vector of test/fixtures/webhooks/ (copied from shared/vectors/webhooks, made and checked with each
 * provider's official library) classified through the generated verify<Provider>Webhook of the provider's module:
 * valid ones resolve, invalid ones reject with the WebhookVerificationError code that fits the reason.
 * Standard Webhooks vectors go through generated/openai, Svix vectors through generated/resend.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as dropbox from "../../../generated/dropbox/index.js";
import * as github from "../../../generated/github/index.js";
import * as hubspot from "../../../generated/hubspot/index.js";
import * as msgraph from "../../../generated/msgraph/index.js";
import * as openai from "../../../generated/openai/index.js";
import * as resend from "../../../generated/resend/index.js";
import * as sendgrid from "../../../generated/sendgrid/index.js";
import * as shopify from "../../../generated/shopify/index.js";
import * as slack from "../../../generated/slack/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import * as twilio from "../../../generated/twilio/index.js";
import * as twitch from "../../../generated/twitch/index.js";
import * as vonage from "../../../generated/vonage/index.js";
import {
  isWebhookVerificationError,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookVerificationErrorCode,
  type WebhookVerifyOptions,
} from "../../../runtime/index.js";
import { verifyWebhookDelivery } from "../../../runtime/contract.js";

export interface Vector {
  readonly provider: string;
  readonly name: string;
  readonly secret?: string;
  readonly publicKey?: string;
  readonly url?: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly bodyBase64: string;
  readonly now: number;
  readonly expected: "valid" | "invalid";
  readonly reason: string;
  readonly libraryQuirk?: string;
}

type Verify = (delivery: WebhookDelivery, options?: WebhookVerifyOptions) => Promise<WebhookEvent>;

/** Vector file -> the generated module whose verifyWebhook classifies it. */
export const modules: Readonly<Record<string, { readonly verify: Verify; readonly definition: typeof stripe.stripeWebhooksDefinition }>> = {
  dropbox: { verify: dropbox.verifyDropboxWebhook, definition: dropbox.dropboxWebhooksDefinition },
  github: { verify: github.verifyGithubWebhook, definition: github.githubWebhooksDefinition },
  hubspot: { verify: hubspot.verifyHubspotWebhook, definition: hubspot.hubspotWebhooksDefinition },
  msgraph: { verify: msgraph.verifyMsgraphWebhook, definition: msgraph.msgraphWebhooksDefinition },
  sendgrid: { verify: sendgrid.verifySendgridWebhook, definition: sendgrid.sendgridWebhooksDefinition },
  shopify: { verify: shopify.verifyShopifyWebhook, definition: shopify.shopifyWebhooksDefinition },
  slack: { verify: slack.verifySlackWebhook, definition: slack.slackWebhooksDefinition },
  standardwebhooks: { verify: openai.verifyOpenaiWebhook, definition: openai.openaiWebhooksDefinition },
  stripe: { verify: stripe.verifyStripeWebhook, definition: stripe.stripeWebhooksDefinition },
  svix: { verify: resend.verifyResendWebhook, definition: resend.resendWebhooksDefinition },
  twilio: { verify: twilio.verifyTwilioWebhook, definition: twilio.twilioWebhooksDefinition },
  twitch: { verify: twitch.verifyTwitchWebhook, definition: twitch.twitchWebhooksDefinition },
  vonage: { verify: vonage.verifyVonageWebhook, definition: vonage.vonageWebhooksDefinition },
};

/** The code each invalid vector must get, by reason. */
const EXPECTED_CODES: Readonly<Record<string, WebhookVerificationErrorCode>> = {
  "github/invalid_tampered_body": "signature_mismatch",
  "github/invalid_wrong_secret": "signature_mismatch",
  "github/invalid_missing_header": "missing_signature",
  "github/invalid_malformed_header": "malformed_signature",
  "github/invalid_trailing_newline_stripped": "signature_mismatch",
  "github/invalid_empty_body": "invalid_payload",
  "sendgrid/invalid_tampered_body": "signature_mismatch",
  "sendgrid/invalid_wrong_key": "signature_mismatch",
  "sendgrid/invalid_missing_signature_header": "missing_signature",
  "sendgrid/invalid_malformed_signature": "malformed_signature",
  "sendgrid/invalid_signature_for_different_timestamp": "signature_mismatch",
  "sendgrid/invalid_trailing_newline_stripped": "signature_mismatch",
  "shopify/invalid_tampered_body": "signature_mismatch",
  "shopify/invalid_wrong_secret": "signature_mismatch",
  "shopify/invalid_missing_hmac_header": "missing_signature",
  "shopify/invalid_malformed_hmac_hex": "malformed_signature",
  "shopify/invalid_trailing_newline_stripped": "signature_mismatch",
  "shopify/invalid_empty_body": "invalid_payload",
  "slack/invalid_tampered_body": "signature_mismatch",
  "slack/invalid_wrong_secret": "signature_mismatch",
  "slack/invalid_missing_signature_header": "missing_signature",
  "slack/invalid_missing_timestamp_header": "missing_signature",
  "slack/invalid_malformed_signature": "malformed_signature",
  "slack/invalid_timestamp_too_old": "timestamp_out_of_tolerance",
  "slack/invalid_signature_for_different_timestamp": "signature_mismatch",
  "slack/invalid_trailing_newline_stripped": "signature_mismatch",
  "standardwebhooks/invalid_tampered_body": "signature_mismatch",
  "standardwebhooks/invalid_wrong_secret": "signature_mismatch",
  "standardwebhooks/invalid_missing_signature_header": "missing_signature",
  "standardwebhooks/invalid_missing_id_header": "missing_signature",
  "standardwebhooks/invalid_malformed_signature": "malformed_signature",
  "standardwebhooks/invalid_malformed_timestamp": "malformed_signature",
  "standardwebhooks/invalid_timestamp_too_old": "timestamp_out_of_tolerance",
  "standardwebhooks/invalid_timestamp_too_new": "timestamp_out_of_tolerance",
  "stripe/invalid_trailing_newline_stripped": "signature_mismatch",
  "stripe/invalid_tampered_body": "signature_mismatch",
  "stripe/invalid_wrong_secret": "signature_mismatch",
  "stripe/invalid_missing_header": "missing_signature",
  "stripe/invalid_malformed_header": "malformed_signature",
  "stripe/invalid_header_no_v1": "malformed_signature",
  "stripe/invalid_timestamp_too_old": "timestamp_out_of_tolerance",
  "stripe/invalid_empty_body": "invalid_payload",
  "svix/invalid_tampered_body": "signature_mismatch",
  "svix/invalid_wrong_secret": "signature_mismatch",
  "svix/invalid_timestamp_too_old": "timestamp_out_of_tolerance",
  "svix/invalid_empty_body": "invalid_payload",
  "twilio/invalid_json_body_tampered": "signature_mismatch",
  "twilio/invalid_json_body_newline_stripped": "signature_mismatch",
  "twilio/invalid_tampered_param": "signature_mismatch",
  "twilio/invalid_wrong_token": "signature_mismatch",
  "twilio/invalid_missing_header": "missing_signature",
  "twilio/invalid_malformed_header": "malformed_signature",
  // Issue #15's providers (test/fixtures/webhooks/make-issue-15-vectors.mjs).
  "hubspot/invalid_tampered_body": "signature_mismatch",
  "hubspot/invalid_wrong_secret": "signature_mismatch",
  "hubspot/invalid_other_url": "signature_mismatch",
  "hubspot/invalid_method": "signature_mismatch",
  "hubspot/invalid_stale_timestamp": "timestamp_out_of_tolerance",
  "hubspot/invalid_timestamp_changed": "signature_mismatch",
  "twitch/invalid_unsigned_challenge": "signature_mismatch",
  "twitch/invalid_tampered_body": "signature_mismatch",
  "twitch/invalid_other_message_id": "signature_mismatch",
  "twitch/invalid_stale_timestamp": "timestamp_out_of_tolerance",
  "twitch/invalid_timestamp_not_rfc3339": "malformed_signature",
  "dropbox/invalid_wrong_secret": "signature_mismatch",
  "dropbox/invalid_tampered_body": "signature_mismatch",
  // Microsoft Graph and Vonage (test/fixtures/webhooks/make-graph-vonage-vectors.mjs).
  "msgraph/invalid_wrong_client_state": "signature_mismatch",
  "msgraph/invalid_one_forged_in_batch": "signature_mismatch",
  "msgraph/invalid_missing_client_state": "missing_signature",
  "msgraph/invalid_empty_batch": "missing_signature",
  "msgraph/invalid_secret_prefix": "signature_mismatch",
  "vonage/invalid_tampered_body": "signature_mismatch",
  "vonage/invalid_wrong_secret": "signature_mismatch",
  "vonage/invalid_missing_payload_hash": "signature_mismatch",
  "vonage/invalid_expired": "timestamp_out_of_tolerance",
  "vonage/invalid_not_before": "timestamp_out_of_tolerance",
  "vonage/invalid_stale_iat": "timestamp_out_of_tolerance",
  "vonage/invalid_alg_hs512": "malformed_signature",
  "vonage/invalid_alg_none": "malformed_signature",
  "vonage/invalid_missing_header": "missing_signature",
  "vonage/invalid_not_bearer": "malformed_signature",
  // Both header families on one delivery (test/fixtures/webhooks/make-mixed-header-vectors.mjs).
  "svix/invalid_mixed_webhook_genuine_svix_forged": "signature_mismatch",
  "svix/invalid_mixed_ids_disagree": "signature_mismatch",
  "standardwebhooks/invalid_mixed_only_svix_genuine": "signature_mismatch",
};

/**
 * Vectors where Switchboard deliberately differs from the official library (each marked libraryQuirk in
 * the fixture and explained in the provider's spec): the outcome Switchboard gives instead.
 */
const DELIBERATE_DIFFERENCES: Readonly<Record<string, WebhookVerificationErrorCode>> = {
  // standardwebhooks 1.1.1 accepts an empty body; generated/openai follows openai-node's unwrap(), which
  // JSON-parses it and so rejects it (specs/openai.yaml, payload.allowEmpty).
  "standardwebhooks/valid_empty_body": "invalid_payload",
};

const fixturesDir = path.resolve(import.meta.dirname, "../../fixtures/webhooks");

export function loadVectors(): Vector[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((f) => (JSON.parse(readFileSync(path.join(fixturesDir, f), "utf8")) as { vectors: Vector[] }).vectors);
}

export function deliveryOf(v: Vector): WebhookDelivery {
  return { headers: v.headers, body: Buffer.from(v.bodyBase64, "base64"), method: v.method, ...(v.url !== undefined && { url: v.url }) };
}

export function optionsOf(v: Vector): WebhookVerifyOptions {
  return { now: v.now, ...(v.secret !== undefined && { secret: v.secret }), ...(v.publicKey !== undefined && { publicKey: v.publicKey }) };
}

async function outcome(verify: Verify, v: Vector): Promise<WebhookVerificationErrorCode | "valid"> {
  try {
    await verify(deliveryOf(v), optionsOf(v));
    return "valid";
  } catch (error) {
    if (isWebhookVerificationError(error)) return error.code;
    throw error;
  }
}

const vectors = loadVectors();

describe("webhook vectors through the generated verify<Provider>Webhook", () => {
  it("covers all 131 vectors of the fifteen files", () => {
    expect(vectors).toHaveLength(131);
  });

  for (const v of vectors) {
    const key = `${v.provider}/${v.name}`;
    const want = DELIBERATE_DIFFERENCES[key] ?? (v.expected === "valid" ? "valid" : EXPECTED_CODES[key]);
    it(`verifyWebhook classifies ${key} (${v.reason}) as ${want}`, async () => {
      expect(want, `no expected code for ${key}`).toBeDefined();
      expect(await outcome(modules[v.provider]!.verify, v)).toBe(want);
    });
  }

  it("every invalid vector has an expected code, and no code is listed for a vector that does not exist", () => {
    const names = new Set(vectors.map((v) => `${v.provider}/${v.name}`));
    for (const key of [...Object.keys(EXPECTED_CODES), ...Object.keys(DELIBERATE_DIFFERENCES)]) expect(names.has(key), key).toBe(true);
    for (const v of vectors.filter((v) => v.expected === "invalid"))
      expect(EXPECTED_CODES[`${v.provider}/${v.name}`], v.name).toBeDefined();
  });

  it("each deliberate difference is on a vector marked libraryQuirk", () => {
    for (const key of Object.keys(DELIBERATE_DIFFERENCES))
      expect(vectors.find((v) => `${v.provider}/${v.name}` === key)?.libraryQuirk).toBeTruthy();
  });

  it("the Standard Webhooks empty-body vector's signature itself verifies: only openai's allowEmpty: false rejects it", async () => {
    const v = vectors.find((x) => x.provider === "standardwebhooks" && x.name === "valid_empty_body")!;
    const definition = { ...openai.openaiWebhooksDefinition, payload: { encoding: "json", allowEmpty: true } } as const;
    const event = await verifyWebhookDelivery("standardwebhooks", definition, deliveryOf(v), optionsOf(v));
    expect(event).toEqual({ type: "", id: "msg_pub_7d6624ec71b3fd752a92", payload: undefined });
    await expect(openai.verifyOpenaiWebhook(deliveryOf(v), optionsOf(v))).rejects.toMatchObject({
      code: "invalid_payload",
      message: "the body is empty",
    });
  });

  it("valid vectors resolve to the event the spec locates: type and id", async () => {
    const stripeValid = vectors.find((x) => x.provider === "stripe" && x.name === "valid_basic")!;
    expect(await stripe.verifyStripeWebhook(deliveryOf(stripeValid), optionsOf(stripeValid))).toMatchObject({
      type: "invoice.paid",
      id: "evt_pub_6aa8eac03f82b2",
    });
    const githubValid = vectors.find((x) => x.provider === "github" && x.name === "valid_basic")!;
    expect(await github.verifyGithubWebhook(deliveryOf(githubValid), optionsOf(githubValid))).toMatchObject({
      type: "push",
      id: "a6c91b93-0000-4000-8000-000000000000",
    });
    const twilioForm = vectors.find((x) => x.provider === "twilio" && x.name === "valid_form_post")!;
    const twilioEvent = await twilio.verifyTwilioWebhook(deliveryOf(twilioForm), optionsOf(twilioForm));
    expect(twilioEvent.payload).toEqual(twilioForm.headers["content-type"] ? expect.objectContaining({ From: "+15551234567" }) : undefined);
    const svixValid = vectors.find((x) => x.provider === "svix" && x.name === "valid_basic")!;
    expect(await resend.verifyResendWebhook(deliveryOf(svixValid), optionsOf(svixValid))).toMatchObject({
      type: "invoice.paid",
      id: "msg_pub_svx_52d62ab381cdddba",
    });
  });
});
