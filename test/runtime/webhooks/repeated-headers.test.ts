/**
 * A header the verifier reads that arrives more than once: identical repeats are one value, different
 * values are `malformed_signature` (docs/webhook-handling.md), whether they come as an array or as keys in
 * cases other than lower case; a lower-case key is the header's one value (as adapters give it); a Fetch
 * `Headers` object joins repeats into one value.
 */
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import * as github from "../../../generated/github/index.js";
import * as openai from "../../../generated/openai/index.js";
import * as slack from "../../../generated/slack/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import { signWebhook, type WebhookDelivery } from "../../../runtime/index.js";
import { verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { codeOf } from "../../helpers/verification-code.js";

const NOW = 1_767_225_600;
const body = JSON.stringify({ id: "evt_1", type: "invoice.paid" });
const secret = `whsec_${Buffer.from("repeated-headers-key-32-bytes!!!").toString("base64")}`;

/** Typeform's scheme: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>`. */
const typeform: WebhooksDefinition = {
  ...github.githubWebhooksDefinition,
  signature: { ...github.githubWebhooksDefinition.signature, header: "typeform-signature", encoding: "base64" },
  eventType: [],
  eventId: [],
};

/** One scheme per header format: its definition, the header that carries the signature, and a verifier. */
const schemes: readonly (readonly [string, WebhooksDefinition, string])[] = [
  ["single (Typeform)", typeform, "typeform-signature"],
  ["keyValue (Stripe)", stripe.stripeWebhooksDefinition, "stripe-signature"],
  ["versionedList (Standard Webhooks)", openai.openaiWebhooksDefinition, "webhook-signature"],
];

describe.each(schemes)("the %s signature header", (_name, definition, header) => {
  const verify = (headers: WebhookDelivery["headers"]) =>
    verifyWebhookDelivery("test", definition, { headers, body }, { secret, now: NOW });
  const signed = (key: string) => signWebhook(definition, { body, secret: key, timestamp: NOW }).headers;
  const mine = signed(secret);
  const good = mine[header]!;
  const other = signed(`whsec_${Buffer.from("another-key-of-thirty-two-bytes!").toString("base64")}`)[header]!;
  const rest = Object.fromEntries(Object.entries(mine).filter(([name]) => name !== header));
  const upper = header.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase());

  it("verifies as signed, and not with the other secret's signature (the cases below are not vacuous)", async () => {
    expect(good).not.toBe(other);
    expect(await codeOf(verify({ ...rest, [header]: good }))).toBe("valid");
    expect(await codeOf(verify({ ...rest, [header]: other }))).toBe("signature_mismatch");
  });

  it.each([
    ["good, then another", () => [good, other], "malformed_signature"],
    ["another, then good", () => [other, good], "malformed_signature"],
    ["good twice", () => [good, good], "valid"],
  ] as const)("repeated as an array (%s) gives %s", async (_case, values, want) => {
    expect(await codeOf(verify({ ...rest, [header]: values() }))).toBe(want);
  });

  it.each([
    ["good under a mixed-case key, another under the lower-case one", () => ({ [upper]: good, [header]: other }), "signature_mismatch"],
    ["another under a mixed-case key, good under the lower-case one", () => ({ [upper]: other, [header]: good }), "valid"],
    ["good under both", () => ({ [upper]: good, [header]: good }), "valid"],
    ["good and another under two mixed-case keys", () => ({ [upper]: good, [header.toUpperCase()]: other }), "malformed_signature"],
    [
      "good under two mixed-case keys and another in an array",
      () => ({ [upper]: good, [header.toUpperCase()]: [good, other] }),
      "malformed_signature",
    ],
    ["good twice under two mixed-case keys", () => ({ [upper]: good, [header.toUpperCase()]: good }), "valid"],
  ] as const)("under two keys differing in case (%s) gives %s", async (_case, keys, want) => {
    const lowerCaseKeysOnly = Object.fromEntries(Object.entries(rest).filter(([name]) => name !== header));
    expect(await codeOf(verify({ ...lowerCaseKeysOnly, ...keys() }))).toBe(want);
  });
});

describe("other headers the verifier reads", () => {
  it("a timestamp header under two mixed-case keys with different values is malformed; a lower-case key is the value", async () => {
    const { "x-slack-request-timestamp": _timestamp, ...s } = signWebhook(slack.slackWebhooksDefinition, {
      body,
      secret: "k",
      timestamp: NOW,
    }).headers;
    const verify = (headers: WebhookDelivery["headers"]) => codeOf(slack.verifySlackWebhook({ headers, body }, { secret: "k", now: NOW }));
    expect(await verify({ ...s, "X-Slack-Request-Timestamp": String(NOW - 1), "X-SLACK-REQUEST-TIMESTAMP": String(NOW) })).toBe(
      "malformed_signature",
    );
    expect(await verify({ ...s, "X-Slack-Request-Timestamp": String(NOW), "X-SLACK-REQUEST-TIMESTAMP": String(NOW) })).toBe("valid");
    expect(await verify({ ...s, "X-Slack-Request-Timestamp": String(NOW - 1), "x-slack-request-timestamp": String(NOW) })).toBe("valid");
  });

  it("an event-type header repeated with different values is malformed, not read from whichever comes first", async () => {
    const s = signWebhook(github.githubWebhooksDefinition, { body, secret: "k" }).headers;
    const verify = (headers: WebhookDelivery["headers"]) => codeOf(github.verifyGithubWebhook({ headers, body }, { secret: "k" }));
    expect(await verify({ ...s, "x-github-event": ["push", "push"] })).toBe("valid");
    expect(await verify({ ...s, "x-github-event": ["push", "issues"] })).toBe("malformed_signature");
    const { "x-github-event": _event, ...unnamed } = s;
    expect(await verify({ ...unnamed, "X-GitHub-Event": "push", "X-GITHUB-EVENT": "issues" })).toBe("malformed_signature");
  });
});

describe("a Fetch Headers object, which joins a repeated header into one value with ', '", () => {
  const joined = (name: string, ...values: string[]) => {
    const headers = new Headers();
    for (const value of values) headers.append(name, value);
    return Object.fromEntries(headers);
  };

  it("makes a repeated single-style header one value that is malformed", async () => {
    const s = signWebhook(github.githubWebhooksDefinition, { body, secret: "k" }).headers;
    const good = s["x-hub-signature-256"]!;
    const other = signWebhook(github.githubWebhooksDefinition, { body, secret: "other" }).headers["x-hub-signature-256"]!;
    for (const values of [
      [good, other],
      [other, good],
      [good, good],
    ]) {
      const headers = { ...s, ...joined("x-hub-signature-256", ...values) };
      expect(await codeOf(github.verifyGithubWebhook({ headers, body }, { secret: "k" }))).toBe("malformed_signature");
    }
  });

  it("makes a repeated keyValue header one list: different timestamps are malformed; one timestamp reads as stripe-node reads it", async () => {
    const header = (t: number, key: string) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp: t });
    const verify = (value: string) =>
      codeOf(stripe.verifyStripeWebhook({ headers: { "stripe-signature": value }, body }, { secret: "whsec_k", now: NOW }));
    expect(await verify(joined("stripe-signature", header(NOW, "whsec_k"), header(NOW - 1, "whsec_other"))["stripe-signature"]!)).toBe(
      "malformed_signature",
    );
    const list = joined("stripe-signature", header(NOW, "whsec_other"), header(NOW, "whsec_k"))["stripe-signature"]!;
    expect(list).toContain(", t=");
    expect(Stripe.webhooks.constructEvent(body, list, "whsec_k", 300, undefined, NOW * 1000).id).toBe("evt_1");
    expect(await verify(list)).toBe("valid");
  });
});
