/**
 * The spec-driven mock against real clients on loopback: credentials, declared limits and headers,
 * faults, idempotency keys, body validation in the provider's error shape, answers from schemas, the
 * OAuth server (code + PKCE, refresh rotation, client credentials) and signed webhooks.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ClientCore } from "../../runtime/client/client-core.js";
import { coreFor } from "../helpers/client-core.js";
import type { OperationDefinition } from "../../runtime/definition.js";
import {
  isAuthenticationError,
  isIdempotencyConflictError,
  isProviderUnavailableError,
  isValidationError,
} from "../../runtime/errors/errors.js";
import { OAuth2Authorization } from "../../runtime/auth/authorization.js";
import { OAuth2TokenManager } from "../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../runtime/auth/token-store.js";
import { verifyWebhookDelivery } from "../../runtime/webhooks/verify-all.js";
import { fastClock, loadMockSpec, MockUsageError, signDelivery, startMockProvider, type MockProvider } from "../../testing/index.js";
import { createStripeClient } from "../../generated/stripe/index.js";
import { verifyStripeWebhook as verifyStripeWebhook } from "../../generated/stripe/verify-webhook.js";

const ACME = "test/fixtures/mock/acme.yaml";
const acme = loadMockSpec(ACME);
const operation = (id: string): OperationDefinition => acme.model.groups.flatMap((g) => g.operations).find((o) => o.id === id)!.definition;

const mocks: MockProvider[] = [];
async function mock(...args: Parameters<typeof startMockProvider>): Promise<MockProvider> {
  const started = await startMockProvider(...args);
  mocks.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.stop()));
});

function acmeClient(server: MockProvider, token = "sk_acme_1", options: Partial<ConstructorParameters<typeof ClientCore>[1]> = {}) {
  return coreFor(acme.definition, { auth: { token }, baseUrl: server.url, ...options });
}

describe("startMockProvider: operations", () => {
  it("answers a create with data made from the response schema, overlaid with what was sent", async () => {
    const server = await mock(acme);
    const widget = await acmeClient(server).request(operation("widgets.create"), { path: "/widgets", body: { name: "gear", size: 3 } });
    expect(widget).toMatchObject({ object: "widget", name: "gear", size: 3 });
    expect(typeof (widget as { id: unknown }).id).toBe("string");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      path: "/v2/widgets",
      operation: "widgets.create",
      status: 200,
      applied: true,
    });
    expect(server.requests[0]!.body).toEqual({ name: "gear", size: "3" });
  });

  it("refuses a body without a required field with the provider's validation error shape", async () => {
    const server = await mock(acme);
    const error = await acmeClient(server)
      .request(operation("widgets.create"), { path: "/widgets", body: { size: 3 } })
      .catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, providerCode: "parameter_missing", type: "invalid_request_error", param: "name" });
    expect((error as Error).message).toContain("Missing required param: name.");
  });

  it("refuses a value of the wrong type, naming the form key with brackets", async () => {
    const server = await mock(acme);
    const error = await acmeClient(server)
      .request(operation("widgets.create"), { path: "/widgets", body: { name: "gear", size: "big" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "validation", param: "size" });
  });

  it("answers an undeclared route with the provider's not-found shape", async () => {
    const server = await mock(acme);
    const response = await fetch(`${server.url}/nothing`, { headers: { authorization: "Bearer x" } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining("/v2/nothing") } });
  });
});

describe("startMockProvider: credentials", () => {
  it("refuses a request without credentials as the auth section places them", async () => {
    const server = await mock(acme);
    const response = await fetch(`${server.url}/widgets/w_1`);
    expect(response.status).toBe(401);
    const error = await acmeClient(server, "wrong", {})
      .request(operation("widgets.retrieve"), { path: "/widgets/w_1" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeUndefined(); // any non-empty key is accepted by default
  });

  it("accepts only the listed credentials when given", async () => {
    const server = await mock(acme, { credentials: ["sk_good"] });
    await expect(acmeClient(server, "sk_good").request(operation("widgets.retrieve"), { path: "/widgets/w_1" })).resolves.toMatchObject({
      object: "widget",
    });
    const error = await acmeClient(server, "sk_bad")
      .request(operation("widgets.retrieve"), { path: "/widgets/w_1" })
      .catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect(JSON.stringify(server.requests)).not.toContain("sk_bad");
  });
});

describe("startMockProvider: rate limits", () => {
  it("sends the declared headers and a 429 once the declared rate is spent", async () => {
    const server = await mock(acme, { clock: { now: () => 1_700_000_000_000 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await fetch(`${server.url}/widgets/w_${i}`, { headers: { authorization: "Bearer k" } });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get("x-ratelimit-limit")).toBe("5");
        expect(last.headers.get("x-ratelimit-remaining")).toBe("4");
        expect(last.headers.get("x-ratelimit-reset")).toBe("1700000001");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(server.requests.at(-1)).toMatchObject({ fault: "rate_limited", status: 429 });
  });

  it("opens a new window after `per`: the client's limiter waits instead of letting a 429 through", async () => {
    const clock = fastClock(50);
    const server = await mock(acme, { clock });
    const client = acmeClient(server, "k", { clock });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => client.request(operation("widgets.retrieve"), { path: `/widgets/w_${i}` })),
    );
    expect(results).toHaveLength(12);
    expect(server.requests.filter((r) => r.status === 429)).toEqual([]);
  });

  it("forceRateLimit answers the next request 429; the client retries and succeeds", async () => {
    const clock = fastClock(1000);
    const server = await mock(acme, { clock });
    server.forceRateLimit(1);
    await expect(
      acmeClient(server, "k", { clock }).request(operation("widgets.retrieve"), { path: "/widgets/w_1" }),
    ).resolves.toBeDefined();
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });
});

describe("startMockProvider: faults and idempotency", () => {
  it("failRate 1 answers every request 503 in the provider's shape; the client gives up with a normalized error", async () => {
    const clock = fastClock(1000);
    const server = await mock(acme, { clock, failRate: 1 });
    const error = await acmeClient(server, "k", { clock })
      .request(operation("widgets.retrieve"), { path: "/widgets/w_1" })
      .catch((e: unknown) => e);
    expect(isProviderUnavailableError(error)).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.every((r) => r.fault === "failure" && r.status === 503)).toBe(true);
  });

  it("a reset after the write took effect: the retry with the same key gets the stored answer, the write is applied once", async () => {
    const clock = fastClock(1000);
    // With seed 7 the first roll is below 0.5: the first answer is lost after the write took effect.
    const server = await mock(acme, { clock, resetRate: 0.5, seed: 7 });
    const widget = await acmeClient(server, "k", { clock }).request(operation("widgets.create"), {
      path: "/widgets",
      body: { name: "gear" },
    });
    expect(widget).toMatchObject({ name: "gear" });
    const log = server.requests;
    expect(log.length).toBeGreaterThan(1);
    expect(log[0]).toMatchObject({ fault: "reset", replayed: false, applied: true });
    expect(log.slice(1).every((r) => r.replayed && !r.applied)).toBe(true);
    expect(log.at(-1)!.fault).toBeUndefined();
    expect(new Set(log.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it("the same key with another body is the provider's idempotency error", async () => {
    const server = await mock(acme);
    const client = acmeClient(server);
    await client.request(operation("widgets.create"), { path: "/widgets", body: { name: "a" } }, { idempotencyKey: "k1" });
    const error = await client
      .request(operation("widgets.create"), { path: "/widgets", body: { name: "b" } }, { idempotencyKey: "k1" })
      .catch((e: unknown) => e);
    expect(isIdempotencyConflictError(error)).toBe(true);
    expect(error).toMatchObject({ type: "idempotency_error", status: 400 });
    expect(server.requests.filter((r) => r.applied)).toHaveLength(1);
  });

  it("an outage window answers 503 for every API request inside it", async () => {
    let now = 0;
    const server = await mock(acme, { clock: { now: () => now }, outages: [{ from: 1000, to: 2000 }] });
    const get = () => fetch(`${server.url}/widgets/w`, { headers: { authorization: "Bearer k" } }).then((r) => r.status);
    expect(await get()).toBe(200);
    now = 1500;
    expect(await get()).toBe(503);
    now = 2000;
    expect(await get()).toBe(200);
    server.startOutage();
    expect(await get()).toBe(503);
    server.endOutage();
    expect(await get()).toBe(200);
  });

  it("rejects a fault rate outside 0..1", async () => {
    await expect(startMockProvider(acme, { failRate: 2 })).rejects.toThrow(/failRate must be between 0 and 1/);
  });
});

describe("startMockProvider: OAuth server", () => {
  const clientId = "client_1";
  const clientSecret = "secret_1";

  async function authorize(server: MockProvider) {
    const mode = server.definition.auth.modes.oauth;
    if (mode?.type !== "oauth2") throw new Error("no oauth mode");
    const store = new MemoryTokenStore();
    const flow = new OAuth2Authorization(mode, { clientId, clientSecret, redirectUri: "http://app.test/callback", store });
    const started = await flow.start();
    const redirect = await fetch(started.url, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const tokens = await flow.finish(redirect.headers.get("location")!);
    return { mode, store, flow, tokens };
  }

  it("runs code + PKCE, and the issued token works on the API", async () => {
    const server = await mock(acme, { oauthClients: [{ clientId, clientSecret }] });
    const { tokens } = await authorize(server);
    expect(tokens.accessToken).toMatch(/^mock_at_/);
    expect(tokens.refreshToken).toMatch(/^mock_rt_/);
    await expect(
      acmeClient(server, tokens.accessToken).request(operation("widgets.retrieve"), { path: "/widgets/w" }),
    ).resolves.toBeDefined();
  });

  it("refuses a code exchange whose verifier does not match the challenge", async () => {
    const server = await mock(acme);
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    const location = (
      await fetch(
        `${server.definition.auth.modes.oauth!.type === "oauth2" ? (server.definition.auth.modes.oauth as { authorizationUrl: string }).authorizationUrl : ""}?response_type=code&client_id=c&redirect_uri=http://app.test/cb&state=s&code_challenge=${challenge}&code_challenge_method=S256`,
        { redirect: "manual" },
      )
    ).headers.get("location")!;
    const code = new URL(location).searchParams.get("code")!;
    const answer = await fetch(`${server.url.replace(/\/v2$/, "")}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa("c:s")}` },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: "http://app.test/cb", code_verifier: "wrong" }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refresh rotates: the new pair works, the old access and refresh tokens stop working", async () => {
    const server = await mock(acme, { oauthClients: [{ clientId, clientSecret }] });
    const { mode, store, tokens } = await authorize(server);
    server.expireToken(tokens.accessToken);
    const manager = new OAuth2TokenManager(mode, { clientId, clientSecret, store });
    const client = acmeClient(server, "unused", { auth: { token: manager } });
    await expect(client.request(operation("widgets.retrieve"), { path: "/widgets/w" })).resolves.toBeDefined();
    const rotated = (await store.get(manager.key))!;
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    const reuse = await fetch(mode.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refreshToken! }),
    });
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
    expect(server.requests.map((r) => r.operation)).toEqual([
      "oauth.authorize",
      "oauth.token",
      "widgets.retrieve",
      "oauth.token",
      "widgets.retrieve",
      "oauth.token",
    ]);
  });

  it("client credentials: a token for the client, refused with a wrong secret", async () => {
    const server = await mock(acme, { oauthClients: [{ clientId, clientSecret }] });
    const mode = server.definition.auth.modes.oauth;
    if (mode?.type !== "oauth2") throw new Error("no oauth mode");
    const good = new OAuth2TokenManager(mode, { clientId, clientSecret, grant: "clientCredentials" });
    await expect(good.getToken()).resolves.toMatch(/^mock_at_/);
    const bad = new OAuth2TokenManager(mode, { clientId, clientSecret: "nope", grant: "clientCredentials" });
    await expect(bad.getToken()).rejects.toMatchObject({ code: "oauth_error", error: "invalid_client", status: 401 });
  });
});

describe("startMockProvider: webhooks", () => {
  async function receiver() {
    const received: { headers: Record<string, string | string[] | undefined>; body: string; url: string }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), url: request.url ?? "/" });
        response.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("trigger sends a delivery made from the event's schema that the runtime verifier accepts", async () => {
    const hook = await receiver();
    try {
      const server = await mock(acme, { webhookUrl: hook.url });
      const result = await server.trigger("widget.created");
      expect(result.status).toBe(200);
      const delivery = hook.received[0]!;
      const event = await verifyWebhookDelivery("acme", acme.definition.webhooks!, delivery, { secret: server.webhookSecret });
      expect(event.type).toBe("widget.created");
      expect(event.payload).toMatchObject({ type: "widget.created", data: { object: "widget" } });
      await expect(verifyWebhookDelivery("acme", acme.definition.webhooks!, delivery, { secret: "whsec_other" })).rejects.toMatchObject({
        code: "signature_mismatch",
      });
    } finally {
      await hook.close();
    }
  });

  it("signs Stripe deliveries that the generated Stripe verifier accepts", async () => {
    const hook = await receiver();
    try {
      const server = await mock("specs/stripe.yaml", { webhookUrl: hook.url });
      await server.trigger("payment_intent.succeeded");
      const event = await verifyStripeWebhook(hook.received[0]!, { secret: server.webhookSecret });
      expect(event.type).toBe("payment_intent.succeeded");
      if (event.type === "payment_intent.succeeded") expect(event.payload.data.object.object).toBe("payment_intent");
    } finally {
      await hook.close();
    }
  });

  it("trigger sends a text payload (payload.encoding text) as the string it is, type and id in headers", async () => {
    const hook = await receiver();
    try {
      const text = loadMockSpec("test/fixtures/mock/acme-text.yaml");
      const server = await mock(text, { webhookUrl: hook.url });
      const xml = "<note><body>caf\u00e9</body></note>";
      const result = await server.trigger("note.added", { payload: xml, id: "d_1" });
      expect(result.status).toBe(200);
      expect(result.sent.body).toBe(xml);
      const delivery = hook.received[0]!;
      expect(delivery.headers["content-type"]).toBe("text/plain; charset=utf-8");
      const event = await verifyWebhookDelivery("acmetext", text.definition.webhooks!, delivery, { secret: server.webhookSecret });
      expect(event).toMatchObject({ type: "note.added", id: "d_1", payload: xml });
    } finally {
      await hook.close();
    }
  });

  it("trigger refuses an event the spec does not declare, with a stable code", async () => {
    const server = await mock(acme, { webhookUrl: "http://127.0.0.1:9/" });
    const error = await server.trigger("widget.exploded").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockUsageError);
    expect(error).toMatchObject({ code: "mock_unknown_event", message: expect.stringContaining("widget.created") });
  });

  it("signDelivery gives the headers the provider would send", async () => {
    const body = JSON.stringify({ id: "evt_1", type: "widget.created", data: {} });
    const signed = signDelivery(acme, { body, secret: "whsec_test", timestamp: Math.floor(Date.now() / 1000) });
    const event = await verifyWebhookDelivery(
      "acme",
      acme.definition.webhooks!,
      { headers: signed.headers, body },
      { secret: "whsec_test" },
    );
    expect(event.id).toBe("evt_1");
  });
});

describe("startMockProvider: a generated client", () => {
  it("drives the generated Stripe client: Request-Id comes back, errors are Stripe-shaped", async () => {
    const server = await mock("specs/stripe.yaml");
    const stripe = createStripeClient({ auth: { token: "sk_test_mock" }, baseUrl: server.url });
    const { requestId } = await stripe.customers.create({ body: { email: "a@example.com" } }).withResponse();
    expect(requestId).toMatch(/^req_mock_/);
    const unauthenticated = await fetch(`${server.url}/v1/customers`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ error: { message: "Invalid credentials." } });
  });
});

describe("docs/testing.md", () => {
  it("the first example: the customer is created once even when the answer is lost", async () => {
    const server = await mock("specs/stripe.yaml", { resetRate: 0.5, seed: 7 });
    const stripe = createStripeClient({ auth: { token: "sk_test_anything" }, baseUrl: server.url });
    const customer = await stripe.customers.create({ body: { email: "ada@example.com" } });
    expect(customer.email).toBe("ada@example.com");
    expect(server.requests.filter((r) => r.applied)).toHaveLength(1);
    expect(server.requests[0]!.fault).toBe("reset");
  });

  it("Stripe bodies are validated against the typed parameters: a PaymentIntent without currency is refused as stripe-node would see it", async () => {
    const server = await mock("specs/stripe.yaml");
    const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url });
    const error = await stripe.paymentIntents
      // @ts-expect-error currency is required by PaymentIntentCreateParams
      .create({ body: { amount: 2000 } })
      .catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, providerCode: "parameter_missing", type: "invalid_request_error", param: "currency" });
  });
});

describe("startMockProvider: fixtures", () => {
  it("answers start from the fixture whose key is the schema's object const; what the request set wins", async () => {
    const { resources } = JSON.parse(readFileSync("testing/fixtures/stripe-fixtures.json", "utf8")) as {
      resources: Record<string, unknown>;
    };
    const server = await mock("specs/stripe.yaml", { fixtures: resources });
    const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url });
    const customer = await stripe.customers.create({ body: { name: "Ada" } });
    // The fixture gives the shape and values; the id is the made-up object's own, in the fixture's form.
    expect(customer.id).toMatch(/^cus_/);
    expect(customer.id).not.toBe((resources.customer as { id: string }).id);
    expect(customer.name).toBe("Ada");
    const intent = await stripe.paymentIntents.create({ body: { amount: 1999, currency: "eur" } });
    expect(intent).toMatchObject({ object: "payment_intent", amount: 1999, currency: "eur" });
  });
});

describe("README quickstart", () => {
  it("runs against the mock: the customer is created through the failures", async () => {
    const server = await mock("specs/stripe.yaml", { failRate: 0.2, seed: 3 });
    const stripe = createStripeClient({ auth: { token: "sk_test_anything" }, baseUrl: server.url });
    const customer = await stripe.customers.create({ body: { email: "ada@example.com" } });
    expect(customer.email).toBe("ada@example.com");
    expect(typeof customer.id).toBe("string");
  });
});
