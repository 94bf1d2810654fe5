/**
 * OpenAPI schemas to TypeScript, proven by compiling: the schema corpus (test/fixtures/openapi/
 * schemas.3.0.yaml and schemas.3.1.yaml, the same constructs written the 3.0 and the 3.1 way) is
 * imported, its client generated in memory, and one usage file per construct is type-checked against
 * it in one program per flavour. Correct uses compile; wrong ones carry `// @ts-expect-error`, which is
 * itself an error when the line compiles. `expectType<A, B>(true)` demands exact type equality, so an
 * `any` or a too-wide type fails too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../../../generator/load.js";
import { compileUsage, emitted, loadImport } from "../../../helpers/openapi-client.js";

const IMPORT = `import { createAcmeClient, type AcmeTypes } from "./acme/index.js";\nconst client = createAcmeClient({ auth: {} });\nvoid client;\n`;

/** One usage file per construct; each is the same for both flavours. */
const usages: Record<string, string> = {
  "objects.ts": `${IMPORT}
expectType<AcmeTypes.Base, { createdAt?: string; id: number }>(true);
export const base: AcmeTypes.Base = { id: 1 };
// @ts-expect-error id is required
export const noId: AcmeTypes.Base = { createdAt: "2024-01-01" };
// @ts-expect-error createdAt is a string (format: date-time changes nothing)
export const wrongDate: AcmeTypes.Base = { id: 1, createdAt: 20240101 };
`,
  "nullable.ts": `${IMPORT}
expectType<AcmeTypes.Catalog["maybeCount"], number | null | undefined>(true);
expectType<AcmeTypes.Pet["nickname"], string | null | undefined>(true);
export const cleared: AcmeTypes.PetInput = { name: "Rex", status: "sold", nickname: null };
// @ts-expect-error a nullable string is not a number
export const wrong: AcmeTypes.PetInput = { name: "Rex", status: "sold", nickname: 3 };
`,
  "enums.ts": `${IMPORT}
expectType<AcmeTypes.Pet["status"], "available" | "pending" | "sold">(true);
expectType<AcmeTypes.Priority, 1 | 2 | 3>(true);
expectType<AcmeTypes.Mode, "fast" | "slow" | null>(true);
expectType<AcmeTypes.Fixed, "fixed">(true);
export const status: AcmeTypes.Pet["status"] = "pending";
// @ts-expect-error not one of the enum's values
export const adopted: AcmeTypes.Pet["status"] = "adopted";
// @ts-expect-error integer enum: 4 is not listed
export const priority: AcmeTypes.Priority = 4;
// @ts-expect-error a constant admits one value
export const other: AcmeTypes.Fixed = "loose";
`,
  "unions.ts": `${IMPORT}
expectType<AcmeTypes.AnyId, string | number>(true);
expectType<AcmeTypes.NamedThing, AcmeTypes.Base & { name: string }>(true);
export const named: AcmeTypes.NamedThing = { id: 1, name: "x" };
// @ts-expect-error allOf: the second member's required name is missing
export const unnamed: AcmeTypes.NamedThing = { id: 1 };
// @ts-expect-error allOf: the first member's required id is missing
export const noBase: AcmeTypes.NamedThing = { name: "x" };
// @ts-expect-error anyOf of string and integer: not a boolean
export const flag: AcmeTypes.AnyId = true;
`,
  "discriminator.ts": `${IMPORT}
// With a mapping: the tag values are the mapping's keys ("round" for Circle, not "Circle").
export function area(shape: AcmeTypes.Shape): number {
  if (shape.kind === "round") {
    // @ts-expect-error a Circle has no side
    void shape.side;
    return Math.PI * shape.radius ** 2;
  }
  expectType<typeof shape.kind, "square">(true);
  return shape.side ** 2;
}
export const round: AcmeTypes.Shape = { kind: "round", radius: 1 };
// @ts-expect-error the mapping names Circle "round"; the schema name is not a tag
export const byName: AcmeTypes.Shape = { kind: "Circle", radius: 1 };
// @ts-expect-error a square's tag with a circle's fields
export const mixed: AcmeTypes.Shape = { kind: "square", radius: 1 };
// Without a mapping: the tags are the schema names.
export function sound(animal: AcmeTypes.Animal): string {
  if (animal.petType === "Cat") return animal.meows ? "meow" : "";
  // @ts-expect-error narrowed to Dog, which does not meow
  void animal.meows;
  return animal.barks ? "woof" : "";
}
// @ts-expect-error not a member's tag
export const fish: AcmeTypes.Animal = { petType: "Fish", barks: false };
`,
  "additional-properties.ts": `${IMPORT}
expectType<AcmeTypes.Labels, { [key: string]: string }>(true);
expectType<AcmeTypes.Metadata, { [key: string]: unknown }>(true);
expectType<AcmeTypes.Closed, { only?: string }>(true);
export const labels: AcmeTypes.Labels = { env: "prod", team: "core" };
// @ts-expect-error additionalProperties: { type: string } takes strings only
export const numeric: AcmeTypes.Labels = { env: 1 };
export const metadata: AcmeTypes.Metadata = { anything: [1, { deep: true }] };
export const closed: AcmeTypes.Closed = { only: "x" };
// @ts-expect-error additionalProperties: false rejects other properties
export const extra: AcmeTypes.Closed = { only: "x", more: 1 };
`,
  "refs.ts": `${IMPORT}
expectType<AcmeTypes.Catalog["shape"], AcmeTypes.Shape | undefined>(true);
expectType<AcmeTypes.TreeNode["children"], AcmeTypes.TreeNode[] | undefined>(true);
expectType<AcmeTypes.TreeNode["parent"], AcmeTypes.TreeNode | undefined>(true);
export const tree: AcmeTypes.TreeNode = { value: "root", children: [{ value: "a", children: [{ value: "a.1" }] }] };
// @ts-expect-error a child is a node, which needs its value
export const badChild: AcmeTypes.TreeNode = { value: "root", children: [{ children: [] }] };
export function depth(node: AcmeTypes.TreeNode): number {
  return 1 + Math.max(0, ...(node.children ?? []).map(depth));
}
`,
  "read-write-only.ts": `${IMPORT}
// Pet marks id readOnly and secret writeOnly: PetInput (requests) has no id, Pet (responses) no secret.
expectType<AcmeTypes.Pet["id"], number>(true);
export async function create(): Promise<number> {
  const pet = await client.pets.create({ body: { name: "Rex", status: "available", secret: "s3cret", owner: { email: "a@b.c", password: "pw" } } });
  expectType<typeof pet, AcmeTypes.Pet>(true);
  // @ts-expect-error writeOnly: not in a response
  void pet.secret;
  // @ts-expect-error writeOnly, one $ref down: Owner (response) has no password
  void pet.owner?.password;
  const owner: string | undefined = pet.owner?.id;
  void owner;
  return pet.id;
}
// @ts-expect-error readOnly: id is not sent
export const withId = client.pets.create({ body: { id: 1, name: "Rex", status: "available" } });
// @ts-expect-error readOnly, one $ref down: OwnerInput (request) has no id
export const ownerId = client.pets.create({ body: { name: "Rex", status: "available", owner: { id: "o1", email: "a@b.c" } } });
// @ts-expect-error the required body is missing
export const noBody = client.pets.create({});
export async function fetch(): Promise<string> {
  const pet = await client.pets.get({ petId: 7 });
  return pet.name;
}
// @ts-expect-error petId is an integer
export const stringId = client.pets.get({ petId: "7" });
`,
  "unsupported.ts": `${IMPORT}
// not / if-then cannot be typed: unknown, wider than any guess (and narrower types are not assignable).
expectType<AcmeTypes.Nothing, unknown>(true);
export function read(value: AcmeTypes.Nothing): unknown {
  // @ts-expect-error unknown must be narrowed before use
  return value.length;
}
`,
};

for (const flavour of ["3.0", "3.1"] as const) {
  describe(`OpenAPI ${flavour} schemas (schemas.${flavour}.yaml)`, () => {
    let result: LoadResult;
    let client: Map<string, string>;
    beforeAll(() => {
      result = loadImport(`./schemas.${flavour}.yaml`);
      client = emitted(result);
    });

    it("every construct's usage file compiles: right uses accepted, wrong ones rejected", () => {
      expect(compileUsage(client, usages)).toEqual([]);
    });

    it("the only diagnostic is the warning for the schema typed unknown", () => {
      const keyword = flavour === "3.0" ? "not" : "if";
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warning SB4004 \\./schemas\\.${flavour.replace(".", "\\.")}\\.yaml#/components/schemas/Nothing/${keyword}: .*unknown$`,
          ),
        ),
      ]);
    });

    it("a deprecated property carries @deprecated right above it, after its description", () => {
      const types = client.get("acme/types.ts")!;
      expect(types).toContain("/**\n * Use name.\n * @deprecated\n */\nlegacyName?: string;");
    });

    it("hostile descriptions and examples cannot end the comment or start a tag", () => {
      const types = client.get("acme/types.ts")!;
      expect(types).toContain(" * A pet. *\\/ declare const injected: number; /\\* @internal\n");
      // 3.0's example and 3.1's first examples entry, as one escaped line of JSON.
      expect(types).toContain('/** @example "Rex *\\/ `${process.exit()}` @ts-ignore" */\nname: string;');
      expect(types).not.toMatch(/\*\/ declare const injected/);
    });

    it("Pet and PetInput both name the schema they come from (regression: the direction leaked into the pointer)", () => {
      const types = client.get("acme/types.ts")!;
      const from = [...types.matchAll(/From `([^`]*)`\.\n \*\/\nexport type (Pet|PetInput) =/g)].map((m) => [m[2], m[1]]);
      expect(from).toEqual([
        ["Pet", `./schemas.${flavour}.yaml#/components/schemas/Pet`],
        ["PetInput", `./schemas.${flavour}.yaml#/components/schemas/Pet`],
      ]);
      expect(types).not.toMatch(/[\u0000-\u0008]/);
    });
  });
}

describe("OpenAPI 3.0 and 3.1 flavours", () => {
  it("give the same declarations, comments aside (regression: 3.0's nullable enum listing null was `null | null`)", () => {
    const declarations = (flavour: string) =>
      loadImport(`./schemas.${flavour}.yaml`).model!.schemaDeclarations.map(
        (d) => `${d.name} = ${d.type.replace(/\/\*\*[^]*?\*\/\n/g, "")}`,
      );
    const v30 = declarations("3.0");
    expect(v30).toContain('Mode = "fast" | "slow" | null');
    expect(declarations("3.1")).toEqual(v30);
  });
});
