/**
 * generator/validate/spec-types.ts is generated from schema/spec-v1.schema.json (scripts/spec-types.js):
 * regenerated in memory, it must equal the committed file, so a schema change without the script fails here.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SPEC_SCHEMA_PATH, SPEC_TYPES_FILE, specTypesText } from "../../../generator/output/spec-types.js";

const committed = () => readFile(new URL(`../../../${SPEC_TYPES_FILE}`, import.meta.url), "utf8");

describe("spec-types.ts", () => {
  it("is what scripts/spec-types.js makes from the committed schema (run it after editing the schema)", async () => {
    expect(await specTypesText()).toBe(await committed());
  });

  it("changes when the schema does: a property added to the provider section shows in the types", async () => {
    const schema = JSON.parse(await readFile(SPEC_SCHEMA_PATH, "utf8")) as { $defs: { provider: { properties: Record<string, unknown> } } };
    schema.$defs.provider.properties["logoUrl"] = { type: "string", description: "Drift probe." };
    const text = await specTypesText(schema);
    expect(text).not.toBe(await committed());
    expect(text).toMatch(/\/\*\* Drift probe\. \*\/\n\s+logoUrl\?: string;/);
  });

  it("types each auth mode by its own tag, not by its schema's name (a discriminator without a mapping)", async () => {
    const text = await committed();
    expect(text).toContain("} & (SpecAuthApiKey | SpecAuthBasic | SpecAuthBearer | SpecAuthOAuth2 | SpecAuthGithubApp);");
    expect(text).toMatch(/export type SpecAuthApiKey = \{[^]*?\n  type: "apiKey";/);
    expect(text).not.toContain('type: "authApiKey"');
  });
});
