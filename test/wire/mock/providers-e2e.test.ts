/**
 * Each bundled provider's generated client against its spec-driven mock with faults on (20% of requests
 * answered 503, 5% of connections reset after the request took effect) and, where the spec declares
 * numbers the client can see, the rate limits binding: every call succeeds or fails with a normalized
 * error, no 429 reaches the application, no write is applied twice (the mock's log), and a webhook the
 * mock sends verifies with the generated verifier.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRateLimitError, isSwitchboardError, type WebhookDelivery } from "../../../runtime/index.js";
import { fastClock, startMockProvider, type MockProvider, type MockProviderOptions } from "../../../testing/index.js";
import * as github from "../../../generated/github/index.js";
import * as sendgrid from "../../../generated/sendgrid/index.js";
import * as shopify from "../../../generated/shopify/index.js";
import * as slack from "../../../generated/slack/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import * as twilio from "../../../generated/twilio/index.js";

const received: WebhookDelivery[] = [];
let hookUrl = "";
const hookServer = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (c: Buffer) => chunks.push(c));
  request.on("end", () => {
    received.push({
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      url: `${hookUrl.replace(/\/hooks$/, "")}${request.url}`,
    });
    response.writeHead(200).end();
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise<void>((resolve) => hookServer.close(() => resolve())));

const FAULTS = { failRate: 0.2, resetRate: 0.05, seed: 17 } satisfies MockProviderOptions;

interface Case {
  readonly spec: string;
  /** Clock speed: fast enough to cross the binding window in a test, slow enough for one-second windows. */
  readonly speed: number;
  readonly options?: MockProviderOptions;
  /** Calls the application makes; writes say so (they must not be applied more than once each). */
  readonly calls: (
    mock: MockProvider,
    clock: ReturnType<typeof fastClock>,
  ) => { readonly write: boolean; readonly run: () => PromiseLike<unknown> }[];
  /** The declared limit binds: calls beyond it fail in the client's own limiter, never as a 429. */
  readonly binds?: boolean;
  readonly event: string;
  /** The type the verifier reports: the event's, or "" for batch deliveries whose items carry the type. */
  readonly expectType?: string;
  readonly verify: (delivery: WebhookDelivery, secret: string) => Promise<{ type: string }>;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const CASES: Record<string, Case> = {
  stripe: {
    spec: "specs/stripe.yaml",
    speed: 20,
    calls: (mock, clock) => {
      const client = stripe.createStripeClient({ auth: { token: "sk_test_e2e" }, baseUrl: mock.url, clock });
      return [
        ...times(15, (i) => ({ write: true, run: () => client.customers.create({ body: { email: `c${i}@example.com` } }) })),
        ...times(10, (i) => ({ write: true, run: () => client.paymentIntents.create({ body: { amount: 1000 + i, currency: "usd" } }) })),
        ...times(15, (i) => ({ write: false, run: () => client.customers.retrieve({ customer: `cus_${i}` }) })),
      ];
    },
    event: "payment_intent.succeeded",
    verify: (d, secret) => stripe.verifyStripeWebhook(d, { secret }),
  },
  github: {
    spec: "specs/github.yaml",
    speed: 1000,
    // 4,985 of the 5,000 requests of the hour already spent: the client learns it from the headers and
    // waits for the reset (an hour of clock time) instead of running into 429s.
    options: { usedQuota: { primary: 4985 } },
    binds: true,
    calls: (mock, clock) => {
      const client = github.createGithubClient({ auth: { token: "ghp_e2e" }, baseUrl: mock.url, clock });
      return [
        ...times(25, (i) => ({ write: false, run: () => client.repos.get({ owner: "octocat", repo: `r${i}` }) })),
        ...times(5, (i) => ({ write: true, run: () => client.issues.create({ owner: "octocat", repo: "r", body: { title: `t${i}` } }) })),
      ];
    },
    event: "issues",
    verify: (d, secret) => github.verifyGithubWebhook(d, { secret }),
  },
  twilio: {
    spec: "specs/twilio.yaml",
    speed: 20,
    calls: (mock, clock) => {
      const client = twilio.createTwilioClient({ auth: { username: "AC123", password: "token" }, baseUrl: mock.url, clock });
      return [
        ...times(15, (i) => ({
          write: true,
          run: () => client.messages.create({ accountSid: "AC123", body: { To: "+15005550006", From: "+15005550001", Body: `m${i}` } }),
        })),
        ...times(15, (i) => ({ write: false, run: () => client.messages.fetch({ accountSid: "AC123", sid: `SM${i}` }) })),
      ];
    },
    event: "delivered",
    verify: (d, secret) => twilio.verifyTwilioWebhook(d, { secret }),
  },
  sendgrid: {
    spec: "specs/sendgrid.yaml",
    speed: 20,
    calls: (mock, clock) => {
      const client = sendgrid.createSendgridClient({ auth: { token: "SG.e2e" }, baseUrl: mock.url, clock });
      return [
        ...times(10, (i) => ({
          write: true,
          run: () =>
            client.mail.send({
              body: {
                personalizations: [{ to: [{ email: `u${i}@example.com` }] }],
                from: { email: "app@example.com" },
                subject: "s",
                content: [{ type: "text/plain", value: "v" }],
              },
            }),
        })),
        ...times(20, () => ({ write: false, run: () => client.scopes.list() })),
      ];
    },
    event: "delivered",
    expectType: "",
    verify: (d, secret) => sendgrid.verifySendgridWebhook(d, { publicKey: secret }),
  },
  slack: {
    spec: "specs/slack.yaml",
    speed: 200,
    calls: (mock, clock) => {
      const client = slack.createSlackClient({ auth: { token: "xoxb-e2e" }, baseUrl: mock.url, clock });
      return [
        ...times(10, (i) => ({ write: true, run: () => client.chat.postMessage({ body: { channel: "C1", text: `m${i}` } }) })),
        // conversations.list is declared at 20 per minute: 25 calls make the bucket bind.
        ...times(25, () => ({ write: false, run: () => client.conversations.list() })),
      ];
    },
    event: "app_mention",
    verify: (d, secret) => slack.verifySlackWebhook(d, { secret }),
  },
  shopify: {
    spec: "specs/shopify.yaml",
    speed: 20,
    calls: (mock, clock) => {
      const client = shopify.createShopifyClient({
        auth: { apiKey: "shpat_e2e" },
        baseUrl: mock.url,
        variables: { shop: "e2e.myshopify.com" },
        clock,
      });
      return [
        ...times(10, (i) => ({ write: true, run: () => client.products.create({ body: { product: { title: `p${i}` } } }) })),
        ...times(20, () => ({ write: false, run: () => client.orders.list() })),
      ];
    },
    event: "customers/create",
    verify: (d, secret) => shopify.verifyShopifyWebhook(d, { secret }),
  },
};

describe.each(Object.entries(CASES))("%s against its mock, faults on", (_name, c) => {
  let mock: MockProvider;
  const outcomes: ("ok" | "normalized" | "raw")[] = [];
  const errors: unknown[] = [];
  let writes = 0;

  beforeAll(async () => {
    const clock = fastClock(c.speed);
    mock = await startMockProvider(c.spec, { ...FAULTS, ...c.options, clock, webhookUrl: hookUrl });
    const calls = c.calls(mock, clock);
    writes = calls.filter((call) => call.write).length;
    // The application works through its calls in order, as a job would.
    for (const call of calls) {
      try {
        await call.run();
        outcomes.push("ok");
      } catch (error) {
        errors.push(error);
        outcomes.push(isSwitchboardError(error) ? "normalized" : "raw");
      }
    }
  }, 120_000);
  afterAll(() => mock.stop());

  it("every call succeeds or fails with a normalized error, and the faults did happen", () => {
    expect(outcomes.filter((o) => o === "raw")).toEqual([]);
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThan(0);
    expect(mock.requests.some((r) => r.fault === "failure")).toBe(true);
  });

  it.runIf(c.binds === true)("the declared limit binds: the calls beyond it fail in the client's limiter", () => {
    expect(errors.filter((e) => isRateLimitError(e) && e.source === "local").length).toBeGreaterThan(0);
    expect(mock.requests.filter((r) => r.status === 200).length).toBeLessThanOrEqual(15);
  });

  it("no 429 reaches the application (a call the client's own limiter declines to queue fails locally)", () => {
    const from429 = errors.filter((e) => (e as { status?: number }).status === 429 || (isRateLimitError(e) && e.source !== "local"));
    expect(from429).toEqual([]);
    expect(mock.requests.filter((r) => r.status === 429 && r.fault !== "forced_rate_limit")).toEqual([]);
  });

  it("no write is applied twice: per idempotency key at most once, and never more often than the application wrote", () => {
    const perKey = new Map<string, number>();
    for (const r of mock.requests)
      if (r.applied && r.idempotencyKey !== undefined) perKey.set(r.idempotencyKey, (perKey.get(r.idempotencyKey) ?? 0) + 1);
    expect([...perKey.values()].filter((n) => n > 1)).toEqual([]);
    expect(mock.requests.filter((r) => r.applied).length).toBeLessThanOrEqual(writes);
  });

  it("a webhook the mock sends verifies with the generated verifier", async () => {
    const before = received.length;
    const result = await mock.trigger(c.event, { to: hookUrl });
    expect(result.status).toBe(200);
    const event = await c.verify(received[before]!, mock.webhookSecret);
    expect(event.type).toBe(c.expectType ?? c.event);
  });
});
