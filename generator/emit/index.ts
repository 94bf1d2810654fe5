/** Index emitter: index.ts re-exports the provider module's public surface. */
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { printDeclarations, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { TYPES_FILE } from "./resources.js";
import { PAYLOADS_FILE, payloadsNamespace } from "./webhooks.js";

/**
 * Re-exports every other emitted file (resources are reached through the client). Payload types and
 * operation types, whose names come from schemas, are re-exported as namespaces so that they cannot collide.
 */
export function emitIndex(model: SpecModel, ctx: EmitContext, files: readonly EmittedFile[]): EmittedFile[] {
  const modules = files
    .map((f) => f.path)
    .filter((p) => !p.startsWith("resources/") && p !== PAYLOADS_FILE && p !== TYPES_FILE)
    .map((p) => `./${p.replace(/\.ts$/, ".js")}`)
    .sort();
  const statements: Declaration[] = modules.map((moduleSpecifier) => ({ kind: "export", moduleSpecifier }));
  if (files.some((f) => f.path === PAYLOADS_FILE)) {
    statements.push({
      kind: "export",
      isTypeOnly: true,
      namespaceExport: payloadsNamespace(model),
      moduleSpecifier: `./${PAYLOADS_FILE.replace(/\.ts$/, ".js")}`,
    });
  }
  if (files.some((f) => f.path === TYPES_FILE)) {
    statements.push({
      kind: "export",
      isTypeOnly: true,
      namespaceExport: `${model.names.pascal}Types`,
      moduleSpecifier: `./${TYPES_FILE.replace(/\.ts$/, ".js")}`,
    });
  }
  for (const group of model.groups) {
    statements.push({ kind: "export", moduleSpecifier: `./resources/${group.fileName}.js` });
  }
  return [{ path: "index.ts", text: header(model, ctx) + printDeclarations(statements) }];
}
