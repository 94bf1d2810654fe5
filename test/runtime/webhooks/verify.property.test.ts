/**
 * Properties of every generated verify<Provider>Webhook (fast-check): random or mutated headers and bodies never
 * verify without the key, and every rejection is a WebhookVerificationError (never a TypeError, a
 * RangeError from a buffer, or an accept). Each run signs a real delivery with signWebhook, so a mutation
 * starts from something that does verify. On failure fast-check prints the seed and the shrunk case.
 */
import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as github from "../../../generated/github/index.js";
import * as openai from "../../../generated/openai/index.js";
import * as resend from "../../../generated/resend/index.js";
import * as sendgrid from "../../../generated/sendgrid/index.js";
import * as shopify from "../../../generated/shopify/index.js";
import * as slack from "../../../generated/slack/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import * as twilio from "../../../generated/twilio/index.js";
import {
  isWebhookVerificationError,
  signWebhook,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookVerifyOptions,
} from "../../../runtime/index.js";
import { type WebhooksDefinition } from "../../../runtime/contract.js";

const NOW = 1_767_225_600;
const URL_ = "https://hooks.example.com/in?x=1";
const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const whsec = `whsec_${Buffer.from("property-test-key-property-test!").toString("base64")}`;

interface Provider {
  readonly name: string;
  readonly verify: (delivery: WebhookDelivery, options?: WebhookVerifyOptions) => Promise<WebhookEvent>;
  readonly definition: WebhooksDefinition;
  readonly signingSecret: string;
  readonly options: WebhookVerifyOptions;
}

const providers: readonly Provider[] = [
  {
    name: "github",
    verify: github.verifyGithubWebhook,
    definition: github.githubWebhooksDefinition,
    signingSecret: "gh-key",
    options: { secret: "gh-key" },
  },
  {
    name: "openai",
    verify: openai.verifyOpenaiWebhook,
    definition: openai.openaiWebhooksDefinition,
    signingSecret: whsec,
    options: { secret: whsec },
  },
  {
    name: "resend",
    verify: resend.verifyResendWebhook,
    definition: resend.resendWebhooksDefinition,
    signingSecret: whsec,
    options: { secret: whsec },
  },
  {
    name: "sendgrid",
    verify: sendgrid.verifySendgridWebhook,
    definition: sendgrid.sendgridWebhooksDefinition,
    signingSecret: ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    options: { publicKey: ec.publicKey.export({ type: "spki", format: "der" }).toString("base64") },
  },
  {
    name: "shopify",
    verify: shopify.verifyShopifyWebhook,
    definition: shopify.shopifyWebhooksDefinition,
    signingSecret: "shpss_key",
    options: { secret: "shpss_key" },
  },
  {
    name: "slack",
    verify: slack.verifySlackWebhook,
    definition: slack.slackWebhooksDefinition,
    signingSecret: "slack-key",
    options: { secret: "slack-key" },
  },
  {
    name: "stripe",
    verify: stripe.verifyStripeWebhook,
    definition: stripe.stripeWebhooksDefinition,
    signingSecret: "whsec_key",
    options: { secret: "whsec_key" },
  },
  {
    name: "twilio",
    verify: twilio.verifyTwilioWebhook,
    definition: twilio.twilioWebhooksDefinition,
    signingSecret: "tok",
    options: { secret: "tok" },
  },
];

/** Resolves to "accepted", or to the error's code; anything but a WebhookVerificationError fails the property. */
async function classify(provider: Provider, delivery: WebhookDelivery, options: WebhookVerifyOptions): Promise<string> {
  try {
    await provider.verify(delivery, { now: NOW, ...options });
    return "accepted";
  } catch (error) {
    if (!isWebhookVerificationError(error)) throw new Error(`${provider.name} threw ${String(error)}`, { cause: error });
    return error.code;
  }
}

const headerValue = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.stringMatching(/^(t=\d{1,11},)?v[01]=[0-9a-f]{0,70}$/),
  fc.stringMatching(/^(v1,[A-Za-z0-9+/]{0,50}={0,2} ?){1,3}$/),
  fc.stringMatching(/^sha256=[0-9a-f]{64}$/),
  fc.base64String({ maxLength: 100 }),
  fc.constantFrom("", " ", ",", "=", "v1,", "t=", "sha256=", "v0=", "\u0000", "ü"),
);

function headersArbitrary(provider: Provider): fc.Arbitrary<Record<string, string | string[]>> {
  const sig = provider.definition.signature;
  const names = [sig, ...sig.alternativeHeaders]
    .flatMap((s) => [s.header, s.timestampHeader, s.idHeader])
    .filter((n): n is string => n !== undefined);
  const name = fc.oneof(fc.constantFrom(...names, "content-type"), fc.string({ maxLength: 20 }));
  return fc.dictionary(name, fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })), { maxKeys: 6 });
}

const bodyArbitrary = fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.json({ maxDepth: 3 }));

describe("verifyWebhook properties", () => {
  for (const provider of providers) {
    it(`${provider.name}: random headers and bodies never verify, and only WebhookVerificationError is thrown`, async () => {
      await fc.assert(
        fc.asyncProperty(headersArbitrary(provider), bodyArbitrary, async (headers, body) => {
          expect(await classify(provider, { headers, body, url: URL_ }, provider.options)).not.toBe("accepted");
        }),
        { numRuns: 150 },
      );
    });

    it(`${provider.name}: a correctly signed delivery verifies, and any mutation of its signed bytes or its signature does not`, async () => {
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant("body" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant("header" as const), which: fc.nat(), at: fc.nat(), by: fc.integer({ min: 1, max: 60 }) }),
        fc.record({ kind: fc.constant("drop" as const), which: fc.nat() }),
      );
      await fc.assert(
        fc.asyncProperty(fc.json({ maxDepth: 3 }), mutation, async (json, m) => {
          const body = JSON.stringify({ id: "evt_p", type: "invoice.paid", data: JSON.parse(json) as unknown });
          const signed = signWebhook(provider.definition, { body, secret: provider.signingSecret, timestamp: NOW, url: URL_, id: "msg_p" });
          const url = signed.url ?? URL_;
          expect(await classify(provider, { headers: signed.headers, body, url }, provider.options)).toBe("accepted");

          const sig = provider.definition.signature;
          const signedHeaders = [sig.header, sig.timestampHeader, sig.idHeader].filter((n): n is string => n !== undefined);
          const headers: Record<string, string> = { ...signed.headers };
          let bytes = Buffer.from(body);
          if (m.kind === "body") {
            bytes = Buffer.from(bytes);
            bytes[m.at % bytes.length]! ^= 1 << m.bit;
          } else if (m.kind === "drop") {
            delete headers[signedHeaders[m.which % signedHeaders.length]!];
          } else {
            const name = signedHeaders[m.which % signedHeaders.length]!;
            const value = headers[name]!;
            const at = m.at % value.length;
            const alphabet = "0123456789abcdefABCDEF+/=,.tv ";
            const replacement = alphabet[(alphabet.indexOf(value[at]!) + m.by) % alphabet.length]!;
            fc.pre(replacement !== value[at]);
            headers[name] = value.slice(0, at) + replacement + value.slice(at + 1);
          }
          expect(await classify(provider, { headers, body: bytes, url }, provider.options)).not.toBe("accepted");
        }),
        { numRuns: 150 },
      );
    });
  }

  it("a delivery signed with one secret never verifies with another", async () => {
    const hmacProviders = providers.filter((p) => p.name !== "sendgrid" && p.definition.signature.secretEncoding === "raw");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...hmacProviders),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (p, a, b) => {
          fc.pre(a !== b);
          const body = JSON.stringify({ id: "evt_s", type: "invoice.paid" });
          const signed = signWebhook(p.definition, { body, secret: a, timestamp: NOW, url: URL_ });
          expect(await classify(p, { headers: signed.headers, body, url: signed.url ?? URL_ }, { secret: b })).toBe("signature_mismatch");
        },
      ),
      { numRuns: 200 },
    );
  });
});
