/**
 * A JSON body's media type: application/json unless the spec (body.contentType) or the OpenAPI document
 * (a request body whose only JSON media type is another, JSON:API's application/vnd.api+json) says
 * otherwise; the operation table carries it to the runtime, which sends it.
 */
import { describe, expect, it } from "vitest";
import type { LoadResult } from "../../../../generator/load.js";
import { loadAcme, loadImport, specText } from "../../../helpers/openapi-client.js";

function definitions(result: LoadResult): Record<string, unknown> {
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return Object.fromEntries(result.model!.groups.flatMap((g) => g.operations.map((op) => [op.id, op.definition])));
}

describe("a JSON body's media type", () => {
  it("comes from body.contentType of an inline operation, and is absent for application/json", () => {
    const result = loadAcme(
      specText({
        inline: {
          "profiles.create": { method: "POST", path: "/profiles", body: { encoding: "json", contentType: "application/vnd.api+json" } },
          "lists.create": { method: "POST", path: "/lists", body: { encoding: "json" } },
        },
      }),
    );
    const ops = definitions(result);
    expect(ops["profiles.create"]).toMatchObject({ contentType: "application/vnd.api+json" });
    expect(ops["lists.create"]).not.toHaveProperty("contentType");
  });

  it("comes from an imported request body whose JSON media type is not application/json", () => {
    const ops = definitions(loadImport("./json-api.yaml"));
    expect(ops["profiles/create"]).toMatchObject({ contentType: "application/vnd.api+json" });
    expect(ops["profiles/create"]).not.toHaveProperty("bodyEncoding");
    // Where the document offers application/json too, that is sent, as before.
    expect(ops["lists/create"]).not.toHaveProperty("contentType");
  });
});
