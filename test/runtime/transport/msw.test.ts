/**
 * MSW users: with SWITCHBOARD_TRANSPORT=fetch a client sends through the global fetch, which MSW's
 * setupServer intercepts (the default Node transport, undici's own dispatcher, is not intercepted).
 * Nothing here reaches the network: unhandled requests are errors and api.stripe.com is unreachable.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createStripeClient } from "../../../generated/stripe/index.js";

const seen: string[] = [];
const server = setupServer(
  http.get("https://api.stripe.com/v1/customers/:id", ({ request, params }) => {
    seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("authorization")}`);
    return HttpResponse.json({ id: params["id"], object: "customer" });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  vi.unstubAllEnvs();
  seen.length = 0;
});
afterAll(() => server.close());

describe("a generated client under MSW", () => {
  it("is intercepted when SWITCHBOARD_TRANSPORT=fetch", async () => {
    vi.stubEnv("SWITCHBOARD_TRANSPORT", "fetch");
    const stripe = createStripeClient({ auth: { token: "sk_test_msw" }, retry: false });
    expect(await stripe.customers.retrieve({ customer: "cus_msw" })).toEqual({ id: "cus_msw", object: "customer" });
    expect(seen).toEqual(["GET /v1/customers/cus_msw Bearer sk_test_msw"]);
  });

  it("is intercepted with the fetch option, even when MSW patched fetch after the client was made", async () => {
    server.close();
    const stripe = createStripeClient({
      auth: { token: "sk_test_msw" },
      retry: false,
      fetch: (input, init) => globalThis.fetch(input, init),
    });
    server.listen({ onUnhandledRequest: "error" });
    expect(await stripe.customers.retrieve({ customer: "cus_opt" })).toEqual({ id: "cus_opt", object: "customer" });
    expect(seen).toHaveLength(1);
  });
});
