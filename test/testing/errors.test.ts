/** errorAnswer: error answers in the provider's shape, for a spec whose errors.fields list several paths (issue #15). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../generator/load.js";
import { normalizeError } from "../../runtime/contract.js";
import { errorAnswer } from "../../testing/index.js";
import { repoRoot } from "../helpers/typecheck.js";

const specFile = "test/fixtures/error-specs/zendesk.yaml";
const definition = loadSpec(specFile, readFileSync(path.join(repoRoot, specFile), "utf8")).model!.definition;

describe("errorAnswer", () => {
  it("writes each field at the first of its paths, and the answer reads back as the wanted kind", () => {
    const answer = errorAnswer(definition, "not_found", "Not found");
    expect(answer).toEqual({ status: 404, body: { error: "RecordNotFound", description: "Not found" } });
    const error = normalizeError("zendesk", definition.errors, { status: answer.status, headers: { get: () => null }, body: answer.body });
    expect([error.kind, error.providerCode, error.message]).toEqual([
      "not_found",
      "RecordNotFound",
      "zendesk answered 404 (RecordNotFound): Not found",
    ]);
  });
});
