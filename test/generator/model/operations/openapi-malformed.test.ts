/**
 * Malformed OpenAPI input (test/fixtures/openapi/malformed/): every problem is a diagnostic at the
 * import's `from` (file, line and column of its value) whose message names the document and the JSON
 * pointer of the offending node, never an exception. A document that is not OpenAPI 3.0/3.1 is an
 * error (SB4003); what can be left out or typed `unknown` is a warning (SB4004), and `unknown` is
 * proven by compiling. A property test feeds random JSON as whole documents and as schemas.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../../../generator/load.js";
import { compileUsage, emitted, loadImport, SPEC_FILE, specText } from "../../../helpers/openapi-client.js";

/** Line and column (1-based) of the `from` value in the spec text loadImport writes. */
function fromPosition(from: string): { line: number; column: number } {
  const lines = specText({ import: [{ from }] }).split("\n");
  const line = lines.findIndex((l) => l.includes(`from: ${from}`));
  return { line: line + 1, column: lines[line]!.indexOf(from) + 1 };
}

const at = (file: string) => `./malformed/${file}`;

describe("malformed OpenAPI documents", () => {
  it.each([
    ["not-an-object.json", "error", ["SB4003 ./malformed/not-an-object.json#: is not an OpenAPI document (not an object)"]],
    ["swagger-2.json", "error", ["SB4003 ./malformed/swagger-2.json#: is not an OpenAPI 3.0 or 3.1 document (Swagger 2.0)"]],
    [
      "openapi-2-version.yaml",
      "error",
      ["SB4003 ./malformed/openapi-2-version.yaml#: is not an OpenAPI 3.0 or 3.1 document (openapi 4.0.0)"],
    ],
    ["paths-not-object.yaml", "error", ["SB4003 ./malformed/paths-not-object.yaml#/paths: is not an object"]],
    ["broken.json", "error", [expect.stringMatching(/^SB4003 "\.\/malformed\/broken\.json" is not valid JSON: /)]],
    [
      "operation-not-object.yaml",
      "warning",
      [
        "SB4004 ./malformed/operation-not-object.yaml#/paths/relative: a path must start with '/'; it is left out",
        "SB4004 ./malformed/operation-not-object.yaml#/paths/~1bad/get: is not an operation object; it is left out",
        "SB4004 ./malformed/operation-not-object.yaml#/paths/~1number: is not an object; it is left out",
      ],
    ],
    [
      "dangling-refs.yaml",
      "warning",
      [
        'SB4004 ./malformed/dangling-refs.yaml#/paths/~1things~1{id}/get/parameters/1/$ref: cannot resolve $ref "#/components/parameters/Missing"; what it names is left out',
        'SB4004 ./malformed/dangling-refs.yaml#/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref: cannot resolve $ref "#/components/schemas/Missing"; the type is unknown',
        'SB4004 ./malformed/dangling-refs.yaml#/paths/~1things~1{id}/put/requestBody/$ref: cannot resolve $ref "#/components/requestBodies/Missing"; what it names is left out',
        "SB4004 ./malformed/dangling-refs.yaml#/paths/~1things~1{id}/put/requestBody: its request body cannot be read; operation things/replace is left out",
      ],
    ],
    [
      "unsupported.yaml",
      "warning",
      [
        "SB4004 ./malformed/unsupported.yaml#/paths/~1rules/post/requestBody/content/application~1json/schema/if: if, then cannot be expressed as a TypeScript type; the type is unknown",
        "SB4004 ./malformed/unsupported.yaml#/paths/~1rules/post/responses/200/content/application~1json/schema/not: not cannot be expressed as a TypeScript type; the type is unknown",
        "SB4004 ./malformed/unsupported.yaml#/paths/~1rules/post/responses/201/content/application~1json/schema/patternProperties: patternProperties cannot be expressed as a TypeScript type; the type is unknown",
      ],
    ],
  ] as const)("%s: %s diagnostics at the import's from, naming the document and pointer", (file, severity, messages) => {
    const result = loadImport(at(file));
    const position = fromPosition(at(file));
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(messages);
    for (const d of result.diagnostics) {
      expect([d.file, d.line, d.column, d.pointer, d.severity]).toEqual([
        SPEC_FILE,
        position.line,
        position.column,
        "/operations/import/0/from",
        severity,
      ]);
    }
    expect(result.model === undefined).toBe(severity === "error");
  });

  it("what survives a dangling $ref or an unsupported keyword is typed unknown, not something narrower", () => {
    const clients = new Map([
      ...emitted(loadImport(at("dangling-refs.yaml")), "dangling"),
      ...emitted(loadImport(at("unsupported.yaml")), "unsupported"),
    ]);
    const usages = {
      "dangling.ts": `import { createAcmeClient, type AcmeThingsGetParams } from "./dangling/index.js";
const client = createAcmeClient({ auth: {} });
export async function get(): Promise<void> {
  const thing = await client.things.get({ id: "a" });
  expectType<typeof thing, unknown>(true);
}
// The dangling parameter is left out; the declared one remains.
expectType<keyof AcmeThingsGetParams, "id">(true);
// @ts-expect-error the operation whose body $ref dangles is left out
void client.things.replace;
`,
      "unsupported.ts": `import { createAcmeClient, type AcmeRulesCheckParams, type AcmeRulesCheckResponse } from "./unsupported/index.js";
const client = createAcmeClient({ auth: {} });
expectType<AcmeRulesCheckParams["body"], unknown>(true);
expectType<AcmeRulesCheckResponse["body"], unknown>(true);
export async function check(): Promise<void> {
  const answer = await client.rules.check({ body: "anything goes" }).withResponse();
  if (answer.status === 201) expectType<typeof answer.body, unknown>(true);
}
`,
    };
    expect(compileUsage(clients, usages)).toEqual([]);
  });
});

describe("random JSON", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-openapi-random-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const specPath = path.join(dir, "acme.yaml");
  const text = specText({ import: [{ from: "./doc.json" }] });

  /** Loads (and, when there is a model, emits) a spec importing `doc`; returns what it said. */
  function load(doc: unknown): { errors: number; emittedFiles: number } {
    writeFileSync(path.join(dir, "doc.json"), JSON.stringify(doc));
    const result = loadSpec(SPEC_FILE, text, { path: specPath });
    for (const d of result.diagnostics) {
      expect([d.line, d.column]).not.toEqual([0, 0]);
      expect(typeof d.message).toBe("string");
    }
    return {
      errors: result.diagnostics.filter((d) => d.severity === "error").length,
      emittedFiles: result.model === undefined ? 0 : emitted(result).size,
    };
  }

  it("as the whole document never makes loadSpec throw; anything but an OpenAPI 3.x object is an error", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const { errors } = load(doc);
        const isOpenApi =
          typeof doc === "object" &&
          doc !== null &&
          !Array.isArray(doc) &&
          /^3\.[01]\./.test(String((doc as { openapi?: unknown }).openapi));
        if (!isOpenApi) expect(errors).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  /** JSON values biased towards schema keywords, so the converter sees schema-like nonsense. */
  const schema = fc.letrec<{ schema: unknown }>((tie) => ({
    schema: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(
        fc.constantFrom(
          "type",
          "properties",
          "required",
          "items",
          "prefixItems",
          "oneOf",
          "anyOf",
          "allOf",
          "$ref",
          "enum",
          "const",
          "nullable",
          "additionalProperties",
          "discriminator",
          "readOnly",
          "writeOnly",
          "not",
          "description",
          "example",
          "examples",
        ),
        fc.oneof(
          tie("schema"),
          fc.array(tie("schema"), { maxLength: 3 }),
          fc.constantFrom(
            "object",
            "string",
            "integer",
            ["string", "null"],
            "#/components/schemas/A",
            "#/components/schemas/B",
            "#/nowhere",
            true,
            false,
            null,
          ),
          fc.dictionary(fc.constantFrom("a", "b", "propertyName", "mapping", "__proto__", "constructor"), tie("schema"), { maxKeys: 3 }),
        ),
        { maxKeys: 5 },
      ),
    ),
  }));

  it("as schemas, parameters and path items never make loadSpec or emit throw", () => {
    fc.assert(
      fc.property(schema.schema, schema.schema, schema.schema, fc.jsonValue({ maxDepth: 2 }), (a, b, body, parameter) => {
        const doc = {
          openapi: "3.1.0",
          info: { title: "Random", version: "1" },
          paths: {
            "/x/{id}": {
              parameters: [parameter],
              post: {
                operationId: "x/post",
                parameters: [{ name: "id", in: "path", required: true, schema: a }, parameter],
                requestBody: { content: { "application/json": { schema: body } } },
                responses: {
                  "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/A" } } } },
                },
              },
            },
          },
          components: { schemas: { A: a, B: b } },
        };
        const { errors } = load(doc);
        expect(errors).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
