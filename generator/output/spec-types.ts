/**
 * generator/validate/spec-types.ts, the TypeScript types of a spec document, generated from
 * schema/spec-v1.schema.json (the one source of truth) by the JSON Schema converter: `SpecDocument`
 * for the document, `Spec<Name>` for each of the schema's `$defs` a type refers to. Written by
 * `node scripts/spec-types.js`; test/generator/output/spec-types.test.ts fails when the committed file
 * is not what this makes.
 */
import { readFile } from "node:fs/promises";
import { printDeclarations, type Declaration } from "../emit/declarations.js";
import { declaration, jsDoc } from "../emit/docs.js";
import { localRefResolver, SchemaConverter, type SchemaDocument } from "../model/schema-to-ts/index.js";
import { format, resolveConfig } from "prettier";

export const SPEC_SCHEMA_PATH = new URL("../../schema/spec-v1.schema.json", import.meta.url);
/** Where the types are committed, relative to the repository root. */
export const SPEC_TYPES_FILE = "generator/validate/spec-types.ts";

/** The text of spec-types.ts for a schema (the committed schema when none is given), formatted. */
export async function specTypesText(schema?: unknown): Promise<string> {
  const root = schema ?? (JSON.parse(await readFile(SPEC_SCHEMA_PATH, "utf8")) as unknown);
  const document: SchemaDocument = { id: "schema/spec-v1.schema.json", root };
  const converter = new SchemaConverter({
    resolveRef: (ref, from) => {
      const resolved = localRefResolver(ref, from);
      return resolved && { ...resolved, name: `spec ${resolved.name}` };
    },
  });
  const type = converter.typeOf(root, { document, path: [] });
  const result = converter.finish({ reserved: ["SpecDocument"] });
  if (result.warnings.length > 0)
    throw new Error(
      `the spec schema has types TypeScript cannot say: ${result.warnings.map((w) => `/${w.location.path.join("/")}: ${w.message}`).join("; ")}`,
    );
  const statements: Declaration[] = [
    {
      kind: "typeAlias",
      isExported: true,
      name: "SpecDocument",
      type: result.text(type),
      docs: jsDoc(["A spec document as written in YAML, once it passed the JSON Schema; the model stage turns it into the IR."]),
    },
    ...result.declarations.map((d) => declaration({ ...d, source: d.id })),
  ];
  const header = [
    "// Generated from schema/spec-v1.schema.json by `node scripts/spec-types.js`. Do not edit: edit the schema and run it.",
    "",
  ].join("\n");
  // Formatted as the repository formats its own sources (its prettier config), since it is one of them.
  const target = new URL(`../../${SPEC_TYPES_FILE}`, import.meta.url);
  return format(header + printDeclarations(statements), { ...(await resolveConfig(target)), filepath: target.pathname });
}
