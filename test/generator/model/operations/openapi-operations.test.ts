/**
 * OpenAPI operations to client methods, proven by compiling: test/fixtures/openapi/operations.json
 * (path/query/header parameters, path-item parameters, a `$ref`ed and a cookie parameter; json, form
 * and multipart bodies; 200 + 201 + 202 + 204 answers; an operation without operationId; colliding
 * names) is imported under several import options (include/exclude, groupBy, overrides), its clients
 * generated in memory, and usage files type-checked against them. Filters and grouping are shown on the
 * model (which methods exist where); the key-order test regenerates from a copy of the document whose
 * object keys are all reversed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../../../generator/load.js";
import { loadSpec } from "../../../../generator/load.js";
import { compileUsage, emitted, loadImport, openapiFixtures, SPEC_FILE, specText } from "../../../helpers/openapi-client.js";

const FROM = "./operations.json";
const HEAD = `import { createAcmeClient, type AcmeTypes } from "./acme/index.js";\nconst client = createAcmeClient({ auth: {} });\nvoid client;\n`;
const ITEM_PARAMS = `storeId: "s/1", itemId: 2`;

/** Every client method as `group.method`, sorted (the model sorts groups and methods). */
function methods(result: LoadResult): string[] {
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!.groups.flatMap((g) => g.operations.map((op) => `${g.property}.${op.method}`));
}

describe("operations.json imported with default options", () => {
  let result: LoadResult;
  let client: Map<string, string>;
  beforeAll(() => {
    result = loadImport(FROM);
    client = emitted(result);
  });

  it("parameters, bodies, success statuses and renamed methods compile as typed; wrong calls do not", () => {
    const usages = {
      "params.ts": `${HEAD}
export const full = client.items.get({ ${ITEM_PARAMS}, limit: 10, xTenant: "t", expand: ["store", "owner"], xTraceId: "abc" });
export const minimal = client.items.get({ ${ITEM_PARAMS}, limit: 10, xTenant: "t" });
// A readonly array is accepted for a query array: the client only reads it.
const EXPAND = ["store"] as const;
export const readonlyExpand = client.items.get({ ${ITEM_PARAMS}, limit: 10, xTenant: "t", expand: EXPAND });
// @ts-expect-error storeId, declared on the path item, is required
export const noStore = client.items.get({ itemId: 2, limit: 10, xTenant: "t" });
// @ts-expect-error the required query parameter limit is missing
export const noLimit = client.items.get({ ${ITEM_PARAMS}, xTenant: "t" });
// @ts-expect-error the operation's X-Tenant is required (it replaces the path item's optional one)
export const noTenant = client.items.get({ ${ITEM_PARAMS}, limit: 10 });
// @ts-expect-error itemId is an integer
export const stringItem = client.items.get({ storeId: "s", itemId: "2", limit: 10, xTenant: "t" });
// @ts-expect-error not one of the query array's enum values
export const badExpand = client.items.get({ ${ITEM_PARAMS}, limit: 10, xTenant: "t", expand: ["price"] });
// @ts-expect-error the cookie parameter is left out of the client
export const cookie = client.items.get({ ${ITEM_PARAMS}, limit: 10, xTenant: "t", session: "x" });
// @ts-expect-error required parameters, so the params object is required
export const noParams = client.items.get();
// Another method of the same path keeps the path item's optional X-Tenant.
export const upsertNoTenant = client.items.upsert({ ${ITEM_PARAMS}, body: { name: "n" } });
// Only optional parameters: the params object is optional.
export const listed = client.items.list();
`,
      "bodies.ts": `${HEAD}
export const form = client.forms.submit({ body: { name: "a", count: 2 } });
// @ts-expect-error the form body's required name is missing
export const formNoName = client.forms.submit({ body: { count: 2 } });
// A format: binary field takes a file: a Blob or bytes, which the multipart encoder sends as a file part.
export const upload = client.uploads.create({ body: { file: new Blob(["bytes"]), note: "n" } });
export const uploadBytes = client.uploads.create({ body: { file: new Uint8Array([1, 2]) } });
// @ts-expect-error a binary field is a file, not text
export const uploadText = client.uploads.create({ body: { file: "bytes" } });
// The multipart body is not required.
export const emptyUpload = client.uploads.create();
// @ts-expect-error readOnly id is not part of the JSON request body
export const withId = client.items.upsert({ ${ITEM_PARAMS}, body: { id: 1, name: "n" } });
// @ts-expect-error the required JSON body is missing
export const noBody = client.items.upsert({ ${ITEM_PARAMS} });
`,
      "statuses.ts": `${HEAD}
type Created = { created: true; id: number };
export async function upsert(): Promise<string> {
  const call = () => client.items.upsert({ ${ITEM_PARAMS}, body: { name: "n" } });
  const body = await call();
  expectType<typeof body, AcmeTypes.Item | Created | string | undefined>(true);
  const response = await call().withResponse();
  expectType<typeof response.status, 200 | 201 | 202 | 204>(true);
  expectType<typeof response.requestId, string | undefined>(true);
  const etag: string | undefined = response.headers.get("etag") ?? undefined;
  void etag;
  // @ts-expect-error 404 is not a success status: it is thrown, never a typed answer
  if (response.status === 404) return "";
  switch (response.status) {
    case 200:
      expectType<typeof response.body, AcmeTypes.Item>(true);
      return response.body.name;
    case 201:
      expectType<typeof response.body, Created>(true);
      return String(response.body.id);
    case 202:
      expectType<typeof response.body, string>(true);
      return response.body;
    case 204:
      expectType<typeof response.body, undefined>(true);
      // @ts-expect-error a 204 has no body to read
      return response.body.name;
  }
}
export async function remove(): Promise<void> {
  const answer = await client.items.deleteItems({ ${ITEM_PARAMS} }).withResponse();
  expectType<typeof answer.status, 204>(true);
}
`,
      "collisions.ts": `${HEAD}
// Widgets/List, list and widgets/list all name widgets.list: numbered in operationId order
// (W < l < w), and widgets/list2 keeps list2 and its type names.
export async function lists(): Promise<void> {
  expectType<Awaited<ReturnType<typeof client.widgets.list>>, boolean[]>(true);
  expectType<Awaited<ReturnType<typeof client.widgets.list2>>, null[]>(true);
  expectType<Awaited<ReturnType<typeof client.widgets.list_2>>, string[]>(true);
  expectType<Awaited<ReturnType<typeof client.widgets.list_3>>, number[]>(true);
}
`,
    };
    expect(compileUsage(client, usages)).toEqual([]);
  });

  it("the runtime definitions carry each body's encoding and the query array style", () => {
    const items = client.get("acme/resources/items.ts")!;
    expect(items).toMatch(
      /const acmeItemsUpsertOperation: OperationDefinition = \{\s*id: "items\/upsert",\s*method: "PUT",\s*path: "\/stores\/\{storeId\}\/items\/\{itemId\}",\s*group: "items",?\s*\};/,
    );
    // json is the runtime's default encoding: the table leaves it out.
    expect(client.get("acme/resources/forms.ts")).toContain('bodyEncoding: "form"');
    expect(client.get("acme/resources/uploads.ts")).toContain('bodyEncoding: "multipart"');
  });

  it("an operation without operationId is named after its method and path, and its deprecation is JSDoc", () => {
    expect(methods(result)).toContain("items.deleteItems");
    expect(client.get("acme/resources/items.ts")).toMatch(
      /\n\s*\* `DELETE \/stores\/\{storeId\}\/items\/\{itemId\}`: \{@link acmeItemsDeleteItems\}\n\s*\* @deprecated\n\s*\*\/\n\s*deleteItems\(/,
    );
  });

  it("warns about the cookie parameter and each renamed method, naming the document's pointer", () => {
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} ${d.message}`)).toEqual([
      "warning SB4004 /operations/import/0/from ./operations.json#/paths/~1stores~1{storeId}~1items~1{itemId}/get/parameters/5: cookie parameters are not sent by the client; it is left out",
      "warning SB4004 /operations/import/0/from ./operations.json#/paths/~1v1~1widgets/get: another operation is also named widgets.list; this one (list) becomes widgets.list_2",
      "warning SB4004 /operations/import/0/from ./operations.json#/paths/~1v2~1widgets/get: another operation is also named widgets.list; this one (widgets/list) becomes widgets.list_3",
    ]);
  });
});

describe("operations.json include / exclude", () => {
  it.each([
    [{ include: { tags: ["admin"] } }, ["admin.getStats", "internal.debugDump"]],
    [{ include: { tags: ["admin"] }, exclude: { paths: ["/internal/**"] } }, ["admin.getStats"]],
    [{ include: { operationIds: ["items/get", "forms/submit"] } }, ["forms.submit", "items.get"]],
    [{ include: { paths: ["/stores/*/items/*"] } }, ["items.deleteItems", "items.get", "items.upsert"]],
    [{ include: { paths: ["/v*/widgets"] }, exclude: { operationIds: ["list", "Widgets/List"] } }, ["widgets.list", "widgets.list2"]],
    [{ exclude: { tags: ["items", "widgets", "admin"] } }, ["forms.submit", "uploads.create"]],
  ])("%j keeps %j", (options, expected) => {
    expect(methods(loadImport(FROM, options))).toEqual(expected);
  });
});

describe("operations.json groupBy", () => {
  const pick = (all: string[]) => all.filter((m) => /get$|getStats|debugDump|list/i.test(m));
  it.each([
    // Widgets/List makes the group "Widgets" (client.widgets), which sorts before the others.
    [
      "operationId",
      [
        "widgets.list",
        "widgets.list2",
        "widgets.list_2",
        "widgets.list_3",
        "admin.getStats",
        "internal.debugDump",
        "items.get",
        "items.list",
      ],
    ],
    [
      "tag",
      [
        "admin.getStats",
        "internal.debugDump",
        "items.get",
        "items.list",
        "widgets.list",
        "widgets.list2",
        "widgets.list_2",
        "widgets.list_3",
      ],
    ],
    [
      "path",
      [
        "admin.getStats",
        "internal.debugDump",
        "items.list",
        "stores.get",
        "widgets.list",
        "widgets.list2",
        "widgets.list_2",
        "widgets.list_3",
      ],
    ],
  ])("groupBy %s", (groupBy, expected) => {
    expect(pick(methods(loadImport(FROM, { groupBy })))).toEqual(expected);
  });

  it("groupBy tag groups by the first tag even when the operationId names another group", () => {
    const doc = "./group-by.yaml";
    expect(methods(loadImport(doc, { groupBy: "tag" }))).toEqual(["billing.charge", "billing.refund"]);
    expect(methods(loadImport(doc))).toEqual(["billing.refund", "payments.charge"]);
  });
});

describe("operations.json overrides", () => {
  const overrides = {
    "items/list": {
      name: "all",
      group: "catalog",
      pagination: { style: "cursor", items: "$.data", param: "cursor", cursor: { body: "$.next_cursor" } },
    },
    "DELETE /stores/{storeId}/items/{itemId}": { name: "remove", idempotent: false },
    "forms/submit": { idempotent: true },
    "no/such": { name: "x" },
  };
  let result: LoadResult;
  beforeAll(() => {
    result = loadImport(FROM, { overrides });
  });

  it("rename, regroup, paginate and mark idempotency; the paginated method iterates typed items", () => {
    const all = methods(result);
    expect(all).toEqual(expect.arrayContaining(["catalog.all", "items.remove", "forms.submit"]));
    expect(all).not.toContain("items.list");
    expect(all).not.toContain("items.deleteItems");
    const definitions = Object.fromEntries(result.model!.groups.flatMap((g) => g.operations.map((op) => [op.id, op.definition])));
    // The runtime retries DELETE whatever the spec says, so `idempotent: false` there is left out of the table.
    // ("DELETE /stores/{storeId}/items/{itemId}" has no operationId: the override's name makes it items.remove.)
    expect(definitions["items.remove"]!.idempotent).toBeUndefined();
    expect(definitions["forms/submit"]!.idempotent).toBe(true);
    expect(definitions["items/list"]!.pagination).toEqual({
      style: "cursor",
      items: ["data"],
      param: "cursor",
      cursor: { body: ["next_cursor"] },
    });
    const usage = `${HEAD}
export async function names(): Promise<string[]> {
  const names: string[] = [];
  for await (const item of client.catalog.all()) {
    expectType<typeof item, AcmeTypes.Item>(true);
    names.push(item.name);
  }
  const first = await client.catalog.all({ cursor: "c1" });
  expectType<typeof first.next_cursor, string | null | undefined>(true);
  return names;
}
export const removed = client.items.remove({ ${ITEM_PARAMS} });
// @ts-expect-error the old name is gone
export const old = client.items.list();
`;
    expect(compileUsage(emitted(result), { "usage.ts": usage })).toEqual([]);
  });

  it("an override naming no operation is a warning at its key", () => {
    const unused = result.diagnostics.filter((d) => d.message.includes("no/such"));
    expect(unused.map((d) => [d.severity, d.code, d.pointer, d.message])).toEqual([
      [
        "warning",
        "SB4004",
        "/operations/import/0/overrides/no~1such",
        './operations.json has no operation "no/such" (after include/exclude); the override does nothing',
      ],
    ]);
  });
});

describe("operations.json key order", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-openapi-order-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every object's keys in reverse order, arrays as they are (their order means something). */
  const reversed = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reversed)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([k, v]) => [k, reversed(v)]),
          )
        : value;

  it("a document with every object's keys reversed gives the same client, collisions numbered the same", () => {
    const original = JSON.parse(readFileSync(path.join(openapiFixtures, "operations.json"), "utf8")) as unknown;
    writeFileSync(path.join(dir, "operations.json"), JSON.stringify(reversed(original)));
    const text = specText({ import: [{ from: FROM }] });
    const fromCopy = loadSpec(SPEC_FILE, text, { path: path.join(dir, "acme.yaml") });
    const withoutHashes = (files: Map<string, string>) =>
      [...files].map(([name, content]) => [name, content.replace(/sha256 [0-9a-f]{64}/g, "sha256 <hash>")]);
    expect(withoutHashes(emitted(fromCopy))).toEqual(withoutHashes(emitted(loadImport(FROM))));
    expect(fromCopy.diagnostics.map((d) => d.message)).toEqual(loadImport(FROM).diagnostics.map((d) => d.message));
  });
});
