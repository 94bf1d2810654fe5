/** Index emitter: index.ts re-exports the provider module's public surface. */
import { StructureKind, type StatementStructures } from "ts-morph";
import type { SpecModel } from "../ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { header, printStatements } from "./source-file.js";

/** Re-exports every other emitted file (resources are reached through the client). */
export function emitIndex(model: SpecModel, ctx: EmitContext, files: readonly EmittedFile[]): EmittedFile[] {
  const modules = files
    .map((f) => f.path)
    .filter((p) => !p.startsWith("resources/"))
    .map((p) => `./${p.replace(/\.ts$/, ".js")}`)
    .sort();
  const statements: StatementStructures[] = modules.map((moduleSpecifier) => ({ kind: StructureKind.ExportDeclaration, moduleSpecifier }));
  for (const group of model.groups) {
    statements.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `./resources/${group.fileName}.js` });
  }
  return [{ path: "index.ts", text: header(model, ctx) + printStatements(statements) }];
}
