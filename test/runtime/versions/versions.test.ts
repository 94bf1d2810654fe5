/**
 * API versions at run time, over a loopback server: where the version goes (header, path, query), the
 * per-call override and its check, the one-time deprecation warning, Deprecation/Sunset/provider
 * headers as events, and migrations of responses and webhook payloads.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createShopifyClient } from "../../../generated/shopify/index.js";
import { createStripeClient, stripeDefinition as stripe } from "../../../generated/stripe/index.js";
import {
  checkWebhookVersion,
  isConfigurationError,
  isUnsupportedVersionError,
  UnsupportedVersionError,
  type ClientEvent,
} from "../../../runtime/index.js";
import { ClientCore, type ProviderDefinition, type VersionsDefinition } from "../../../runtime/contract.js";
import { coreFor } from "../../helpers/client-core.js";
import { migratePayload } from "../../../runtime/versions/migrations.js";
import { readDeprecation } from "../../../runtime/versions/versions.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const server = useLoopbackServer();
beforeEach(() => {
  server.handle((_req, res) => json(res, 200, { ok: true }));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const DAY = 86_400_000;
const getThing = op("GET", "/v/{apiVersion}/things");

let providerSeq = 0;
/** A provider with a fresh name, so the once-per-process warning of one test does not hide another's. */
function versioned(versions: Partial<VersionsDefinition>): ProviderDefinition {
  return testDefinition({
    name: `acme${++providerSeq}`,
    versions: {
      pinned: "2025-01",
      send: { in: "header", name: "acme-version" },
      supported: { "2024-01": { deprecated: "2025-01-01", sunset: "2099-01-01" }, "2025-01": {} },
      deprecationHeaders: ["x-acme-deprecated-reason"],
      migrations: [],
      ...versions,
    },
  });
}

function core(definition: ProviderDefinition, events: ClientEvent[] = [], extra: { apiVersion?: string } = {}): ClientCore {
  return coreFor(definition, {
    auth: { token: "t" },
    baseUrl: server.url,
    retry: false,
    onEvent: (e) => events.push(e),
    ...extra,
  });
}

describe("version placement", () => {
  it("sends the pinned version in a header, and a per-call override instead for that call only", async () => {
    const client = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url });
    await client.customers.list({}, { apiVersion: "2024-09-30.acacia" });
    await client.customers.list();
    expect(server.requests.map((r) => r.headers["stripe-version"])).toEqual(["2024-09-30.acacia", "2026-10-28.endive"]);
  });

  it("puts the version in the path ({apiVersion}), per client and per call", async () => {
    const shop = createShopifyClient({
      auth: { apiKey: "shpat_x" },
      baseUrl: server.url,
      variables: { shop: "x.myshopify.com" },
    });
    const other = createShopifyClient({
      auth: { apiKey: "shpat_x" },
      baseUrl: server.url,
      variables: { shop: "x.myshopify.com" },
      apiVersion: "2025-01",
    });
    await shop.shop.get();
    await other.shop.get();
    await shop.shop.get({ apiVersion: "2025-04" });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/admin/api/2026-07/shop.json",
      "/admin/api/2025-01/shop.json",
      "/admin/api/2025-04/shop.json",
    ]);
  });

  it("puts the version in a query parameter", async () => {
    const definition = versioned({ send: { in: "query", name: "api-version" } });
    await core(definition).request(op("GET", "/things"), { path: "/things", query: { limit: 2 } });
    await core(definition).request(op("GET", "/things"), { path: "/things" }, { apiVersion: "2024-01" });
    expect(server.requests.map((r) => r.url)).toEqual(["/things?limit=2&api-version=2025-01", "/things?api-version=2024-01"]);
  });

  it("rejects an unsupported per-call version with UnsupportedVersionError and sends nothing", async () => {
    const client = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url });
    const error = await client.customers.list({}, { apiVersion: "2019-01-01" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedVersionError);
    expect(isUnsupportedVersionError(error) && [error.code, error.version]).toEqual(["unsupported_version", "2019-01-01"]);
    expect((error as Error).message).toMatch(
      /API version "2019-01-01" is not supported by this Stripe client \(supported: 2024-09-30\.acacia/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a per-call version when {apiVersion} is in the base URL, which is filled once per client", async () => {
    const definition = versioned({ send: { in: "path" } });
    const client = coreFor(definition, { auth: { token: "t" }, baseUrl: `${server.url}/v/{apiVersion}`, retry: false });
    await client.request(op("GET", "/things"), { path: "/things" });
    const error = await client.request(op("GET", "/things"), { path: "/things" }, { apiVersion: "2024-01" }).catch((e: unknown) => e);
    expect(isConfigurationError(error) && error.message).toBe("the base URL holds {apiVersion}: choose the version per client");
    expect(server.requests.map((r) => r.url)).toEqual(["/v/2025-01/things"]);
  });

  it("rejects an unsupported per-client version when the client is created", () => {
    expect(() => core(versioned({}), [], { apiVersion: "1999-01" })).toThrow(UnsupportedVersionError);
  });
});

describe("deprecated versions", () => {
  it("a deprecated pin warns once per process (process.emitWarning) and once per client (event)", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const definition = versioned({ pinned: "2024-01" });
    const first: ClientEvent[] = [];
    const second: ClientEvent[] = [];
    const a = core(definition, first);
    const b = core(definition, second);
    for (let i = 0; i < 3; i++) await a.request(getThing, { path: getThing.path });
    await b.request(getThing, { path: getThing.path });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe(
      `${definition.name} API version 2024-01 is deprecated since 2025-01-01, sunset 2099-01-01; move to a supported version`,
    );
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ type: "DeprecationWarning", code: "SWITCHBOARD_DEPRECATED_API_VERSION" });
    for (const events of [first, second]) {
      const deprecated = events.filter((e) => e.type === "versionDeprecated");
      expect(deprecated).toHaveLength(1);
      expect(deprecated[0]).toMatchObject({
        apiVersion: "2024-01",
        deprecated: "2025-01-01",
        sunset: "2099-01-01",
        operation: getThing.id,
      });
    }
    expect(server.requests.map((r) => r.url)).toContain("/v/2024-01/things");
  });

  it("a current version does not warn, and a per-call deprecated version does", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const events: ClientEvent[] = [];
    const client = core(versioned({}), events);
    await client.request(getThing, { path: getThing.path });
    expect(warn).not.toHaveBeenCalled();
    await client.request(getThing, { path: getThing.path }, { apiVersion: "2024-01" });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(events.filter((e) => e.type === "versionDeprecated")).toHaveLength(1);
  });
});

describe("deprecation and sunset headers", () => {
  const httpDate = (ms: number) => new Date(ms).toUTCString();

  it.each([
    ["a Sunset within 30 days", { sunset: httpDate(Date.now() + 10 * DAY) }, { sunsetSoon: true }],
    ["a Sunset in the past", { sunset: httpDate(Date.now() - DAY) }, { sunsetSoon: true }],
    ["an RFC 9745 Deprecation date", { deprecation: "@1688169599" }, { deprecatedAt: 1688169599000, sunsetSoon: false }],
    ["an HTTP-date Deprecation (GitHub)", { deprecation: "Sat, 01 Jul 2023 00:00:00 GMT" }, { deprecatedAt: Date.UTC(2023, 6, 1) }],
    ["a provider header", { "x-acme-deprecated-reason": "Use /v2/things" }, { notices: { "x-acme-deprecated-reason": "Use /v2/things" } }],
  ])("reports %s as a deprecation event with the operation and date", async (_name, headers, want) => {
    server.handle((_req, res) => json(res, 200, {}, headers));
    const events: ClientEvent[] = [];
    const client = core(versioned({}), events);
    await client.request(getThing, { path: getThing.path });
    await client.request(getThing, { path: getThing.path });
    const reported = events.filter((e) => e.type === "deprecation");
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ operation: getThing.id, apiVersion: "2025-01", ...want });
    if ("sunset" in headers) expect(reported[0]).toMatchObject({ sunsetAt: Date.parse(headers.sunset) });
  });

  it("does not report a Sunset more than 30 days away on its own", async () => {
    server.handle((_req, res) => json(res, 200, {}, { sunset: httpDate(Date.now() + 90 * DAY) }));
    const events: ClientEvent[] = [];
    await core(versioned({}), events).request(getThing, { path: getThing.path });
    expect(events.filter((e) => e.type === "deprecation")).toEqual([]);
  });

  it("reads Shopify's X-Shopify-API-Deprecated-Reason from an error answer too", () => {
    const headers = {
      get: (n: string) => (n.toLowerCase() === "x-shopify-api-deprecated-reason" ? "https://shopify.dev/changelog" : null),
    };
    expect(readDeprecation(headers, ["X-Shopify-API-Deprecated-Reason"], Date.now())).toMatchObject({
      notices: { "x-shopify-api-deprecated-reason": "https://shopify.dev/changelog" },
      sunsetSoon: false,
    });
  });
});

const fixture = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../fixtures/versions/stripe-invoice-paid-acacia.json"), "utf8"),
) as { source: string; apiVersion: string; payload: unknown; migrated: unknown };

describe("migrations", () => {
  const versions = stripe.versions!;

  it("migrates a Stripe acacia invoice event to the pinned endive shape without touching the input", () => {
    const before = structuredClone(fixture.payload);
    const result = migratePayload(versions, fixture.payload, fixture.apiVersion);
    expect(result.outcome).toBe("migrated");
    expect(result.steps).toEqual(["2024-09-30.acacia", "2026-10-28.endive"]);
    expect(result.payload).toEqual(fixture.migrated);
    expect(fixture.payload).toEqual(before);
  });

  it("leaves a payload of an unknown version untouched and says so", () => {
    const result = migratePayload(versions, fixture.payload, "2019-02-19");
    expect(result).toMatchObject({ outcome: "unknown", from: "2019-02-19", to: "2026-10-28.endive" });
    expect(result.payload).toBe(fixture.payload);
  });

  it.each([
    ["rename", { op: "rename", path: ["a"], to: ["b"] }, { a: 1, c: 2 }, { b: 1, c: 2 }],
    ["move into a new object", { op: "move", path: ["a"], to: ["x", "y"] }, { a: 1 }, { x: { y: 1 } }],
    ["remove an array item", { op: "remove", path: ["list", 0] }, { list: [1, 2] }, { list: [2] }],
    ["default when absent", { op: "default", path: ["n"], value: 0 }, { m: 1 }, { m: 1, n: 0 }],
    ["default keeps a present value", { op: "default", path: ["n"], value: 0 }, { n: 5 }, { n: 5 }],
    [
      "by type, at any depth",
      { op: "remove", type: "card", path: ["cvc"] },
      { a: { object: "card", cvc: 1 }, cvc: 2 },
      { a: { object: "card" }, cvc: 2 },
    ],
    ["missing path is a no-op", { op: "move", path: ["nope"], to: ["x"] }, { a: 1 }, { a: 1 }],
  ] as const)("%s", (_name, change, input, want) => {
    const table: VersionsDefinition = { ...versions, migrations: [{ from: "old", to: "new", changes: [change] }] };
    expect(migratePayload(table, input, "old", "new").payload).toEqual(want);
  });

  it("follows a chain of migrations", () => {
    const chain: VersionsDefinition = {
      ...versions,
      migrations: [
        { from: "b", to: "c", changes: [{ op: "rename", path: ["y"], to: ["z"] }] },
        { from: "a", to: "b", changes: [{ op: "rename", path: ["x"], to: ["y"] }] },
      ],
    };
    expect(migratePayload(chain, { x: 1 }, "a", "c")).toMatchObject({ payload: { z: 1 }, steps: ["a", "b", "c"] });
  });

  it("migrates a per-call version's response to the client's version and reports it", async () => {
    server.handle((_req, res) => json(res, 200, fixture.payload));
    const events: ClientEvent[] = [];
    const client = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url, onEvent: (e) => events.push(e) });
    const body = await client.customers.list({}, { apiVersion: "2024-09-30.acacia" });
    expect(body).toEqual(fixture.migrated);
    // A monthly version within the pinned release: an empty step, the same shape.
    expect(await client.customers.list({}, { apiVersion: "2026-09-30.endive" })).toEqual(fixture.payload);
    // A client pinned to acacia has no step back from endive: the answer stays as it came, and that is reported.
    const old = createStripeClient({
      auth: { token: "sk_test_x" },
      baseUrl: server.url,
      apiVersion: "2024-09-30.acacia",
      onEvent: (e) => events.push(e),
    });
    expect(await old.customers.list({}, { apiVersion: "2026-10-28.endive" })).toEqual(fixture.payload);
    expect(events.filter((e) => e.type === "migration").map((e) => e.type === "migration" && e.outcome)).toEqual([
      "migrated",
      "migrated",
      "unknown",
    ]);
  });

  it("checkWebhookVersion flags a payload version that differs from the pinned one", () => {
    expect(checkWebhookVersion(versions, "2026-10-28.endive")).toEqual({
      status: "match",
      pinned: "2026-10-28.endive",
      version: "2026-10-28.endive",
      migratable: false,
    });
    expect(checkWebhookVersion(versions, "2024-09-30.acacia")).toMatchObject({ status: "mismatch", migratable: true });
    expect(checkWebhookVersion(versions, "2026-09-30.endive")).toMatchObject({ status: "mismatch", migratable: true });
    expect(checkWebhookVersion(versions, "2026-10-28.endive", "2024-09-30.acacia")).toMatchObject({
      status: "mismatch",
      migratable: false,
    });
    expect(checkWebhookVersion(versions, "2017-08-15")).toMatchObject({ status: "unsupported", migratable: false });
    expect(checkWebhookVersion(versions, undefined)).toMatchObject({ status: "missing" });
    expect(checkWebhookVersion(versions, "2024-09-30.acacia", "2024-09-30.acacia").status).toBe("match");
  });
});
