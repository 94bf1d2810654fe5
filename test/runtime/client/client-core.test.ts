import { describe, expect, it } from "vitest";
import { createStripeClient } from "../../../generated/stripe/index.js";
import {
  ConfigurationError,
  isConfigurationError,
  isNetworkError,
  isProviderError,
  ProviderError,
  UnsupportedVersionError,
} from "../../../runtime/index.js";
import { json, startLoopbackServer, useLoopbackServer } from "../../helpers/loopback-server.js";
import { ClientCore } from "../../../runtime/client/client-core.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const server = useLoopbackServer();

const secret = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

describe("generated Stripe client over loopback HTTP", () => {
  it("sends the bearer key, the pinned Stripe-Version and an encoded path", async () => {
    server.handle((_req, res) => json(res, 200, { id: "cus/1", object: "customer" }));
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    const customer = await stripe.customers.retrieve({ customer: "cus/1 ../x", expand: ["default_source"] });
    expect(customer).toEqual({ id: "cus/1", object: "customer" });
    const [request] = server.requests;
    expect(request?.method).toBe("GET");
    expect(request?.url).toBe("/v1/customers/cus%2F1%20..%2Fx?expand[0]=default_source");
    expect(request?.headers["authorization"]).toBe(`Bearer ${secret}`);
    expect(request?.headers["stripe-version"]).toBe("2026-10-28.endive");
    expect(request?.headers["user-agent"]).toMatch(/^switchboard\//);
  });

  it("sends form bodies with bracket nesting and literal brackets, as stripe-node does", async () => {
    server.handle((_req, res) => json(res, 200, { id: "cus_2" }));
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    await stripe.customers.create({ body: { email: "a@example.com", metadata: { order: 1 }, preferred_locales: ["en", "fr"] } });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.body).toBe("email=a%40example.com&metadata[order]=1&preferred_locales[0]=en&preferred_locales[1]=fr");
  });

  it("sends a JSON body with the operation's media type, and a Content-Type the client or the call sets wins", async () => {
    server.handle((_req, res) => json(res, 200, {}));
    const core = new ClientCore(testDefinition(), { auth: { token: "t" }, baseUrl: server.url });
    const jsonApi = op("POST", "/profiles", { contentType: "application/vnd.api+json" });
    await core.request(jsonApi, { path: "/profiles", body: { data: { type: "profile" } } });
    await core.request(op("POST", "/plain"), { path: "/plain", body: {} });
    await core.request(op("POST", "/plain"), { path: "/plain", body: {} }, { headers: { "Content-Type": "application/merge-patch+json" } });
    await core.request(
      op("POST", "/form", { bodyEncoding: "form" }),
      { path: "/form", body: { a: 1 } },
      { headers: { "content-type": "text/plain" } },
    );
    await core.close();
    const custom = new ClientCore(testDefinition(), {
      auth: { token: "t" },
      baseUrl: server.url,
      headers: { "content-type": "application/vnd.api+json" },
    });
    await custom.request(op("POST", "/plain"), { path: "/plain", body: {} });
    await custom.close();
    expect(server.requests.map((r) => r.headers["content-type"])).toEqual([
      "application/vnd.api+json",
      "application/json",
      "application/merge-patch+json",
      "text/plain",
      "application/vnd.api+json",
    ]);
    expect(server.requests[0]?.body).toBe('{"data":{"type":"profile"}}');
  });

  it("close() on a generated client ends it: later calls fail with ConfigurationError (issue 14)", async () => {
    server.handle((_req, res) => json(res, 200, { id: "cus_1" }));
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    await stripe.customers.retrieve({ customer: "cus_1" });
    await stripe.close();
    const error = await stripe.customers.retrieve({ customer: "cus_1" }).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe("this Stripe client was closed");
    expect(server.requests).toHaveLength(1);
  });

  it("uses HTTP Basic with the key as username in the basic mode", async () => {
    server.handle((_req, res) => json(res, 200, {}));
    const stripe = createStripeClient({ auth: { mode: "basic", username: secret }, baseUrl: server.url });
    await stripe.customers.list();
    expect(server.requests[0]?.headers["authorization"]).toBe(`Basic ${Buffer.from(`${secret}:`).toString("base64")}`);
  });

  it("sends an overriding API version from the supported list", async () => {
    server.handle((_req, res) => json(res, 200, {}));
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url, apiVersion: "2024-09-30.acacia" });
    await stripe.customers.list({ limit: 3 });
    expect(server.requests[0]?.headers["stripe-version"]).toBe("2024-09-30.acacia");
    expect(server.requests[0]?.url).toBe("/v1/customers?limit=3");
  });

  it("turns a Stripe error body into a ProviderError with kind, code, request id, and no secret", async () => {
    const body = {
      error: {
        type: "card_error",
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.",
        doc_url: "https://stripe.com/docs/error-codes/card-declined",
        param: "payment_method",
      },
    };
    server.handle((_req, res) => json(res, 402, body, { "request-id": "req_123" }));
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    const error = await stripe.paymentIntents.confirm({ intent: "pi_1", body: {} }).catch((e: unknown) => e);
    expect(isProviderError(error)).toBe(true);
    const e = error as ProviderError;
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.code).toBe("provider_error");
    expect({
      status: e.status,
      kind: e.kind,
      providerCode: e.providerCode,
      requestId: e.requestId,
      retryable: e.retryable,
      param: e.param,
    }).toEqual({
      status: 402,
      kind: "card_declined",
      providerCode: "card_declined",
      requestId: "req_123",
      retryable: false,
      param: "payment_method",
    });
    expect(e.hint).toMatch(/another payment method/);
    expect(e.raw).toEqual(body);
    expect(Object.keys(e)).not.toContain("raw");
    expect(JSON.stringify(e) + e.message + String(e.stack)).not.toContain(secret);
  });

  it("classifies a non-JSON 503 as provider_unavailable and retryable", async () => {
    server.handle((_req, res) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<html>upstream down</html>");
    });
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    const error = await stripe.customers.list().catch((e: unknown) => e);
    expect(isProviderError(error) && [error.kind, error.retryable, error.message]).toEqual([
      "provider_unavailable",
      true,
      "stripe answered 503: <html>upstream down</html>",
    ]);
  });

  it("reports a refused connection as a NetworkError", async () => {
    const closed = await startLoopbackServer();
    const url = closed.url;
    await closed.close();
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: url });
    const error = await stripe.customers.list().catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect((error as Error).message).not.toContain(secret);
  });

  it("rejects an unknown environment, auth mode or unsupported API version at creation", () => {
    const create = (options: object) => () =>
      createStripeClient({ auth: { token: secret }, ...options } as Parameters<typeof createStripeClient>[0]);
    expect(create({ environment: "sandbox" })).toThrow(ConfigurationError);
    // Names of Object.prototype members are not environments, modes or versions either.
    expect(create({ environment: "toString" })).toThrow(/unknown environment "toString"/);
    expect(create({ auth: { mode: "constructor", token: secret } })).toThrow(/unknown auth mode "constructor"/);
    expect(create({ apiVersion: "hasOwnProperty" })).toThrow(/API version "hasOwnProperty" is not supported/);
    expect(create({ auth: { mode: "oauth", token: secret } })).toThrow(/unknown auth mode "oauth"/);
    expect(create({ apiVersion: "1999-01-01" })).toThrow(/API version "1999-01-01" is not supported/);
    expect(create({ apiVersion: "1999-01-01" })).toThrow(UnsupportedVersionError);
    try {
      create({ environment: "sandbox" })();
    } catch (error) {
      expect(isConfigurationError(error) && error.code).toBe("configuration");
    }
  });

  it("passes the caller's AbortSignal to the request", async () => {
    server.handle(() => undefined); // never answers
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    const controller = new AbortController();
    const rejected = expect(stripe.customers.list({}, { signal: controller.signal })).rejects.toThrow("caller gave up");
    // Abort once the request is in flight (the server has it), not after a guessed time.
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("caller gave up"));
    await rejected;
  });

  it("wires the spec's policies, which a caller overrides per client and per call", async () => {
    server.handle((_req, res) => {
      if (server.requests.length <= 2) json(res, 503, { error: { type: "api_error", message: "busy" } });
      else json(res, 200, { id: "cus_3" });
    });
    const events: string[] = [];
    const stripe = createStripeClient({
      auth: { token: secret },
      baseUrl: server.url,
      retry: { maxAttempts: 5, backoff: { baseMs: 1, capMs: 5 } },
      rateLimits: { buckets: { global: { rate: 25 } }, key: "acct_test" },
      circuitBreaker: { openForMs: 60_000 },
      timeout: { attemptMs: 5000 },
      onEvent: (event) => events.push(event.type),
    });
    // The spec's Stripe retry allows 3 attempts; the client raised it to 5, so two 503s are survived.
    await expect(stripe.customers.create({ body: { email: "a@example.com" } }, { idempotencyKey: "order-7" })).resolves.toEqual({
      id: "cus_3",
    });
    expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual(["order-7", "order-7", "order-7"]);
    expect(events.filter((e) => e === "retry")).toHaveLength(2);
    // Per call, retries off: one 503 ends the call.
    server.requests.length = 0;
    server.handle((_req, res) => json(res, 503, { error: { type: "api_error", message: "busy" } }));
    await expect(stripe.customers.create({ body: {} }, { retry: false })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it("list methods page as the spec declares: await for the first page, for await over every item", async () => {
    const customers = Array.from({ length: 5 }, (_, i) => ({ id: `cus_${i}` }));
    server.handle((req, res) => {
      const after = new URL(req.url, "http://x").searchParams.get("starting_after");
      const start = after === null ? 0 : customers.findIndex((c) => c.id === after) + 1;
      json(res, 200, { object: "list", data: customers.slice(start, start + 2), has_more: start + 2 < customers.length });
    });
    const stripe = createStripeClient({ auth: { token: secret }, baseUrl: server.url });
    await expect(stripe.customers.list({ limit: 2 })).resolves.toMatchObject({ object: "list", has_more: true });
    const seen: unknown[] = [];
    for await (const customer of stripe.customers.list({ limit: 2 })) seen.push(customer);
    expect(seen).toEqual(customers);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/v1/customers?limit=2",
      "/v1/customers?limit=2",
      "/v1/customers?limit=2&starting_after=cus_1",
      "/v1/customers?limit=2&starting_after=cus_3",
    ]);
  });
});

describe("rateLimits.add", () => {
  it("adds a bucket the spec does not declare (the account's own limit), and refuses one it declares", async () => {
    server.handle((_req, res) => json(res, 200, { id: "cus_1" }));
    const stripe = createStripeClient({
      auth: { token: secret },
      baseUrl: server.url,
      rateLimits: { add: { account: { rate: 2, perMs: 60_000, maxQueueWaitMs: 0, appliesTo: { methods: ["GET"] } } } },
    });
    await stripe.customers.retrieve({ customer: "cus_1" });
    await stripe.customers.retrieve({ customer: "cus_1" });
    // The third GET within the minute finds the added bucket spent and fails locally, unsent.
    await expect(stripe.customers.retrieve({ customer: "cus_1" })).rejects.toMatchObject({ name: "RateLimitError", source: "local" });
    expect(server.requests).toHaveLength(2);
    // Writes are not in the added bucket's appliesTo.
    await expect(stripe.customers.create({ body: {} })).resolves.toEqual({ id: "cus_1" });
    expect(() =>
      createStripeClient({ auth: { token: secret }, baseUrl: server.url, rateLimits: { add: { global: { rate: 1, perMs: 1000 } } } }),
    ).toThrow('Stripe already declares the rate-limit bucket "global"');
  });
});
