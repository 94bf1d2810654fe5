/**
 * The operation functions beside the resource classes (`stripeCustomersRetrieve(stripe, params)`): named so
 * that they never collide with what the provider's other files export, typed like the methods they
 * back, and the form of the client that a bundler trims to the operations an application calls.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundleApp } from "../../../bench/lib/app-bundle.js";
import { surfaceValueNames } from "../../../generator/emit/resources.js";
import { compileUsage, emitted, loadAcme, specText } from "../../helpers/openapi-client.js";
import { repoRoot, typecheck } from "../../helpers/typecheck.js";

const generated = path.join(repoRoot, "generated");

describe("operation functions", () => {
  it("surfaceValueNames lists every camelCase value the generated providers' other files export", () => {
    const providers = readdirSync(generated);
    expect(providers.length).toBeGreaterThan(5);
    for (const provider of providers) {
      const folder = path.join(generated, provider);
      const pascal = /export class (\w+)Client\b/.exec(readFileSync(path.join(folder, "client.ts"), "utf8"))![1]!;
      const exported = readdirSync(folder)
        .filter((file) => file.endsWith(".ts") && file !== "index.ts")
        .flatMap((file) => [
          ...readFileSync(path.join(folder, file), "utf8").matchAll(/^export (?:async )?(?:function|const|let|class) (\w+)/gm),
        ])
        .map((match) => match[1]!)
        .filter((name) => /^[a-z]/.test(name));
      expect(exported.length, provider).toBeGreaterThan(3);
      expect(
        exported.filter((name) => !surfaceValueNames({ pascal, camel: pascal[0]!.toLowerCase() + pascal.slice(1) }).includes(name)),
        provider,
      ).toEqual([]);
    }
  });

  it("an operation whose function would be named like another export gets a numbered name, and the client compiles", () => {
    const spec = specText({
      inline: {
        "errors.definition": { method: "GET", path: "/errors/definition", summary: "Named like the errors definition." },
        "items.get": { method: "GET", path: "/items/{id}", params: { id: { in: "path" } } },
      },
    });
    const files = emitted(loadAcme(spec));
    expect(files.get("acme/resources/errors.ts")).toContain(
      "export function acmeErrorsDefinition_2(client: AcmeCore, options?: RequestOptions)",
    );
    expect(files.get("acme/resources/items.ts")).toContain("export function acmeItemsGet(client: AcmeCore, params: AcmeItemsGetParams");
    const usage = `
import { createAcmeCore, createAcmeClient, acmeItemsGet, acmeErrorsDefinition, acmeErrorsDefinition_2, type AcmeItemsGetResponse } from "./acme/index.js";
import type { ApiPromise } from "@switchboard/runtime/contract";
const core = createAcmeCore({ auth: {} });
expectType<ApiPromise<AcmeItemsGetResponse>, ReturnType<typeof acmeItemsGet>>(true);
export const viaFunction = acmeItemsGet(core, { id: 1 });
export const viaClass = createAcmeClient({ auth: {} }).items.get({ id: 1 });
export const fetched = acmeErrorsDefinition_2(core);
export const errors = acmeErrorsDefinition.when;
`;
    expect(compileUsage(files, { "usage.ts": usage })).toEqual([]);
  });

  it("a function takes its own provider's core only, and its params as the method does", () => {
    const usage = `
import { createStripeCore, stripeCustomersRetrieve, stripeCustomersList, type StripeCore } from "../../generated/stripe/index.js";
import { createGithubCore } from "../../generated/github/index.js";
import { ClientCore, type ApiPromise, type Paginated } from "@switchboard/runtime/contract";
import type { StripeCustomersRetrieveResponse, StripeCustomersListResponse } from "../../generated/stripe/index.js";
import type { StripeTypes } from "../../generated/stripe/index.js";

const stripe: StripeCore = createStripeCore({ auth: { token: "sk_test_x" } });
export const retrieved: ApiPromise<StripeCustomersRetrieveResponse> = stripeCustomersRetrieve(stripe, { customer: "cus_1", expand: ["x"] });
export const listed: Paginated<StripeTypes.Customer, StripeCustomersListResponse> = stripeCustomersList(stripe, { limit: 3 });
export const closed: Promise<void> = stripe.close();

// @ts-expect-error a GitHub core is not a Stripe core
export const wrongProvider = stripeCustomersRetrieve(createGithubCore({ auth: { token: "t" } }), { customer: "cus_1" });
// @ts-expect-error a core of no declared provider is not a Stripe core
export const untyped = stripeCustomersRetrieve(new ClientCore(stripe.stripeDefinition, { auth: { token: "t" } }), { customer: "cus_1" });
// @ts-expect-error a required path parameter is missing
export const missingPath = stripeCustomersRetrieve(stripe, {});
// @ts-expect-error unknown parameter (excess property)
export const badParam = stripeCustomersRetrieve(stripe, { customer: "cus_1", expnd: ["x"] });
`;
    expect(typecheck({ "usage.ts": usage }).diagnostics).toEqual([]);
  });

  it("a bundle of an application that calls one function keeps that operation only; with the client class it keeps them all", async () => {
    const oneCall = (await bundleApp("bench/fixtures/size/stripe-one-call.ts")).code;
    const withClass = (await bundleApp("bench/fixtures/size/stripe-one-call-class.ts")).code;
    const ids = ["customers.retrieve", "customers.create", "customers.list", "paymentIntents.create", "webhookEndpoints.delete"];
    const present = (code: string) => ids.filter((id) => code.includes(`"${id}"`));
    expect(present(oneCall)).toEqual(["customers.retrieve"]);
    expect(present(withClass)).toEqual(ids);
  });
});
