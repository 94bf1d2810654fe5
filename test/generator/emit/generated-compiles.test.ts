/**
 * The committed output in generated/ compiles under the repo's strict compiler options, and the
 * generated Stripe client's types accept correct calls and reject wrong ones.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tsFilesUnder, typecheck, typecheckFolder } from "../../helpers/typecheck.js";

const generated = path.join(repoRoot, "generated");

describe("generated/", () => {
  it("every file compiles under strict tsc with zero diagnostics", () => {
    expect(tsFilesUnder(generated).length).toBeGreaterThan(0);
    const result = typecheckFolder(generated);
    expect(result.diagnostics).toEqual([]);
  });

  it("the Stripe client accepts correct calls and rejects wrong ones", () => {
    // The usage file lives (in memory) at <repo>/.typecheck-virtual/<n>/usage.ts.
    const usage = `
import { createStripeClient, type StripeClient, type StripeWebhookEvent } from "../../generated/stripe/index.js";

export const client: StripeClient = createStripeClient({ auth: { token: "sk_test_x" } });
export const customer: Promise<unknown> = client.customers.retrieve({ customer: "cus_1" });
export const expanded = client.customers.retrieve({ customer: "cus_1", expand: ["default_source"] });
export const listed = client.customers.list();
export const created = client.paymentIntents.create({ body: { amount: 100, currency: "usd" } });
export const basic = createStripeClient({ auth: { mode: "basic", username: "sk_test_x" }, environment: "live" });
export const pinned = createStripeClient({ auth: { token: "sk_test_x" }, apiVersion: "2024-09-30.acacia" });
export function eventType(event: StripeWebhookEvent): string {
  return event.type;
}

// @ts-expect-error a required path parameter is missing
export const missingPath = client.customers.retrieve({});
// @ts-expect-error the params object of a call with a required path parameter is missing
export const missingParams = client.customers.retrieve();
// @ts-expect-error unknown environment name
export const badEnvironment = createStripeClient({ auth: { token: "sk_test_x" }, environment: "sandbox" });
// @ts-expect-error unknown auth mode
export const badMode = createStripeClient({ auth: { mode: "oauth", token: "sk_test_x" } });
// @ts-expect-error unsupported API version
export const badVersion = createStripeClient({ auth: { token: "sk_test_x" }, apiVersion: "2019-01-01" });
// @ts-expect-error unknown operation
export const badOperation = client.customers.destroy({ customer: "cus_1" });
// @ts-expect-error unknown parameter (excess property)
export const badParam = client.customers.retrieve({ customer: "cus_1", expnd: ["x"] });
// @ts-expect-error a required body is missing
export const missingBody = client.paymentIntents.create({});
`;
    const result = typecheck({ "usage.ts": usage });
    expect(result.diagnostics).toEqual([]);
  });

  it("a wrong call without @ts-expect-error is reported (the check is not vacuous)", () => {
    const usage = `
import { createStripeClient } from "../../generated/stripe/index.js";
export const client = createStripeClient({ auth: { token: "sk_test_x" }, environment: "sandbox" });
export const missingPath = client.customers.retrieve({});
`;
    const result = typecheck({ "usage.ts": usage });
    expect(result.diagnostics).toHaveLength(2);
    expect(result.diagnostics[0]).toMatch(/^usage\.ts\(3,\d+\): error TS2322: Type '"sandbox"' is not assignable to type '"live"'/);
    expect(result.diagnostics[1]).toMatch(/^usage\.ts\(4,\d+\): error TS2345: .*customer/s);
  });
});
