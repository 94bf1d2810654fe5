/**
 * Differential: the generated Stripe and Twilio clients must put the same bytes on the wire as the
 * providers' official libraries (stripe-node, twilio-node) for the same input. Both libraries and our
 * clients send to one loopback server, which records what each sent.
 */
import { createRequire } from "node:module";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../../../generated/stripe/index.js";
import { createTwilioClient } from "../../../generated/twilio/index.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";

const require = createRequire(import.meta.url);
const twilio = require("twilio") as typeof import("twilio");
const { RequestClient } = twilio;

const server = useLoopbackServer();
beforeAll(() => server.handle((_request, response) => json(response, 200, { id: "x", object: "customer", sid: "SM1" })));

const stripeKey = "sk_test_differential_0000";

function officialStripe(): Stripe {
  const { port } = new URL(server.url);
  return new Stripe(stripeKey, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, telemetry: false });
}

/** The generated client and stripe-node send `input`; returns both bodies. */
async function bothStripeBodies(input: Record<string, unknown>): Promise<[string, string]> {
  await officialStripe().customers.create(input as Stripe.CustomerCreateParams);
  const ours = createStripeClient({ auth: { token: stripeKey }, baseUrl: server.url, retry: false });
  await ours.customers.create({ body: input });
  const [theirs, mine] = server.requests;
  return [theirs!.body, mine!.body];
}

describe("form bodies, byte for byte as stripe-node sends them", () => {
  it.each([
    ["flat strings, numbers and booleans", { email: "jenny+test@example.com", balance: -500, tax_exempt: "none", test_clock: true }],
    ["nested objects", { metadata: { order_id: "6735", plan: "pro" }, address: { line1: "1 Main St", city: "Berlin" } }],
    ["arrays of scalars", { preferred_locales: ["en", "fr", "de"] }],
    [
      "arrays of objects",
      {
        invoice_settings: {
          custom_fields: [
            { name: "VAT", value: "DE 123" },
            { name: "PO", value: "42" },
          ],
        },
        tax_id_data: [{ type: "eu_vat", value: "DE1" }],
      },
    ],
    ["empty strings (Stripe's way to unset) and null", { description: "", metadata: { old: "" }, phone: null }],
    ["unicode and reserved characters", { name: "Jörg Ü 李 🎉", description: "a&b=c; 100% (x)*!'~ [y] <z> #h +p /s ?q" }],
    ["keys with brackets and spaces", { metadata: { "note[1]": "x", "two words": "y" } }],
    ["dates as unix seconds", { trial_end: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }],
  ])("%s", async (_what, input) => {
    const [theirs, ours] = await bothStripeBodies(input);
    expect(ours).toBe(theirs);
  });

  it("query strings too (expand[] on a retrieve)", async () => {
    await officialStripe().customers.retrieve("cus_1", { expand: ["default_source", "invoice_settings.default_payment_method"] });
    await createStripeClient({ auth: { token: stripeKey }, baseUrl: server.url }).customers.retrieve({
      customer: "cus_1",
      expand: ["default_source", "invoice_settings.default_payment_method"],
    });
    const [theirs, ours] = server.requests;
    expect(ours!.url).toBe(theirs!.url);
  });
});

/** twilio-node's own RequestClient (axios + qs), sending to the loopback server instead of api.twilio.com. */
class LoopbackRequestClient extends RequestClient {
  override request<TData>(options: Parameters<InstanceType<typeof RequestClient>["request"]>[0]) {
    const target = new URL(options.uri);
    options.uri = `${server.url}${target.pathname}${target.search}`;
    return super.request<TData>(options as Parameters<InstanceType<typeof RequestClient>["request"]>[0] & { data?: TData });
  }
}

describe("form bodies, as twilio-node sends them", () => {
  const accountSid = "AC00000000000000000000000000000000";
  const authToken = "twilio_auth_token_0000";

  it("repeated keys for lists, empty strings, unicode and reserved characters", async () => {
    const official = twilio(accountSid, authToken, { httpClient: new LoopbackRequestClient() });
    await official.messages.create({
      to: "+15558675310",
      from: "+15017122661",
      body: "Grüße 🎉 & <b>ok</b> 100%  (x)*!'~ [y]",
      mediaUrl: ["https://example.com/a.png?x=1&y=2", "https://example.com/b.png"],
      statusCallback: "",
      persistentAction: ["mailto:a@example.com", "sms:+15558675310"],
    });
    const ours = createTwilioClient({ auth: { username: accountSid, password: authToken }, baseUrl: server.url });
    await ours.messages.create({
      accountSid,
      body: {
        To: "+15558675310",
        From: "+15017122661",
        Body: "Grüße 🎉 & <b>ok</b> 100%  (x)*!'~ [y]",
        MediaUrl: ["https://example.com/a.png?x=1&y=2", "https://example.com/b.png"],
        StatusCallback: "",
        PersistentAction: ["mailto:a@example.com", "sms:+15558675310"],
      },
    });
    const [theirs, mine] = server.requests;
    expect(mine!.url).toBe(theirs!.url);
    // twilio-node orders fields by its own generated code; each key=value pair must match byte for byte.
    const pairs = (body: string) => body.split("&").sort();
    expect(pairs(mine!.body)).toEqual(pairs(theirs!.body));
    expect(mine!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(theirs!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it.each([
    [
      "TwiML inline",
      { twiml: "<Response><Say>Hello & goodbye</Say></Response>" },
      { Twiml: "<Response><Say>Hello & goodbye</Say></Response>" },
    ],
    [
      "TwiML by URL, with repeated status callback events",
      { url: "https://example.com/voice?x=1", statusCallbackEvent: ["initiated", "answered", "completed"] },
      { Url: "https://example.com/voice?x=1", StatusCallbackEvent: ["initiated", "answered", "completed"] },
    ],
  ])("calls.create with %s puts twilio-node's bytes on the wire", async (_name, official, mine) => {
    const before = server.requests.length;
    await twilio(accountSid, authToken, { httpClient: new LoopbackRequestClient() }).calls.create({
      to: "+15558675310",
      from: "+15017122661",
      ...official,
    });
    const ours = createTwilioClient({ auth: { username: accountSid, password: authToken }, baseUrl: server.url });
    await ours.calls.create({ accountSid, body: { To: "+15558675310", From: "+15017122661", ...mine } });
    const [theirs, sent] = server.requests.slice(before);
    expect(sent!.url).toBe(theirs!.url);
    expect(sent!.url).toBe(`/2010-04-01/Accounts/${accountSid}/Calls.json`);
    const pairs = (body: string) => body.split("&").sort();
    expect(pairs(sent!.body)).toEqual(pairs(theirs!.body));
  });
});
