/** Versions emitter: versions.ts, the supported versions as a literal union and the pinned one. */
import { stringLiteral } from "../common/escape.js";
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { bulletList, jsDoc, sources } from "./docs.js";
import { literal, stringUnion } from "./literal.js";
import { printDeclarations, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

export function emitVersions(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const versions = model.definition.versions;
  if (!versions) return [];
  const { pascal } = model.names;
  const names = model.versions.length > 0 ? model.versions.map((v) => v.version) : [versions.pinned];
  const statements: Declaration[] = [
    {
      kind: "import",
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [{ name: "VersionsDefinition", isTypeOnly: true }],
    },
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}ApiVersion`,
      type: stringUnion(names),
      docs: jsDoc([
        `${model.provider.title} API versions this client may be pinned to.`,
        bulletList(
          model.versions.map(
            (v) =>
              `${v.version}${v.deprecated ? ` (deprecated ${v.deprecated})` : ""}${v.sunset ? ` (sunset ${v.sunset})` : ""}${v.description ? `: ${v.description}` : ""}`,
          ),
        ),
      ]),
    },
    {
      kind: "const",
      isExported: true,
      docs: jsDoc(["The version sent when the caller does not choose one."]),
      name: surfaceNames(model.names).pinnedVersion,
      type: `${pascal}ApiVersion`,
      initializer: stringLiteral(versions.pinned),
    },
    {
      kind: "const",
      isExported: true,
      docs: jsDoc([`How ${model.provider.title} versions are sent, and their lifecycle.`, ...sources(model, "versions")]),
      name: surfaceNames(model.names).versionsDefinition,
      type: "VersionsDefinition",
      initializer: literal(versions),
    },
  ];
  return [{ path: "versions.ts", text: header(model, ctx) + printDeclarations(statements) }];
}
