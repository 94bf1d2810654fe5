/**
 * The verifier engine's own rules, table-driven against the generated definitions and synthetic schemes
 * (Ed25519, ECDSA, HMAC-SHA512, base64url) that no shipped spec uses yet.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as github from "../../../generated/github/index.js";
import * as openai from "../../../generated/openai/index.js";
import * as sendgrid from "../../../generated/sendgrid/index.js";
import * as shopify from "../../../generated/shopify/index.js";
import * as slack from "../../../generated/slack/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import * as twilio from "../../../generated/twilio/index.js";
import {
  isConfigurationError,
  signWebhook,
  WebhookVerificationError,
  type WebhookDelivery,
  type WebhookVerifyOptions,
} from "../../../runtime/index.js";
import { verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { codeOf } from "../../helpers/verification-code.js";

const NOW = 1_767_225_600;
const body = JSON.stringify({ id: "evt_1", type: "invoice.paid", data: { object: { id: "in_1" } } });

describe("verifyWebhook: secrets", () => {
  const signed = signWebhook(stripe.stripeWebhooksDefinition, { body, secret: "whsec_new", timestamp: NOW });
  const delivery = { headers: signed.headers, body };

  it.each([
    ["the one secret", "whsec_new", "valid"],
    ["a rotation list with the new secret last", ["whsec_old", "whsec_new"], "valid"],
    ["only the rotated-out secret", ["whsec_old"], "signature_mismatch"],
  ] as const)("verifyWebhook with %s gives %s", async (_name, secret, want) => {
    expect(await codeOf(stripe.verifyStripeWebhook(delivery, { secret, now: NOW }))).toBe(want);
  });

  it("verifyWebhook without a secret is a configuration error, not a verification failure", async () => {
    expect(await codeOf(stripe.verifyStripeWebhook(delivery, { now: NOW }))).toBe(
      "configuration: verifying this provider's webhooks needs options.secret",
    );
    expect(await codeOf(stripe.verifyStripeWebhook(delivery, { secret: [], now: NOW }))).toMatch(/^configuration/);
  });

  it("a whsec_ secret that is not base64 is a configuration error whose message does not contain it", async () => {
    const error = await openai
      .verifyOpenaiWebhook(
        {
          headers: {
            "webhook-id": "m",
            "webhook-timestamp": String(NOW),
            "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")}`,
          },
          body,
        },
        { secret: "whsec_not*base64!", now: NOW },
      )
      .catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).not.toContain("not*base64");
  });
});

describe("verifyWebhook: headers", () => {
  const signed = signWebhook(github.githubWebhooksDefinition, { body, secret: "s3cret" });
  const sig = signed.headers["x-hub-signature-256"]!;

  it.each([
    ["lower case", { "x-hub-signature-256": sig }, "valid"],
    ["mixed case", { "X-Hub-Signature-256": sig }, "valid"],
    ["an array of one value", { "x-hub-signature-256": [sig] }, "valid"],
    ["an undefined value", { "x-hub-signature-256": undefined }, "missing_signature"],
    ["no prefix", { "x-hub-signature-256": sig.slice("sha256=".length) }, "malformed_signature"],
    ["only the prefix", { "x-hub-signature-256": "sha256=" }, "malformed_signature"],
    ["a SHA-1 length digest", { "x-hub-signature-256": `sha256=${"ab".repeat(20)}` }, "malformed_signature"],
    [
      "upper-case hex (not how GitHub or octokit spell it)",
      { "x-hub-signature-256": `sha256=${sig.slice(7).toUpperCase()}` },
      "malformed_signature",
    ],
  ] as const)("verifyWebhook with the signature header in %s gives %s", async (_name, headers, want) => {
    expect(await codeOf(github.verifyGithubWebhook({ headers, body }, { secret: "s3cret" }))).toBe(want);
  });

  it("a base64 signature spelled with stray trailing bits (decoding to the same bytes) is malformed, not accepted", async () => {
    const s = signWebhook(shopify.shopifyWebhooksDefinition, { body, secret: "shpss_1" });
    const canonical = s.headers["x-shopify-hmac-sha256"]!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const last = canonical[canonical.length - 2]!;
    const sloppy = `${canonical.slice(0, -2)}${alphabet[alphabet.indexOf(last) + 1]}=`;
    expect(Buffer.from(sloppy, "base64")).toEqual(Buffer.from(canonical, "base64"));
    expect(
      await codeOf(shopify.verifyShopifyWebhook({ headers: { "x-shopify-hmac-sha256": canonical }, body }, { secret: "shpss_1" })),
    ).toBe("valid");
    expect(await codeOf(shopify.verifyShopifyWebhook({ headers: { "x-shopify-hmac-sha256": sloppy }, body }, { secret: "shpss_1" }))).toBe(
      "malformed_signature",
    );
  });

  it("a timestamp header repeated with different values is malformed", async () => {
    const s = signWebhook(slack.slackWebhooksDefinition, { body, secret: "k", timestamp: NOW });
    const headers = { ...s.headers, "x-slack-request-timestamp": [String(NOW), String(NOW - 1)] };
    expect(await codeOf(slack.verifySlackWebhook({ headers, body }, { secret: "k", now: NOW }))).toBe("malformed_signature");
  });

  it("shopify's events-style headers (no X- prefix) verify through the alternative header set", async () => {
    const s = signWebhook(shopify.shopifyWebhooksDefinition, { body, secret: "shpss_1" });
    const headers = {
      "shopify-hmac-sha256": s.headers["x-shopify-hmac-sha256"]!,
      "shopify-topic": "orders/create",
      "shopify-event-id": "e-1",
    };
    expect(await shopify.verifyShopifyWebhook({ headers, body }, { secret: "shpss_1" })).toMatchObject({
      type: "orders/create",
      id: "e-1",
    });
  });
});

describe("verifyWebhook: timestamps", () => {
  const signedAt = (t: number) => signWebhook(stripe.stripeWebhooksDefinition, { body, secret: "whsec_t", timestamp: t }).headers;

  it.each([
    ["300 s old", NOW - 300, {}, "valid"],
    ["301 s old", NOW - 301, {}, "timestamp_out_of_tolerance"],
    ["300 s ahead", NOW + 300, {}, "valid"],
    ["301 s ahead", NOW + 301, {}, "timestamp_out_of_tolerance"],
    ["an hour old with toleranceSeconds 3600", NOW - 3600, { toleranceSeconds: 3600 }, "valid"],
    ["a day old with toleranceSeconds Infinity", NOW - 86_400, { toleranceSeconds: Infinity }, "valid"],
    ["10 s old with toleranceSeconds 5", NOW - 10, { toleranceSeconds: 5 }, "timestamp_out_of_tolerance"],
  ] as const)("a Stripe delivery %s gives %s", async (_name, t, extra, want) => {
    expect(await codeOf(stripe.verifyStripeWebhook({ headers: signedAt(t), body }, { secret: "whsec_t", now: NOW, ...extra }))).toBe(want);
  });

  it("a stale delivery with a wrong signature is a mismatch: the timestamp is judged only once the signature holds", async () => {
    const headers = signWebhook(stripe.stripeWebhooksDefinition, { body, secret: "whsec_other", timestamp: NOW - 1000 }).headers;
    expect(await codeOf(stripe.verifyStripeWebhook({ headers, body }, { secret: "whsec_t", now: NOW }))).toBe("signature_mismatch");
  });

  it("a negative toleranceSeconds is a configuration error", async () => {
    expect(
      await codeOf(stripe.verifyStripeWebhook({ headers: signedAt(NOW), body }, { secret: "whsec_t", now: NOW, toleranceSeconds: -1 })),
    ).toMatch(/^configuration/);
  });

  it("defaults now to the clock", async () => {
    const t = Math.floor(Date.now() / 1000);
    expect(await codeOf(stripe.verifyStripeWebhook({ headers: signedAt(t), body }, { secret: "whsec_t" }))).toBe("valid");
  });
});

describe("verifyWebhook: body", () => {
  const headersFor = (b: string | Uint8Array) => signWebhook(github.githubWebhooksDefinition, { body: b, secret: "k" }).headers;

  it("accepts the body as a Uint8Array that is a view into a larger buffer", async () => {
    const backing = Buffer.from(`xxxx${body}yyyy`);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 4, Buffer.byteLength(body));
    expect(await codeOf(github.verifyGithubWebhook({ headers: headersFor(body), body: view }, { secret: "k" }))).toBe("valid");
  });

  it("rejects a body over maxBodySize as payload_too_large, even with a correct signature", async () => {
    const big = JSON.stringify({ pad: "x".repeat(github.githubWebhooksDefinition.maxBodySize) });
    expect(await codeOf(github.verifyGithubWebhook({ headers: headersFor(big), body: big }, { secret: "k" }))).toBe("payload_too_large");
    expect(await codeOf(github.verifyGithubWebhook({ headers: headersFor(big), body: Buffer.from(big) }, { secret: "k" }))).toBe(
      "payload_too_large",
    );
  });

  it("counts UTF-8 bytes, not string length, against maxBodySize", async () => {
    const definition: WebhooksDefinition = { ...github.githubWebhooksDefinition, maxBodySize: 10 };
    const text = JSON.stringify("ééééé"); // 7 characters, 12 bytes
    const headers = signWebhook(definition, { body: text, secret: "k" }).headers;
    expect(await codeOf(verifyWebhookDelivery("github", definition, { headers, body: text }, { secret: "k" }))).toBe("payload_too_large");
  });

  it("rejects a parsed object instead of the raw body as invalid_payload", async () => {
    const delivery = { headers: headersFor(body), body: JSON.parse(body) as unknown } as unknown as WebhookDelivery;
    expect(await codeOf(github.verifyGithubWebhook(delivery, { secret: "k" }))).toBe("invalid_payload");
  });

  it("rejects a correctly signed body that is not JSON as invalid_payload", async () => {
    expect(await codeOf(github.verifyGithubWebhook({ headers: headersFor("not json"), body: "not json" }, { secret: "k" }))).toBe(
      "invalid_payload",
    );
  });

  it("reads a form-encoded Slack body as form parameters and a JSON one as JSON (payload encoding auto)", async () => {
    const form = "command=%2Fweather&text=94070";
    const formHeaders = signWebhook(slack.slackWebhooksDefinition, { body: form, secret: "k", timestamp: NOW }).headers;
    expect(formHeaders["content-type"]).toBe("application/x-www-form-urlencoded");
    expect((await slack.verifySlackWebhook({ headers: formHeaders, body: form }, { secret: "k", now: NOW })).payload).toEqual({
      command: "/weather",
      text: "94070",
    });
    const json = JSON.stringify({ type: "url_verification", challenge: "c" });
    const jsonHeaders = signWebhook(slack.slackWebhooksDefinition, { body: json, secret: "k", timestamp: NOW }).headers;
    // url_verification has no inner event: the type falls back to the second location, $.type.
    expect(await slack.verifySlackWebhook({ headers: jsonHeaders, body: json }, { secret: "k", now: NOW })).toMatchObject({
      type: "url_verification",
    });
  });
});

describe("verifyWebhook: Twilio URL schemes", () => {
  const url = "https://hooks.example.com/twilio/sms?x=1";
  const form = "MessageSid=SM1&MessageStatus=delivered&To=%2B1555&To=%2B1444";

  it("signs the URL plus sorted parameters and reads the event type from a form field", async () => {
    const signed = signWebhook(twilio.twilioWebhooksDefinition, { body: form, secret: "tok", url });
    expect(signed.url).toBe(url);
    const event = await twilio.verifyTwilioWebhook({ headers: signed.headers, body: form, url }, { secret: "tok" });
    expect(event).toMatchObject({ type: "delivered", id: undefined, payload: { MessageSid: "SM1", To: ["+1555", "+1444"] } });
  });

  it("reproduces Twilio's documented example signature", () => {
    const docUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const params = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
    expect(signWebhook(twilio.twilioWebhooksDefinition, { body: params, secret: "12345", url: docUrl }).headers["x-twilio-signature"]).toBe(
      "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
    );
  });

  it.each([
    ["signed without the port, received with :443", "https://h.example/a", "https://h.example:443/a", "valid"],
    ["signed with :443, received without", "https://h.example:443/a", "https://h.example/a", "valid"],
    ["signed with :8443, received without", "https://h.example:8443/a", "https://h.example/a", "signature_mismatch"],
    ["signed on another path", "https://h.example/b", "https://h.example/a", "signature_mismatch"],
  ] as const)("a delivery %s gives %s", async (_name, signedUrl, receivedUrl, want) => {
    const signed = signWebhook(twilio.twilioWebhooksDefinition, { body: form, secret: "tok", url: signedUrl });
    expect(await codeOf(twilio.verifyTwilioWebhook({ headers: signed.headers, body: form, url: receivedUrl }, { secret: "tok" }))).toBe(
      want,
    );
  });

  it("a JSON body gets bodySHA256 in the URL; a changed body or a changed hash fails", async () => {
    const json = JSON.stringify({ MessageStatus: "sent" });
    const signed = signWebhook(twilio.twilioWebhooksDefinition, { body: json, secret: "tok", url });
    expect(signed.url).toMatch(/[?&]bodySHA256=[0-9a-f]{64}$/);
    expect(await codeOf(twilio.verifyTwilioWebhook({ headers: signed.headers, body: json, url: signed.url! }, { secret: "tok" }))).toBe(
      "valid",
    );
    expect(
      await codeOf(twilio.verifyTwilioWebhook({ headers: signed.headers, body: `${json} `, url: signed.url! }, { secret: "tok" })),
    ).toBe("signature_mismatch");
    const forgedUrl = signed.url!.replace(/bodySHA256=[0-9a-f]+/, `bodySHA256=${"0".repeat(64)}`);
    expect(await codeOf(twilio.verifyTwilioWebhook({ headers: signed.headers, body: json, url: forgedUrl }, { secret: "tok" }))).toBe(
      "signature_mismatch",
    );
  });

  it("finds bodySHA256 among other query parameters and after a fragment-free query", async () => {
    const json = JSON.stringify({ MessageStatus: "sent" });
    const signed = signWebhook(twilio.twilioWebhooksDefinition, {
      body: json,
      secret: "tok",
      url: "https://h.example/a?x=1&bodySHA=2&y=%20z",
    });
    expect(signed.url).toMatch(/\?x=1&bodySHA=2&y=%20z&bodySHA256=[0-9a-f]{64}$/);
    expect(await codeOf(twilio.verifyTwilioWebhook({ headers: signed.headers, body: json, url: signed.url! }, { secret: "tok" }))).toBe(
      "valid",
    );
  });

  it("without delivery.url it is a configuration error", async () => {
    const signed = signWebhook(twilio.twilioWebhooksDefinition, { body: form, secret: "tok", url });
    expect(await codeOf(twilio.verifyTwilioWebhook({ headers: signed.headers, body: form }, { secret: "tok" }))).toMatch(
      /^configuration: twilio signs the URL/,
    );
  });
});

describe("verifyWebhook: asymmetric and other synthetic schemes", () => {
  const base = openai.openaiWebhooksDefinition;
  const schemes: readonly [string, WebhooksDefinition, () => { sign: string; verify: WebhookVerifyOptions }][] = [
    [
      "Ed25519 (Standard Webhooks v1a)",
      {
        ...base,
        signature: {
          ...base.signature,
          algorithm: "ed25519",
          format: { style: "versionedList", version: "v1a" },
          secretEncoding: "pem-public-key",
        },
      },
      () => {
        const { privateKey, publicKey } = generateKeyPairSync("ed25519");
        return {
          sign: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          verify: { publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() },
        };
      },
    ],
    [
      "ECDSA P-256 with a base64 SPKI key (SendGrid)",
      sendgrid.sendgridWebhooksDefinition,
      () => {
        const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
        return {
          sign: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          verify: { publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64") },
        };
      },
    ],
    [
      "HMAC-SHA512 in base64url with a base64 secret",
      { ...base, signature: { ...base.signature, algorithm: "hmac-sha512", encoding: "base64url", secretEncoding: "base64" } },
      () => ({ sign: Buffer.from("k".repeat(32)).toString("base64"), verify: { secret: Buffer.from("k".repeat(32)).toString("base64") } }),
    ],
  ];

  for (const [name, definition, keys] of schemes) {
    it(`${name}: signWebhook's delivery verifies, a changed body does not`, async () => {
      const { sign, verify } = keys();
      const signed = signWebhook(definition, { body, secret: sign, timestamp: NOW, id: "msg_1" });
      const options = { ...verify, now: NOW };
      expect(await codeOf(verifyWebhookDelivery("x", definition, { headers: signed.headers, body }, options))).toBe("valid");
      expect(
        await codeOf(verifyWebhookDelivery("x", definition, { headers: signed.headers, body: body.replace("in_1", "in_2") }, options)),
      ).toBe("signature_mismatch");
    });
  }

  it("an Ed25519 scheme given a P-256 key is a configuration error", async () => {
    const [, definition] = schemes[0]!;
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const headers = {
      "webhook-id": "m",
      "webhook-timestamp": String(NOW),
      "webhook-signature": `v1a,${Buffer.alloc(64).toString("base64")}`,
    };
    expect(
      await codeOf(
        verifyWebhookDelivery(
          "x",
          definition,
          { headers, body },
          { publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), now: NOW },
        ),
      ),
    ).toBe("configuration: options.publicKey is not an Ed25519 public key");
  });
});

describe("WebhookVerificationError", () => {
  it("names the provider and the code, and never carries the secret, the signature or the body", async () => {
    const secret = "whsec_TOPSECRET_value";
    const signed = signWebhook(stripe.stripeWebhooksDefinition, { body, secret: "whsec_wrong", timestamp: NOW });
    const error = await stripe.verifyStripeWebhook({ headers: signed.headers, body }, { secret, now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    const e = error as WebhookVerificationError;
    expect([e.provider, e.code, e.name]).toEqual(["stripe", "signature_mismatch", "WebhookVerificationError"]);
    expect(e.message).toBe("no signature in the stripe-signature header matches");
    const text = `${e.message} ${JSON.stringify(e)} ${String(e.stack)}`;
    for (const leak of [secret, "TOPSECRET", signed.headers["stripe-signature"]!.split("v1=")[1]!, "evt_1"])
      expect(text).not.toContain(leak);
  });
});

describe("verifyWebhook: Twilio's SharedKey variant (algorithm named by a header)", () => {
  const url = "https://hooks.example.com/twilio/sms";
  const form = "MessageSid=SM1&MessageStatus=sent";
  const sign = (hash: "sha1" | "sha256", key: string) =>
    createHmac(hash, key).update(`${url}MessageSidSM1MessageStatussent`).digest("base64");
  const settings = "X-Twilio-Webhooks-Signature-Settings";

  it.each([
    ["no settings header, SHA-1 with the Auth Token", {}, sign("sha1", "auth-token"), "valid"],
    [
      "algorithm=HMAC_SHA256, SHA-256 with the SharedKey secret",
      { [settings]: "key=sk_1,algorithm=HMAC_SHA256" },
      sign("sha256", "shared-key"),
      "valid",
    ],
    [
      "spaces and lower case in the settings",
      { [settings]: " key = sk_1 , algorithm = hmac_sha256 " },
      sign("sha256", "shared-key"),
      "valid",
    ],
    ["settings without an algorithm item: the SHA-1 default", { [settings]: "key=sk_1" }, sign("sha1", "auth-token"), "valid"],
    [
      "SHA-256 named but a SHA-1 signature sent",
      { [settings]: "key=sk_1,algorithm=HMAC_SHA256" },
      sign("sha1", "auth-token"),
      "malformed_signature",
    ],
    [
      "an algorithm the scheme does not accept",
      { [settings]: "key=sk_1,algorithm=HMAC_MD5" },
      sign("sha1", "auth-token"),
      "malformed_signature",
    ],
  ] as const)("%s gives %s", async (_name, extra, signature, want) => {
    const headers = { "x-twilio-signature": signature, "content-type": "application/x-www-form-urlencoded", ...extra };
    expect(await codeOf(twilio.verifyTwilioWebhook({ headers, body: form, url }, { secret: ["auth-token", "shared-key"] }))).toBe(want);
  });
});
