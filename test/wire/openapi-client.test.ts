/**
 * A client generated from an OpenAPI document, run against a loopback server: the method built from
 * operations.json's `items/upsert` sends the path parameters encoded, the header parameter and the
 * JSON body; `items/get` sends its query; `await` gives the body and `.withResponse()` the status,
 * headers and request id. The generated files are written to a temporary folder and imported
 * (`@switchboard/runtime` resolves to runtime/index.ts through vitest's alias).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, useLoopbackServer } from "../helpers/loopback-server.js";
import { emitted, loadAcme, specText } from "../helpers/openapi-client.js";

interface Answer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: unknown;
  readonly requestId: string | undefined;
}
interface Call extends PromiseLike<unknown> {
  withResponse(): Promise<Answer>;
}
/** The part of the generated client this test calls (its types are proven by openapi-operations.test.ts). */
interface ItemsClient {
  readonly items: {
    get(params: Record<string, unknown>): Call;
    upsert(params: Record<string, unknown>): Call;
  };
}

const server = useLoopbackServer();
const dir = mkdtempSync(path.join(tmpdir(), "switchboard-openapi-runtime-"));
type Options = { auth: object; baseUrl: string; retry: false };
let createClient: (options: Options) => ItemsClient;
/** The same operations as functions of the client core (the form that bundles only what is called). */
let createCore: (options: Options) => { close(): Promise<void> };
let itemsGet: (core: unknown, params: Record<string, unknown>) => Call;
let itemsUpsert: (core: unknown, params: Record<string, unknown>) => Call;

beforeAll(async () => {
  const spec = specText(
    { import: [{ from: "./operations.json", include: { tags: ["items"] } }] },
    { errors: { requestIdHeader: "X-Request-Id" } },
  );
  for (const [file, text] of emitted(loadAcme(spec))) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const module = (await import(path.join(dir, "acme", "index.ts"))) as {
    createAcmeClient: typeof createClient;
    createAcmeCore: typeof createCore;
    acmeItemsGet: typeof itemsGet;
    acmeItemsUpsert: typeof itemsUpsert;
  };
  ({ createAcmeClient: createClient, createAcmeCore: createCore, acmeItemsGet: itemsGet, acmeItemsUpsert: itemsUpsert } = module);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a client generated from OpenAPI, against a loopback server", () => {
  it("upsert sends encoded path parameters, the header parameter and the JSON body; withResponse exposes status, headers, request id", async () => {
    server.handle((_request, response) => json(response, 201, { created: true, id: 7 }, { "x-request-id": "req_123", etag: '"v1"' }));
    const client = createClient({ auth: {}, baseUrl: server.url, retry: false });
    const answer = await client.items
      .upsert({ storeId: "s/1 ü", itemId: 7, xTenant: "t-1", body: { name: "Lamp", price: 9.5 } })
      .withResponse();
    expect([answer.status, answer.body, answer.requestId, answer.headers.get("etag")]).toEqual([
      201,
      { created: true, id: 7 },
      "req_123",
      '"v1"',
    ]);
    const [request] = server.requests;
    expect(request!.method).toBe("PUT");
    expect(request!.url).toBe("/stores/s%2F1%20%C3%BC/items/7");
    expect(request!.headers["x-tenant"]).toBe("t-1");
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual({ name: "Lamp", price: 9.5 });
  });

  it("get sends its query (arrays repeated) and awaiting the call gives the body", async () => {
    server.handle((_request, response) => json(response, 200, { id: 2, name: "Lamp" }, { "x-request-id": "req_456" }));
    const client = createClient({ auth: {}, baseUrl: server.url, retry: false });
    const body = await client.items.get({ storeId: "s1", itemId: 2, limit: 10, xTenant: "t", expand: ["store", "owner"] });
    expect(body).toEqual({ id: 2, name: "Lamp" });
    const url = new URL(server.requests[0]!.url, server.url);
    expect([url.pathname, url.searchParams.getAll("expand"), url.searchParams.get("limit")]).toEqual([
      "/stores/s1/items/2",
      ["store", "owner"],
      "10",
    ]);
    expect(server.requests[0]!.headers["x-tenant"]).toBe("t");
  });

  it("a failed call rejects with the normalized error, whether awaited, caught or read with withResponse", async () => {
    server.handle((_request, response) => json(response, 404, { message: "no such item" }, { "x-request-id": "req_404" }));
    const client = createClient({ auth: {}, baseUrl: server.url, retry: false });
    const params = { storeId: "s1", itemId: 9, limit: 1, xTenant: "t" };
    await expect(client.items.get(params)).rejects.toMatchObject({ kind: "not_found", status: 404, requestId: "req_404" });
    const caught = await Promise.resolve(client.items.get(params)).then(
      () => "resolved",
      (error: { kind?: string }) => error.kind,
    );
    expect(caught).toBe("not_found");
    await expect(client.items.get(params).withResponse()).rejects.toMatchObject({ kind: "not_found" });
  });

  it("the operation functions send what the methods send and answer alike", async () => {
    server.handle((_request, response) => json(response, 201, { created: true }, { "x-request-id": "req_fn" }));
    const params = { storeId: "s/1 ü", itemId: 7, xTenant: "t-1", body: { name: "Lamp", price: 9.5 } };
    const viaMethod = await createClient({ auth: {}, baseUrl: server.url, retry: false }).items.upsert(params).withResponse();
    const core = createCore({ auth: {}, baseUrl: server.url, retry: false });
    const viaFunction = await itemsUpsert(core, params).withResponse();
    expect([viaFunction.status, viaFunction.body, viaFunction.requestId]).toEqual([viaMethod.status, viaMethod.body, viaMethod.requestId]);
    const [first, second] = server.requests;
    expect([second!.method, second!.url, second!.headers["x-tenant"], second!.body]).toEqual([
      first!.method,
      first!.url,
      first!.headers["x-tenant"],
      first!.body,
    ]);
    expect(second!.url).toBe("/stores/s%2F1%20%C3%BC/items/7");
    server.handle((_request, response) => json(response, 404, { message: "no such item" }));
    await expect(itemsGet(core, { storeId: "s1", itemId: 9, xTenant: "t" })).rejects.toMatchObject({ kind: "not_found", status: 404 });
    await core.close();
  });
});
