/**
 * The client in parts (runtime/client/parts.ts): a definition names the parts it needs, the generated
 * `create<Provider>Core` passes exactly those, and a definition used without one it needs is refused,
 * never run with the feature skipped.
 */
import { describe, expect, it } from "vitest";
import * as github from "../../../generated/github/index.js";
import * as openai from "../../../generated/openai/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import { ClientCore } from "../../../runtime/client/client-core.js";
import { clientPartsFor } from "../../../runtime/client/parts.js";
import { isConfigurationError } from "../../../runtime/index.js";
import { familyAllowance, rateLimitHeaderSync } from "../../../runtime/policies/header-sync.js";
import { familySync } from "../../../runtime/policies/learned-buckets.js";
import { RateLimiter } from "../../../runtime/policies/rate-limit.js";
import { MemoryRateLimitStore } from "../../../runtime/policies/rate-limit-store.js";
import { bundleApp } from "../../../bench/lib/app-bundle.js";
import { op, testDefinition } from "../../helpers/test-provider.js";
import { ManualClock } from "../../helpers/manual-clock.js";

const headers = { limit: "x-limit", remaining: "x-remaining", reset: "x-reset", resetFormat: "epoch-seconds" } as const;

describe("clientPartsFor", () => {
  it("names header sync for a spec with header families, and nothing for one without", () => {
    expect(clientPartsFor(stripe.stripeDefinition)).toEqual(["versionMigrations"]);
    expect(clientPartsFor(github.githubDefinition)).toEqual(["rateLimitHeaderSync", "deprecatedVersionWarnings"]);
    expect(clientPartsFor(openai.openaiDefinition)).toEqual(["rateLimitHeaderSync"]);
    expect(
      clientPartsFor(testDefinition({ rateLimits: { limitedWhen: [], buckets: {}, families: [{ name: "tokens", ...headers }] } })),
    ).toEqual(["rateLimitHeaderSync"]);
  });

  it("names the URL variables, version migration and deprecation parts by what the versions and variables declare", () => {
    const versions = {
      pinned: "2",
      send: { in: "header", name: "v" },
      supported: { "1": {}, "2": {} },
      deprecationHeaders: [],
      migrations: [],
    } as const;
    expect(clientPartsFor(testDefinition({ versions }))).toEqual([]);
    expect(clientPartsFor(testDefinition({ variables: { shop: {} } }))).toEqual(["urlVariables"]);
    expect(clientPartsFor(testDefinition({ versions: { ...versions, supported: { "1": { sunset: "2030-01-01" }, "2": {} } } }))).toEqual([
      "deprecatedVersionWarnings",
    ]);
    const migration = { from: "1", to: "2", changes: [] };
    expect(clientPartsFor(testDefinition({ versions: { ...versions, migrations: [migration] } }))).toEqual(["versionMigrations"]);
    const requests = [{ operations: ["x"], op: "remove", in: "query", path: ["a"] }] as const;
    expect(clientPartsFor(testDefinition({ versions: { ...versions, migrations: [{ ...migration, requests }] } }))).toEqual([
      "versionMigrations",
      "versionRequestMigrations",
    ]);
  });
});

describe("ClientCore parts", () => {
  const withHeaders = testDefinition({ rateLimits: { limitedWhen: [], buckets: {}, headers } });

  it("refuses a definition with header families when the header-sync part was not passed, naming it", () => {
    let error: unknown;
    try {
      new ClientCore(withHeaders, { auth: { token: "t" } });
    } catch (e) {
      error = e;
    }
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe("a Acme client needs the rateLimitHeaderSync part (pass it to the ClientCore)");
  });

  it("takes the part when passed, and a definition without header families needs none", async () => {
    const core = new ClientCore(withHeaders, { auth: { token: "t" } }, [rateLimitHeaderSync]);
    await core.close();
    const plain = new ClientCore(testDefinition(), { auth: { token: "t" } });
    await plain.close();
  });

  it("refuses a definition with URL variables without the urlVariables part; without variables a given one is unknown", () => {
    const shop = testDefinition({ variables: { shop: {} }, environments: { live: { baseUrl: "https://{shop}.example" } } });
    expect(() => new ClientCore(shop, { auth: { token: "t" }, variables: { shop: "s" } })).toThrow(
      "a Acme client needs the urlVariables part (pass it to the ClientCore)",
    );
    let error: unknown;
    try {
      new ClientCore(testDefinition(), { auth: { token: "t" }, variables: { shop: "s" } });
    } catch (e) {
      error = e;
    }
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe('unknown variable "shop" for Acme (known: none)');
  });

  it("refuses to call a multipart or streamed operation, one that names its auth modes, or follow a provider's URL without the part it needs, naming it", async () => {
    const core = new ClientCore(testDefinition(), { auth: { token: "t" }, retry: false });
    const upload = op("POST", "/files", { bodyEncoding: "multipart" });
    const sent = core.request(upload, { path: "/files", body: { a: "b" } });
    await expect(sent).rejects.toThrow("a Acme client needs the multipartAndRawBodies part (pass it to the ClientCore)");
    await expect(sent).rejects.toSatisfy(isConfigurationError);
    const streamed = op("POST", "/generate", { stream: { format: "ndjson", eventType: ["type"], events: ["delta"] } });
    await expect(core.request(streamed, { path: "/generate" })).rejects.toThrow("a Acme client needs the streamedAnswers part");
    await expect(core.request(op("GET", "/app", { auth: ["key"] }), { path: "/app" })).rejects.toThrow(
      "a Acme client needs the operationAuthModes part",
    );
    const next = core.request(op("GET", "/items"), { path: "/items", url: "/items?page=2" });
    await expect(next).rejects.toThrow("a Acme client needs the providerUrls part (pass it to the ClientCore)");
    await core.close();
  });

  it("names the operation parts by what the operations declare", () => {
    const upload = op("POST", "/files", { bodyEncoding: "raw", contentType: "text/plain" });
    const pages = op("GET", "/items", { pagination: { style: "nextUrl", items: [], next: ["next"] } });
    expect(clientPartsFor(testDefinition(), [op("GET", "/items")])).toEqual([]);
    const streamed = op("POST", "/generate", { stream: { format: "sse", events: ["delta"] } });
    expect(clientPartsFor(testDefinition(), [upload, pages, streamed, op("GET", "/public", { auth: [] })])).toEqual([
      "multipartAndRawBodies",
      "streamedAnswers",
      "operationAuthModes",
      "providerUrls",
    ]);
    expect(clientPartsFor(github.githubDefinition, [pages])).toEqual(["rateLimitHeaderSync", "deprecatedVersionWarnings", "providerUrls"]);
  });

  it("a limiter given header families without the header-sync part's allowance and family sync is refused", () => {
    const options = {
      provider: "acme",
      buckets: {},
      store: new MemoryRateLimitStore(),
      clock: new ManualClock(),
      keyPrefix: "acme",
      families: [{ name: "requests", meaning: "window", resolutionMs: 1000, perResource: false }] as const,
    };
    expect(() => new RateLimiter(options)).toThrow("rate-limit header families need the header-sync part");
    expect(() => new RateLimiter({ ...options, allowance: familyAllowance })).toThrow(
      "rate-limit header families need the header-sync part",
    );
    expect(() => new RateLimiter({ ...options, allowance: familyAllowance, familySync }).close(new Error("closed"))).not.toThrow();
  });

  it("an app whose spec declares no header family bundles none of the header sync", async () => {
    const partFiles = [
      "runtime/policies/header-sync.ts",
      "runtime/policies/learned-buckets.ts",
      "runtime/policies/provider-allowance.ts",
      "runtime/policies/rate-limit-headers.ts",
    ];
    const bundled = async (entry: string) => (await bundleApp(entry)).inputs.map((input: { file: string }) => input.file);
    const stripeFiles = await bundled("bench/fixtures/size/stripe-one-call.ts");
    const githubFiles = await bundled("test/fixtures/size/github-one-call.ts");
    expect(stripeFiles).toContain("runtime/policies/rate-limit.ts");
    expect(stripeFiles.filter((file) => partFiles.includes(file))).toEqual([]);
    expect(githubFiles.filter((file) => partFiles.includes(file)).sort()).toEqual(partFiles);
  });

  it("an app whose spec changes no request between versions and deprecates none bundles neither", async () => {
    const stripeCode = (await bundleApp("bench/fixtures/size/stripe-one-call.ts")).code;
    const githubCode = (await bundleApp("test/fixtures/size/github-one-call.ts")).code;
    // deprecationMessage's text comes with the deprecatedVersionWarnings part (GitHub's spec sunsets a version).
    expect(stripeCode).not.toContain("move to a supported version");
    expect(githubCode).toContain("move to a supported version");
    // migrateRequest's table of request parts comes with the versionRequestMigrations part; payload migration stays.
    expect(stripeCode).not.toContain('header:"headers"');
    expect(stripeCode).toContain("structuredClone");
  });
});
