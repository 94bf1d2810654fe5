/**
 * Shopify GraphQL's throttled answer, through the generated Shopify client against a loopback server: a
 * query over the shop's points bucket is answered with HTTP 200 and
 * `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}`, not a 429. specs/shopify.yaml
 * declares it in rateLimits.limitedWhen, so the client treats it like a 429: nothing was done, the bucket
 * pauses until the answer's throttleStatus says the points are back, and the query is retried then.
 * The client and the server share a manual clock, so the wait is exact and nothing waits in real time.
 */
import { describe, expect, it } from "vitest";
import { createShopifyClient } from "../../generated/shopify/index.js";
import type { ClientEvent } from "../../runtime/client/events.js";
import { isRateLimitError } from "../../runtime/errors/errors.js";
import { json, useLoopbackServer } from "../helpers/loopback-server.js";
import { drive, ManualClock } from "../helpers/manual-clock.js";

const server = useLoopbackServer();

/** The answer Shopify gives a query its bucket cannot pay for: 200, errors[], and the bucket's state. */
function throttled(available: number) {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: {
      cost: {
        requestedQueryCost: 100,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 100 },
      },
    },
  };
}

const answered = {
  data: { shop: { name: "Shop" } },
  extensions: {
    cost: {
      requestedQueryCost: 100,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 990, restoreRate: 100 },
    },
  },
};

function clockedShopify(clock: ManualClock) {
  const events: ClientEvent[] = [];
  const sentAt: number[] = [];
  const shopify = createShopifyClient({
    auth: { apiKey: "shpat_test_token" },
    variables: { shop: "example.myshopify.com" },
    baseUrl: server.url,
    clock,
    onEvent: (event) => {
      events.push(event);
      if (event.type === "request") sentAt.push(clock.now());
    },
  });
  return { shopify, events, sentAt };
}

const query = { body: { query: "{ shop { name } }" } };

describe("Shopify GraphQL's throttled answer (HTTP 200, errors[0].extensions.code THROTTLED)", () => {
  it("counts as rate limited: the query is retried once the points are back, and the application gets its data", async () => {
    const clock = new ManualClock();
    server.handle((_request, response) => json(response, 200, server.requests.length === 1 ? throttled(0) : answered));
    const { shopify, events, sentAt } = clockedShopify(clock);
    try {
      const result = await drive(clock, shopify.graphql.query(query));
      expect(result).toEqual(answered);
      expect(sentAt).toHaveLength(2);
      expect(events.filter((e) => e.type === "rateLimited")).toHaveLength(1);
      const [limited] = events.filter((e) => e.type === "rateLimited");
      expect(limited).toMatchObject({ status: 200, operation: "graphql.query" });
      // The retry waited for the bucket the answer described: 1,000 points at 100 a second from empty, 10 s.
      const retryAt = (limited as { retryAt: number }).retryAt;
      expect(retryAt - sentAt[0]!).toBeGreaterThanOrEqual(10_000);
      expect(sentAt[1]).toBeGreaterThanOrEqual(retryAt);
    } finally {
      await shopify.close();
    }
  });

  it("without retries it is a rate-limit error from the provider, not a GraphQL error or data", async () => {
    const clock = new ManualClock();
    server.handle((_request, response) => json(response, 200, throttled(0)));
    const { shopify } = clockedShopify(clock);
    try {
      const error = await drive(
        clock,
        shopify.graphql.query(query, { retry: false }).catch((e: unknown) => e),
      );
      expect(isRateLimitError(error)).toBe(true);
      expect(error).toMatchObject({ code: "rate_limited", source: "provider", outcome: "not_processed" });
    } finally {
      await shopify.close();
    }
  });

  it("a GraphQL error that is not a throttle stays a provider error and is not retried", async () => {
    const clock = new ManualClock();
    server.handle((_request, response) => json(response, 200, { errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'" }] }));
    const { shopify, sentAt } = clockedShopify(clock);
    try {
      const error = await drive(
        clock,
        shopify.graphql.query(query).catch((e: unknown) => e),
      );
      expect(isRateLimitError(error)).toBe(false);
      expect(error).toMatchObject({ message: expect.stringContaining("doesn't exist") });
      expect(sentAt).toHaveLength(1);
    } finally {
      await shopify.close();
    }
  });
});
