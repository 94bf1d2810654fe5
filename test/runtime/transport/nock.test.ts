/**
 * nock users: with SWITCHBOARD_TRANSPORT=fetch a client sends through the global fetch, which nock 14
 * intercepts (the default Node transport, undici's own dispatcher, is not). Net connect is disabled, so
 * a request nock did not intercept fails the test instead of reaching the network.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { isNotFoundError } from "../../../runtime/index.js";
import { createStripeClient } from "../../../generated/stripe/index.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  vi.unstubAllEnvs();
  nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe("a generated client under nock", () => {
  it("is intercepted when SWITCHBOARD_TRANSPORT=fetch, answers and errors alike", async () => {
    vi.stubEnv("SWITCHBOARD_TRANSPORT", "fetch");
    const scope = nock("https://api.stripe.com", { reqheaders: { authorization: "Bearer sk_test_nock" } })
      .get("/v1/customers/cus_nock")
      .reply(200, { id: "cus_nock", object: "customer" })
      .get("/v1/customers/cus_gone")
      .reply(404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such customer" } });
    const stripe = createStripeClient({ auth: { token: "sk_test_nock" }, retry: false });
    expect(await stripe.customers.retrieve({ customer: "cus_nock" })).toEqual({ id: "cus_nock", object: "customer" });
    const error = await stripe.customers.retrieve({ customer: "cus_gone" }).catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect(scope.isDone()).toBe(true);
  });
});
