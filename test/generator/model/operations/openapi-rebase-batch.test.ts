/**
 * An import's `rebase` (the document's path prefix replaced, so the pinned version can go in the path)
 * and the spec's `batch` on an import override or an inline operation, on the operations.json fixture.
 */
import { describe, expect, it } from "vitest";
import type { LoadResult } from "../../../../generator/load.js";
import { loadAcme, loadImport, specText } from "../../../helpers/openapi-client.js";

const FROM = "./operations.json";
const VERSIONS = { versions: { pinned: "v1", send: { in: "path" }, supported: { v1: {} } } };

const errors = (result: LoadResult) => result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
const paths = (result: LoadResult) =>
  result.model!.groups.flatMap((g) => g.operations.map((op) => `${op.httpMethod} ${op.definition.path}`)).sort();

describe("operations.import[].rebase", () => {
  it.each([
    ["no rebase: the document's paths", undefined, ["GET /v1/widgets", "GET /v2/widgets"]],
    ["to only: a prefix in front of every path", { to: "/{apiVersion}" }, ["GET /{apiVersion}/v1/widgets", "GET /{apiVersion}/v2/widgets"]],
    ["from and to: the prefix replaced", { from: "/v1", to: "/{apiVersion}" }, ["GET /{apiVersion}/widgets"]],
  ])("%s", (_name, rebase, want) => {
    const result = loadImport(FROM, { include: { paths: ["/v1/widgets", "/v2/widgets"] }, ...(rebase && { rebase }) });
    expect(errors(result)).toEqual([]);
    expect(paths(result)).toEqual(want);
  });

  it("a path that does not start with from is left out with a warning naming it", () => {
    const result = loadImport(FROM, { include: { paths: ["/v1/widgets", "/v2/widgets"] }, rebase: { from: "/v1", to: "" } });
    expect(paths(result)).toEqual(["GET /widgets"]);
    expect(result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toContainEqual(
      expect.stringContaining('does not start with rebase.from "/v1"'),
    );
  });

  it("versions sent in the path: satisfied by a rebase that puts {apiVersion} in front, refused without one", () => {
    const include = { paths: ["/v1/widgets"] };
    const withRebase = loadAcme(specText({ import: [{ from: FROM, include, rebase: { from: "/v1", to: "/{apiVersion}" } }] }, VERSIONS));
    expect(errors(withRebase)).toEqual([]);
    const without = loadAcme(specText({ import: [{ from: FROM, include }] }, VERSIONS));
    expect(errors(without)).toEqual([
      "versions are sent in the path, but {apiVersion} is not in every base URL (or every operation path and import rebase.to)",
    ]);
  });
});

describe("batch", () => {
  it("on an import override of an operation with a form body: the descriptor carries items and max", () => {
    const result = loadImport(FROM, {
      include: { operationIds: ["forms/submit"] },
      overrides: { "forms/submit": { batch: { items: "$.tags", max: 2 } } },
    });
    expect(errors(result)).toEqual([]);
    expect(result.model!.groups.flatMap((g) => g.operations.map((op) => op.definition.batch))).toEqual([{ items: "tags", max: 2 }]);
  });

  it.each([
    ["an inline operation without a body", { method: "POST", path: "/things", batch: { items: "$.items", max: 10 } }],
    [
      "an inline operation with a multipart body",
      { method: "POST", path: "/things", body: { encoding: "multipart" }, batch: { items: "$.items", max: 10 } },
    ],
  ])("is refused on %s", (_name, op) => {
    const result = loadAcme(specText({ inline: { "things.create": op } }));
    expect(errors(result)).toEqual(["operation things.create declares batch but no json or form body whose array it could split"]);
  });

  it("on an import override of an operation without a body: an error naming the operation", () => {
    const result = loadImport(FROM, { include: { paths: ["/items"] }, overrides: { "items/list": { batch: { items: "$.ids", max: 2 } } } });
    expect(errors(result)).toContainEqual(
      expect.stringContaining("operation items/list has an override with batch but no json or form request body"),
    );
  });

  it("is refused by the schema with a nested items path or a max below 1", () => {
    const result = loadAcme(
      specText({
        inline: { "things.create": { method: "POST", path: "/t", body: { encoding: "json" }, batch: { items: "$.a.b", max: 0 } } },
      }),
    );
    expect(errors(result).length).toBe(2);
  });
});

describe("readable ids", () => {
  const ids = (result: LoadResult) => result.model!.groups.flatMap((g) => g.operations.map((op) => op.definition.id)).sort();

  it("an operation without an operationId (METHOD /path) is group.name once an override names it; other ids stay", () => {
    const include = { paths: ["/stores/{storeId}/items/{itemId}"] };
    const named = loadImport(FROM, {
      include,
      overrides: { "DELETE /stores/{storeId}/items/{itemId}": { group: "items", name: "remove" } },
    });
    expect(errors(named)).toEqual([]);
    expect(ids(named)).toEqual(["items.remove", "items/get", "items/upsert"]);
    // Without an override naming it, the id is the method and path, as before.
    expect(ids(loadImport(FROM, { include }))).toEqual(["DELETE /stores/{storeId}/items/{itemId}", "items/get", "items/upsert"]);
    // An override that does not rename keeps a readable operationId.
    expect(ids(loadImport(FROM, { include, overrides: { "items/get": { name: "fetch" } } }))).toContain("items/get");
  });
});
