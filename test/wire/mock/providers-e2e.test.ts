/**
 * Each bundled provider's generated client against its spec-driven mock with faults on (20% of requests
 * answered 503, 5% of connections reset after the request took effect) and the rate limits binding: the
 * application sends more calls than a bucket allows, so the client's limiter paces or declines them,
 * the mock's log shows no window over a limit, and no 429 reaches the application. Every call succeeds
 * or fails with a normalized error, no write is applied twice (the mock's log), and a webhook the mock
 * sends verifies with the generated verifier. Where the provider publishes no number (Twilio's
 * concurrency per account, SendGrid's per-endpoint limits), the test gives the mock the account's limit
 * (`limits`): Twilio's client is told it (`rateLimits.add`, Twilio sends no counts), SendGrid's learns
 * it from the X-RateLimit-* headers the spec declares.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRateLimitError, isSwitchboardError, type ClientEvent, type WebhookDelivery } from "../../../runtime/index.js";
import type { RateLimitBucketDefinition } from "../../../runtime/contract.js";
import {
  fastClock,
  startMockProvider,
  type MockBucket,
  type MockProvider,
  type MockProviderOptions,
  type MockRequestRecord,
} from "../../../testing/index.js";
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

/** What every client of the test gets: the mock's URL and clock, and a listener for its events. */
interface ClientSetup {
  readonly baseUrl: string;
  readonly clock: ReturnType<typeof fastClock>;
  readonly onEvent: (event: ClientEvent) => void;
}

interface Case {
  readonly spec: string;
  /** Clock speed: fast enough to cross the binding window in a test, slow enough for one-second windows. */
  readonly speed: number;
  readonly options?: MockProviderOptions;
  /** Calls the application makes; writes say so (they must not be applied more than once each). */
  readonly calls: (setup: ClientSetup) => { readonly write: boolean; readonly run: () => PromiseLike<unknown> }[];
  /** How many calls the application has in flight at once. @default 4 */
  readonly parallel?: number;
  /** The buckets whose limit the calls exceed (the mock's log must reach them). */
  readonly binding: readonly string[];
  readonly event: string;
  /** The type the verifier reports: the event's, or "" for batch deliveries whose items carry the type. */
  readonly expectType?: string;
  readonly verify: (delivery: WebhookDelivery, secret: string) => Promise<{ type: string }>;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** Twilio's concurrency per account is not published: this test's account allows 3 requests in flight. */
const TWILIO_ACCOUNT = { account: { rate: 1000, perMs: 1000, concurrency: 3 } } satisfies Record<string, MockBucket>;
/** SendGrid publishes no numbers ("per endpoint per refresh period"): this test's account sends 5 mails a second. */
const SENDGRID_MAIL = { mailSend: { rate: 5, perMs: 1000, appliesTo: { paths: ["/{apiVersion}/mail/send"] } } } satisfies Record<
  string,
  MockBucket
>;

const CASES: Record<string, Case> = {
  stripe: {
    spec: "specs/stripe.yaml",
    // Stripe's per-endpoint bucket is 25 per second: a slow clock lets 40 creates of one endpoint reach it.
    speed: 2,
    parallel: 8,
    binding: ["endpoint:customers.create"],
    calls: ({ baseUrl, clock, onEvent }) => {
      const client = stripe.createStripeClient({ auth: { token: "sk_test_e2e" }, baseUrl, clock, onEvent });
      return [
        ...times(40, (i) => ({ write: true, run: () => client.customers.create({ body: { email: `c${i}@example.com` } }) })),
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
    parallel: 1,
    binding: ["primary"],
    calls: ({ baseUrl, clock, onEvent }) => {
      const client = github.createGithubClient({ auth: { token: "ghp_e2e" }, baseUrl, clock, onEvent });
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
    // A few ms per answer keep requests in flight together, so the concurrency cap is what binds.
    options: { limits: TWILIO_ACCOUNT, latencyMs: 5 },
    parallel: 8,
    binding: ["account"],
    calls: ({ baseUrl, clock, onEvent }) => {
      const client = twilio.createTwilioClient({
        auth: { username: "AC123", password: "token" },
        baseUrl,
        clock,
        onEvent,
        rateLimits: { add: TWILIO_ACCOUNT },
      });
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
    speed: 5,
    options: { limits: SENDGRID_MAIL },
    binding: ["mailSend"],
    calls: ({ baseUrl, clock, onEvent }) => {
      const client = sendgrid.createSendgridClient({ auth: { token: "SG.e2e" }, baseUrl, clock, onEvent });
      return [
        ...times(20, (i) => ({
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
    speed: 100,
    binding: ["conversationsList"],
    calls: ({ baseUrl, clock, onEvent }) => {
      const client = slack.createSlackClient({ auth: { token: "xoxb-e2e" }, baseUrl, clock, onEvent });
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
    // The REST bucket holds 40 and leaks 2 a second: 60 calls in a burst overflow it.
    binding: ["rest"],
    calls: ({ baseUrl, clock, onEvent }) => {
      const client = shopify.createShopifyClient({
        auth: { apiKey: "shpat_e2e" },
        baseUrl,
        variables: { shop: "e2e.myshopify.com" },
        clock,
        onEvent,
      });
      return [
        ...times(10, (i) => ({ write: true, run: () => client.products.create({ body: { product: { title: `p${i}` } } }) })),
        ...times(50, () => ({ write: false, run: () => client.orders.list() })),
      ];
    },
    event: "customers/create",
    verify: (d, secret) => shopify.verifyShopifyWebhook(d, { secret }),
  },
};

/**
 * The most requests any window (or token bucket) of a limit let through, per count in the mock's log,
 * counted as the provider counts them: fixed windows from the first request (token buckets with `burst`).
 */
function peakPerCount(
  requests: readonly MockRequestRecord[],
  buckets: Readonly<Record<string, Pick<RateLimitBucketDefinition, "rate" | "perMs" | "burst">>>,
  usedQuota: Readonly<Record<string, number>> = {},
): Map<string, { peak: number; limit: number }> {
  const out = new Map<string, { peak: number; limit: number }>();
  const keys = new Set(requests.flatMap((r) => r.buckets));
  for (const key of keys) {
    const name = key.split(":")[0]!;
    const bucket = buckets[name]!;
    const times = requests.filter((r) => r.buckets.includes(key)).map((r) => r.at);
    const initial = usedQuota[key] ?? usedQuota[name] ?? 0;
    if (bucket.burst !== undefined) {
      // Tokens used: the bucket's level, drained at `rate` per `perMs` between requests.
      let level = initial;
      let peak = level;
      let last = times[0]!;
      for (const at of times) {
        level = Math.max(0, level - ((at - last) * bucket.rate) / bucket.perMs) + 1;
        last = at;
        peak = Math.max(peak, level);
      }
      out.set(key, { peak: Math.ceil(peak - 1e-9), limit: bucket.burst });
    } else {
      const start = times[0]!;
      const perWindow = new Map<number, number>();
      for (const at of times) {
        const window = Math.floor((at - start) / bucket.perMs);
        perWindow.set(window, (perWindow.get(window) ?? (window === 0 ? initial : 0)) + 1);
      }
      out.set(key, { peak: Math.max(...perWindow.values()), limit: bucket.rate });
    }
  }
  return out;
}

describe.each(Object.entries(CASES))("%s against its mock, faults on", (_name, c) => {
  let mock: MockProvider;
  const outcomes: ("ok" | "normalized" | "raw")[] = [];
  const errors: unknown[] = [];
  const events: ClientEvent[] = [];
  let writes = 0;

  beforeAll(async () => {
    const clock = fastClock(c.speed);
    mock = await startMockProvider(c.spec, { ...FAULTS, ...c.options, clock, webhookUrl: hookUrl });
    const calls = c.calls({ baseUrl: mock.url, clock, onEvent: (event) => events.push(event) });
    writes = calls.filter((call) => call.write).length;
    // The application works through its calls in order, a few at a time, as a job with workers would.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < calls.length) {
        const call = calls[next++]!;
        try {
          await call.run();
          outcomes.push("ok");
        } catch (error) {
          errors.push(error);
          outcomes.push(isSwitchboardError(error) ? "normalized" : "raw");
        }
      }
    };
    await Promise.all(times(c.parallel ?? 4, worker));
  }, 120_000);
  afterAll(() => mock.stop());

  it("every call succeeds or fails with a normalized error, and the faults did happen", () => {
    expect(outcomes.filter((o) => o === "raw")).toEqual([]);
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThan(0);
    expect(mock.requests.some((r) => r.fault === "failure")).toBe(true);
  });

  it("the limits bind: the client's limiter paced or declined calls, and no window of the mock's log is over a limit", () => {
    const paced = events.filter((e) => e.type === "rateLimitWait" && e.waitedMs > 0).length;
    const declined = errors.filter((e) => isRateLimitError(e) && e.source === "local").length;
    expect(paced + declined).toBeGreaterThan(0);
    const buckets = { ...mock.spec.definition.rateLimits.buckets, ...c.options?.limits };
    const peaks = peakPerCount(mock.requests, buckets, c.options?.usedQuota);
    for (const name of c.binding) expect([...peaks.keys()]).toContain(name);
    for (const [key, { peak, limit }] of peaks) expect({ key, peak }).toEqual({ key, peak: Math.min(peak, limit) });
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
