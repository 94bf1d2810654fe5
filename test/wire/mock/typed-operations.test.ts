/**
 * Slack's and Shopify's typed operations against their mocks (no faults): every operation answers with
 * a body that conforms to the response schema the spec declares (the mock makes it from that schema), the
 * generated client hands it back typed, and request bodies are checked against the declared parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as shopify from "../../../generated/shopify/index.js";
import * as slack from "../../../generated/slack/index.js";
import { isValidationError } from "../../../runtime/errors/errors.js";
import { loadMockSpec, startMockProvider, type MockProvider, type MockSpec } from "../../../testing/index.js";
import { validateValue } from "../../../testing/schema.js";

/** Problems of `body` against the success answer schema of `operationId` (none: it conforms). */
function problems(spec: MockSpec, operationId: string, body: unknown): string[] {
  const operation = spec.operations.find((o) => o.id === operationId);
  const schema = operation?.responses[0]?.schema;
  if (schema === undefined) return [`${operationId} declares no answer schema`];
  return validateValue(schema, body).map((p) => `${p.path.join(".")}: ${p.message}`);
}

describe("Slack typed operations against the mock", () => {
  const spec = loadMockSpec("specs/slack.yaml");
  let mock: MockProvider;
  let client: ReturnType<typeof slack.createSlackClient>;
  beforeAll(async () => {
    mock = await startMockProvider(spec);
    client = slack.createSlackClient({ auth: { token: "xoxb-typed" }, baseUrl: mock.url });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it("every declared operation answers with ok: true and a body its response schema accepts", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ["chat.postMessage", () => client.chat.postMessage({ body: { channel: "C1", text: "hello", thread_ts: "1.2" } })],
      ["chat.update", () => client.chat.update({ body: { channel: "C1", ts: "1.2", text: "edited" } })],
      ["chat.delete", () => client.chat.delete({ body: { channel: "C1", ts: "1.2" } })],
      ["conversations.list", () => client.conversations.list({ limit: 100, excludeArchived: true })],
      ["conversations.history", () => client.conversations.history({ channel: "C1" })],
      ["conversations.info", () => client.conversations.info({ channel: "C1", includeNumMembers: true })],
      ["conversations.members", () => client.conversations.members({ channel: "C1" })],
      ["conversations.join", () => client.conversations.join({ body: { channel: "C1" } })],
      ["users.info", () => client.users.info({ user: "U1" })],
      ["users.list", () => client.users.list()],
      ["users.lookupByEmail", () => client.users.lookupByEmail({ email: "a@example.com" })],
      ["auth.test", () => client.auth.test()],
    ];
    for (const [id, call] of calls) {
      const body = await call();
      expect(problems(spec, id, body), id).toEqual([]);
      expect((body as { ok?: unknown }).ok, id).toBe(true);
    }
  });

  it("answers are typed: the compiler knows the posted message's ts, a user's profile and the list items", async () => {
    const posted = await client.chat.postMessage({ body: { channel: "C1", text: "typed" } });
    const ts: string = posted.ts;
    const channel: string = posted.channel;
    expect(channel).toBe("C1");
    expect(typeof ts).toBe("string");
    const { user } = await client.users.info({ user: "U1" });
    const email: string | undefined = user.profile?.email;
    expect(email === undefined || typeof email === "string").toBe(true);
    for await (const conversation of client.conversations.list()) {
      const id: string = conversation.id;
      expect(typeof id).toBe("string");
    }
  });

  it("refuses a chat.postMessage without channel as the parameters declare it", async () => {
    // @ts-expect-error channel is required by ChatPostMessageParams
    const error = await client.chat.postMessage({ body: { text: "nowhere" } }).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
  });
});

describe("Shopify typed operations against the mock", () => {
  const spec = loadMockSpec("specs/shopify.yaml");
  let mock: MockProvider;
  let client: ReturnType<typeof shopify.createShopifyClient>;
  beforeAll(async () => {
    mock = await startMockProvider(spec);
    client = shopify.createShopifyClient({
      auth: { apiKey: "shpat_typed" },
      baseUrl: mock.url,
      variables: { shop: "typed.myshopify.com" },
    });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it("products, orders and customers (list, get, create, update) answer with bodies their schemas accept", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ["products.list", () => client.products.list({ limit: 50, status: "active" })],
      ["products.get", () => client.products.get({ productId: 632910392 })],
      ["products.count", () => client.products.count()],
      ["products.create", () => client.products.create({ body: { product: { title: "Board", vendor: "Acme", status: "draft" } } })],
      ["products.update", () => client.products.update({ productId: 632910392, body: { product: { tags: "sale" } } })],
      ["orders.list", () => client.orders.list({ status: "any" })],
      ["orders.get", () => client.orders.get({ orderId: 450789469 })],
      ["orders.create", () => client.orders.create({ body: { order: { line_items: [{ variant_id: 808950810, quantity: 1 }] } } })],
      ["orders.update", () => client.orders.update({ orderId: 450789469, body: { order: { note: "gift" } } })],
      ["customers.list", () => client.customers.list({ limit: 10 })],
      ["customers.get", () => client.customers.get({ customerId: 207119551 })],
      ["customers.create", () => client.customers.create({ body: { customer: { email: "a@example.com", first_name: "Ada" } } })],
      ["customers.update", () => client.customers.update({ customerId: 207119551, body: { customer: { note: "vip" } } })],
      ["shop.get", () => client.shop.get()],
    ];
    for (const [id, call] of calls) expect(problems(spec, id, await call()), id).toEqual([]);
  });

  it("answers are typed: a created product's id and variants, an order's line items, a customer's email", async () => {
    const { product } = await client.products.create({ body: { product: { title: "Typed" } } });
    const id: number = product.id;
    const title: string = product.title;
    expect(title).toBe("Typed");
    expect(Number.isInteger(id)).toBe(true);
    const price: string | undefined = product.variants?.[0]?.price;
    expect(price === undefined || typeof price === "string").toBe(true);
    for await (const order of client.orders.list()) {
      const quantity: number | undefined = order.line_items[0]?.quantity;
      expect(quantity === undefined || Number.isInteger(quantity)).toBe(true);
    }
    const { customer } = await client.customers.get({ customerId: 1 });
    const email: string | null | undefined = customer.email;
    expect(email === undefined || email === null || typeof email === "string").toBe(true);
  });

  it("refuses a product create without a title, in Shopify's error shape", async () => {
    // @ts-expect-error title is required by ProductCreateBody
    const error = await client.products.create({ body: { product: { vendor: "Acme" } } }).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
  });
});
