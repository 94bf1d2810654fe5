import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifyClient } from "../../../generated/shopify/index.js";
import { isConfigurationError } from "../../../runtime/index.js";
import { json, startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server.close();
});

const auth = { apiKey: "shpat_secret" };

describe("URL variables (Shopify's {shop})", () => {
  it("fill the base URL's placeholders, next to the pinned version in the path", async () => {
    server.handle((_req, res) => json(res, 200, { product: { id: 1 } }));
    const shopify = createShopifyClient({ auth, variables: { shop: "example.myshopify.com" }, baseUrl: `${server.url}/{shop}` });
    await shopify.products.get({ productId: 1 });
    const request = server.requests.at(-1);
    expect(request?.url).toBe("/example.myshopify.com/admin/api/2026-07/products/1.json");
    expect(request?.headers["x-shopify-access-token"]).toBe("shpat_secret");
  });

  it("are checked against the spec's pattern when the client is created", () => {
    const error = (() => {
      try {
        createShopifyClient({ auth, variables: { shop: "evil.example.com/x?" } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isConfigurationError(error) && error.message).toMatch(/variables\.shop does not match/);
  });

  it("are required unless the spec gives a default, and unknown ones are rejected", () => {
    const create = (options: object) => () => createShopifyClient({ auth, ...options } as Parameters<typeof createShopifyClient>[0]);
    expect(create({})).toThrow(/variables\.shop is required/);
    expect(create({ variables: { shop: "a.myshopify.com", region: "eu" } })).toThrow(/unknown variable "region"/);
    expect(create({ variables: { shop: "a.myshopify.com" } })).not.toThrow();
  });
});
