/**
 * Weighted buckets over the wire (issue 14, Done means): a strict scripted provider with a token bucket
 * that refills continuously and is full again at its reset (OpenAI's x-ratelimit-*-tokens), charging
 * each request the tokens its body asks for. A burst of 60 calls of uneven costs must complete with no
 * 429 and no call failed locally, with the bucket declared and with the bucket learned from the headers.
 */
import { describe, expect, it } from "vitest";
import { createStripeClient } from "../../generated/stripe/index.js";
import { coreFor } from "../helpers/client-core.js";
import { isRateLimitError } from "../../runtime/errors/errors.js";
import type { RateLimitsDefinition } from "../../runtime/definition.js";
import { json, useLoopbackServer } from "../helpers/loopback-server.js";
import { op, testDefinition } from "../helpers/test-provider.js";

const server = useLoopbackServer();

const complete = op("POST", "/v1/completions", { idempotent: true });

/** The provider's bucket: `capacity` tokens, refilled at `perSecond`, charged at arrival. */
function strictTokenBucket(capacity: number, perSecond: number) {
  let tokens = capacity;
  let at = Date.now();
  const stats = { limited: 0, served: 0, charged: 0 };
  server.handle((request, response) => {
    const now = Date.now();
    tokens = Math.min(capacity, tokens + ((now - at) * perSecond) / 1000);
    at = now;
    const cost = (JSON.parse(request.body) as { max_tokens: number }).max_tokens;
    const ok = tokens >= cost;
    if (ok) tokens -= cost;
    const headers = {
      "x-ratelimit-limit-tokens": String(capacity),
      // Rounded down, and the time to full rounded up: the provider never overstates what is left.
      "x-ratelimit-remaining-tokens": String(Math.floor(tokens)),
      "x-ratelimit-reset-tokens": `${Math.ceil(((capacity - tokens) * 1000) / perSecond)}ms`,
    };
    if (ok) {
      stats.served += 1;
      stats.charged += cost;
      json(response, 200, { ok: true }, headers);
    } else {
      stats.limited += 1;
      json(response, 429, { error: { message: "tokens" } }, { ...headers, "retry-after-ms": "50" });
    }
  });
  return stats;
}

const tokens = {
  name: "tokens",
  limit: "x-ratelimit-limit-tokens",
  remaining: "x-ratelimit-remaining-tokens",
  reset: "x-ratelimit-reset-tokens",
  resetFormat: "duration",
  resetMeaning: "refill",
  cost: { request: ["max_tokens"], default: 1 },
} as const;

/** Costs from 20 to 117 tokens, the same every run. */
const costs = Array.from({ length: 60 }, (_, i) => 20 + ((i * 37) % 98));

async function burst(rateLimits: RateLimitsDefinition): Promise<unknown[]> {
  const core = coreFor(testDefinition({ rateLimits }), { auth: { token: "t" }, baseUrl: server.url });
  try {
    return await Promise.all(
      costs.map((cost) =>
        core.request(complete, { path: "/v1/completions", body: { max_tokens: cost } }, { retry: false }).catch((e: unknown) => e),
      ),
    );
  } finally {
    core.close();
  }
}

describe("a weighted bucket with refill-to-full resets", () => {
  // 1,000 tokens, 2,000 a second: the burst (4,000 tokens) needs about 1.5 s of refill.
  const capacity = 1000;
  const perSecond = 2000;

  it("declared: a burst of 60 calls of uneven costs completes with no 429 and no call failed locally", async () => {
    const stats = strictTokenBucket(capacity, perSecond);
    const results = await burst({
      limitedWhen: [],
      families: [tokens],
      buckets: { tokens: { rate: perSecond, perMs: 1000, burst: capacity, family: "tokens", maxQueueWaitMs: 30_000 } },
    });
    expect({ limited: stats.limited, failed: results.filter((r) => r instanceof Error).length }).toEqual({ limited: 0, failed: 0 });
    expect(stats.served).toBe(60);
    expect(stats.charged).toBe(costs.reduce((a, b) => a + b, 0));
  });

  it("learned from the headers alone: the same burst completes with no 429 and no call failed locally", async () => {
    const stats = strictTokenBucket(capacity, perSecond);
    const results = await burst({ limitedWhen: [], families: [tokens], buckets: {} });
    expect({ limited: stats.limited, failed: results.filter((r) => r instanceof Error).length }).toEqual({ limited: 0, failed: 0 });
    expect(stats.served).toBe(60);
  });
});

describe("costs taken from the answer", () => {
  /**
   * A GraphQL provider in Shopify's manner: a query needs its requested cost available (the client cannot
   * compute it, so it estimates 100), but is charged only what it actually cost (10), which the answer
   * reports in its body; the bucket (1,000 points) refills a point a minute, so nothing refills here.
   */
  function pointsBucket() {
    let points = 1000;
    const stats = { limited: 0, served: 0 };
    server.handle((_request, response) => {
      const ok = points >= 100;
      if (ok) points -= 10;
      const headers = {
        "x-points-limit": "1000",
        "x-points-remaining": String(points),
        "x-points-reset": `${(1000 - points) * 60}s`,
      };
      if (!ok) {
        stats.limited += 1;
        return json(response, 429, { errors: [{ message: "Throttled" }] }, headers);
      }
      stats.served += 1;
      json(response, 200, { data: {}, extensions: { cost: { requestedQueryCost: 100, actualQueryCost: 10 } } }, headers);
    });
    return stats;
  }

  const points = (answer: { answer?: readonly string[]; answerHeader?: string }): RateLimitsDefinition => ({
    limitedWhen: [],
    families: [
      {
        name: "points",
        limit: "x-points-limit",
        remaining: "x-points-remaining",
        reset: "x-points-reset",
        resetFormat: "duration",
        resetMeaning: "refill",
        cost: { default: 100, ...answer },
      },
    ],
    buckets: { points: { rate: 1, perMs: 60_000, burst: 1000, family: "points", maxQueueWaitMs: 5000 } },
  });

  async function queries(rateLimits: RateLimitsDefinition): Promise<unknown[]> {
    const core = coreFor(testDefinition({ rateLimits }), { auth: { token: "t" }, baseUrl: server.url });
    try {
      return await Promise.all(
        Array.from({ length: 60 }, () =>
          core.request(complete, { path: "/graphql", body: { query: "{ shop { name } }" } }, { retry: false }).catch((e: unknown) => e),
        ),
      );
    } finally {
      core.close();
    }
  }

  it("the actual cost in the answer body replaces the estimate: 60 queries estimated at 100 fit a bucket of 1,000", async () => {
    const stats = pointsBucket();
    const results = await queries(points({ answer: ["extensions", "cost", "actualQueryCost"] }));
    expect({ limited: stats.limited, failed: results.filter((r) => r instanceof Error).length }).toEqual({ limited: 0, failed: 0 });
    expect(stats.served).toBe(60);
  });

  it("without it, the estimate is charged: the bucket is spent after 10 queries and the rest fail locally", async () => {
    const stats = pointsBucket();
    const results = await queries(points({}));
    expect(stats.limited).toBe(0);
    expect(stats.served).toBe(10);
    expect(results.filter((r) => r instanceof Error)).toHaveLength(50);
  });
});

describe("a provider's state read from the answer body (rateLimits family body: Shopify GraphQL's throttleStatus)", () => {
  /**
   * Shopify's manner: every answer states the bucket in extensions.cost.throttleStatus. Another client of
   * the same shop has spent half of its 1,000 points, and it refills a point a second, so nothing
   * refills during the test. Each query costs 100.
   */
  function shopBucket() {
    let available = 500;
    const stats = { limited: 0, served: 0 };
    server.handle((_request, response) => {
      const ok = available >= 100;
      if (ok) available -= 100;
      const throttleStatus = { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 1 };
      if (!ok) {
        stats.limited += 1;
        return json(response, 429, { errors: [{ message: "Throttled" }], extensions: { cost: { throttleStatus } } });
      }
      stats.served += 1;
      json(response, 200, { data: {}, extensions: { cost: { requestedQueryCost: 100, actualQueryCost: 100, throttleStatus } } });
    });
    return stats;
  }

  const status = ["extensions", "cost", "throttleStatus"];
  const shop = (body: boolean): RateLimitsDefinition => ({
    limitedWhen: [],
    families: [
      {
        name: "points",
        resetFormat: "epoch-seconds",
        cost: { default: 100, answer: ["extensions", "cost", "actualQueryCost"] },
        ...(body && {
          body: {
            limit: [...status, "maximumAvailable"],
            remaining: [...status, "currentlyAvailable"],
            refillPerSecond: [...status, "restoreRate"],
          },
        }),
      },
    ],
    // The declared size: the whole bucket, as if the shop were the client's alone.
    buckets: { points: { rate: 1, perMs: 1000, burst: 1000, family: "points", maxQueueWaitMs: 1000 } },
  });

  async function burst(rateLimits: RateLimitsDefinition): Promise<unknown[]> {
    const core = coreFor(testDefinition({ rateLimits }), { auth: { token: "t" }, baseUrl: server.url });
    const query = () =>
      core.request(complete, { path: "/graphql", body: { query: "{ shop { name } }" } }, { retry: false }).catch((e: unknown) => e);
    try {
      // One query first, so that an answer has stated the bucket; then 20 at once.
      return [await query(), ...(await Promise.all(Array.from({ length: 20 }, query)))];
    } finally {
      core.close();
    }
  }

  it("the body's count lowers the declared bucket: no query is throttled, the rest fail locally", async () => {
    const stats = shopBucket();
    const results = await burst(shop(true));
    expect(stats).toEqual({ limited: 0, served: 5 });
    expect(results.filter((r) => isRateLimitError(r) && r.source === "local")).toHaveLength(16);
  });

  it("without it, the client goes by its declared size and the provider throttles", async () => {
    const stats = shopBucket();
    await burst(shop(false));
    expect(stats.served).toBe(5);
    expect(stats.limited).toBeGreaterThan(0);
  });
});

describe("Stripe's per-endpoint limit (specs/stripe.yaml, bucket endpoint: perOperation)", () => {
  it("a per-operation bucket paces each operation on its own: one operation's spent limit holds only its own calls", async () => {
    server.handle((request, response) =>
      json(
        response,
        200,
        request.url.startsWith("/v1/customers/cus_")
          ? { id: "cus", object: "customer" }
          : { object: "list", data: [], has_more: false, url: "/v1/customers" },
      ),
    );
    // The spec's 25 per second per operation, lowered to 2 per minute so that nothing refills during the test.
    const stripe = createStripeClient({
      auth: { token: "sk_test_x" },
      baseUrl: server.url,
      rateLimits: { buckets: { endpoint: { rate: 2, perMs: 60_000, maxQueueWaitMs: 1000 } } },
    });
    try {
      // GET /v1/customers/{customer} for different customers is one endpoint: its third call has no slot.
      await stripe.customers.retrieve({ customer: "cus_1" });
      await stripe.customers.retrieve({ customer: "cus_2" });
      const third = await stripe.customers.retrieve({ customer: "cus_3" }).catch((e: unknown) => e);
      expect(isRateLimitError(third)).toBe(true);
      expect(third).toMatchObject({ source: "local", bucket: "endpoint@customers.retrieve" });
      // GET /v1/customers is another endpoint, with a limit of its own.
      await stripe.customers.list();
      await stripe.customers.list();
      expect(server.requests.map((r) => r.url.split("?")[0])).toEqual([
        "/v1/customers/cus_1",
        "/v1/customers/cus_2",
        "/v1/customers",
        "/v1/customers",
      ]);
    } finally {
      stripe.close();
    }
  });
});
