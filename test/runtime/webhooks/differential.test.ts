/**
 * Differential tests against the official libraries: what they sign, the generated verify<Provider>Webhook accepts;
 * what Switchboard's signWebhook (the engine behind `switchboard webhook sign`) signs, they accept. The
 * one place Switchboard deliberately differs (timestamps in the future, specs/stripe.yaml) is pinned.
 */
import { sign as octokitSign, verify as octokitVerify } from "@octokit/webhooks-methods";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import * as github from "../../../generated/github/index.js";
import * as openai from "../../../generated/openai/index.js";
import * as resend from "../../../generated/resend/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import { signWebhook } from "../../../runtime/index.js";

const NOW = 1_767_225_600;
const stripeSecret = "whsec_differential_0123456789abcdef";
const githubSecret = "It's a Secret to Everybody";
const whsecSecret = `whsec_${Buffer.from("differential-test-key-32-bytes!!").toString("base64")}`;

const bodies = [
  JSON.stringify({ id: "evt_diff_1", object: "event", type: "payment_intent.succeeded", data: { object: { id: "pi_1", amount: 1999 } } }),
  `${JSON.stringify({ id: "evt_diff_2", type: "customer.updated", data: { name: "Zoë 🚀 — ünïcødé" } })}\n`,
  JSON.stringify({
    id: "evt_diff_3",
    type: "invoice.paid",
    data: { lines: Array.from({ length: 200 }, (_, i) => ({ i, text: "x".repeat(i % 50) })) },
  }),
];

describe("Stripe: stripe.webhooks", () => {
  for (const [index, body] of bodies.entries()) {
    it(`verifyWebhook accepts body ${index} signed by stripe.webhooks.generateTestHeaderString`, async () => {
      const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripeSecret, timestamp: NOW - 10 });
      const event = await stripe.verifyStripeWebhook(
        { headers: { "Stripe-Signature": header }, body: Buffer.from(body) },
        { secret: stripeSecret, now: NOW },
      );
      expect(event.id).toBe(JSON.parse(body).id);
    });

    it(`stripe.webhooks.constructEvent accepts body ${index} signed by signWebhook`, () => {
      const { headers } = signWebhook(stripe.stripeWebhooksDefinition, { body, secret: stripeSecret, timestamp: NOW - 10 });
      const event = Stripe.webhooks.constructEvent(
        Buffer.from(body),
        headers["stripe-signature"]!,
        stripeSecret,
        300,
        undefined,
        NOW * 1000,
      );
      expect(event.id).toBe(JSON.parse(body).id);
    });
  }

  it("both reject a signature made with another secret", async () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload: bodies[0]!, secret: "whsec_other", timestamp: NOW });
    await expect(
      stripe.verifyStripeWebhook({ headers: { "stripe-signature": header }, body: bodies[0]! }, { secret: stripeSecret, now: NOW }),
    ).rejects.toMatchObject({
      code: "signature_mismatch",
    });
    expect(() => Stripe.webhooks.constructEvent(bodies[0]!, header, stripeSecret, 300, undefined, NOW * 1000)).toThrow(
      /No signatures found matching/,
    );
  });

  it("verifyWebhook rejects a timestamp an hour ahead, which stripe-node accepts (deliberate, specs/stripe.yaml)", async () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload: bodies[0]!, secret: stripeSecret, timestamp: NOW + 3600 });
    expect(Stripe.webhooks.constructEvent(bodies[0]!, header, stripeSecret, 300, undefined, NOW * 1000).id).toBe("evt_diff_1");
    await expect(
      stripe.verifyStripeWebhook({ headers: { "stripe-signature": header }, body: bodies[0]! }, { secret: stripeSecret, now: NOW }),
    ).rejects.toMatchObject({
      code: "timestamp_out_of_tolerance",
      message: "the timestamp is more than 300 s in the future",
    });
  });

  it("verifyWebhook accepts a header with a space after the comma, which stripe-node rejects (deliberate: WorkOS sends one)", async () => {
    const header = Stripe.webhooks
      .generateTestHeaderString({ payload: bodies[0]!, secret: stripeSecret, timestamp: NOW })
      .replace(",", ", ");
    expect(() => Stripe.webhooks.constructEvent(bodies[0]!, header, stripeSecret, 300, undefined, NOW * 1000)).toThrow();
    const event = await stripe.verifyStripeWebhook(
      { headers: { "stripe-signature": header }, body: bodies[0]! },
      { secret: stripeSecret, now: NOW },
    );
    expect(event.id).toBe("evt_diff_1");
  });

  it("stripe-node accepts a trailing comma, verifyWebhook refuses it (deliberate: no provider sends one)", async () => {
    const header = `${Stripe.webhooks.generateTestHeaderString({ payload: bodies[0]!, secret: stripeSecret, timestamp: NOW })},`;
    expect(Stripe.webhooks.constructEvent(bodies[0]!, header, stripeSecret, 300, undefined, NOW * 1000).id).toBe("evt_diff_1");
    await expect(
      stripe.verifyStripeWebhook({ headers: { "stripe-signature": header }, body: bodies[0]! }, { secret: stripeSecret, now: NOW }),
    ).rejects.toMatchObject({ code: "malformed_signature" });
  });
});

describe("GitHub: @octokit/webhooks-methods", () => {
  it("signs GitHub's documented example like the docs say", async () => {
    const { headers } = signWebhook(github.githubWebhooksDefinition, { body: "Hello, World!", secret: githubSecret });
    expect(headers["x-hub-signature-256"]).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  });

  for (const [index, body] of bodies.entries()) {
    it(`verifyWebhook accepts body ${index} signed by octokit sign()`, async () => {
      const signature = await octokitSign(githubSecret, body);
      const event = await github.verifyGithubWebhook(
        { headers: { "X-Hub-Signature-256": signature, "X-GitHub-Event": "push", "X-GitHub-Delivery": "d-1" }, body },
        { secret: githubSecret },
      );
      expect(event).toMatchObject({ type: "push", id: "d-1", payload: JSON.parse(body) });
    });

    it(`octokit verify() accepts body ${index} signed by signWebhook`, async () => {
      const { headers } = signWebhook(github.githubWebhooksDefinition, { body, secret: githubSecret });
      expect(await octokitVerify(githubSecret, body, headers["x-hub-signature-256"]!)).toBe(true);
      expect(await octokitVerify("another secret", body, headers["x-hub-signature-256"]!)).toBe(false);
    });
  }
});

describe("Standard Webhooks (generated/openai) and Svix (generated/resend)", () => {
  const msgId = "msg_differential_1";

  for (const [index, body] of bodies.entries()) {
    it(`openai verifyWebhook accepts body ${index} signed by standardwebhooks`, async () => {
      const signature = new StandardWebhook(whsecSecret).sign(msgId, new Date((NOW - 5) * 1000), body);
      const event = await openai.verifyOpenaiWebhook(
        { headers: { "webhook-id": msgId, "webhook-timestamp": String(NOW - 5), "webhook-signature": signature }, body },
        { secret: whsecSecret, now: NOW },
      );
      expect(event).toMatchObject({ id: msgId, type: JSON.parse(body).type });
    });

    it(`resend verifyWebhook accepts body ${index} signed by svix, under svix-* and webhook-* headers`, async () => {
      const signature = new SvixWebhook(whsecSecret).sign(msgId, new Date((NOW - 5) * 1000), body);
      for (const prefix of ["svix", "webhook"]) {
        const headers = { [`${prefix}-id`]: msgId, [`${prefix}-timestamp`]: String(NOW - 5), [`${prefix}-signature`]: signature };
        expect(await resend.verifyResendWebhook({ headers, body }, { secret: whsecSecret, now: NOW })).toMatchObject({ id: msgId });
      }
    });

    it(`standardwebhooks and svix verify() accept body ${index} signed by signWebhook`, () => {
      const now = Math.floor(Date.now() / 1000);
      const fromOpenai = signWebhook(openai.openaiWebhooksDefinition, { body, secret: whsecSecret, id: msgId, timestamp: now });
      expect(new StandardWebhook(whsecSecret).verify(body, fromOpenai.headers)).toEqual(JSON.parse(body));
      const fromResend = signWebhook(resend.resendWebhooksDefinition, { body, secret: whsecSecret, id: msgId, timestamp: now });
      expect(Object.keys(fromResend.headers).sort()).toEqual(["content-type", "svix-id", "svix-signature", "svix-timestamp"]);
      expect(new SvixWebhook(whsecSecret).verify(body, fromResend.headers)).toEqual(JSON.parse(body));
    });
  }
});
