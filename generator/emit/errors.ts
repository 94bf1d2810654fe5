/** Errors emitter: errors.ts, the provider's error codes and kinds as literal unions, and the rules. */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import type { SpecModel } from "../ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { bulletList, jsDoc, sources } from "./docs.js";
import { literal, stringUnion } from "./literal.js";
import { header, printStatements } from "./source-file.js";

export function emitErrors(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const { pascal } = model.names;
  const title = model.provider.title;
  const statements: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [{ name: "ErrorsDefinition", isTypeOnly: true }],
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: `${pascal}ErrorCode`,
      type: stringUnion(model.errorCodes.map((c) => c.code)),
      docs: jsDoc([
        `Error codes ${title} documents (errors.codes in the spec).`,
        bulletList(model.errorCodes.map((c) => `${c.code}${c.description ? `: ${c.description}` : ""}`)),
      ]),
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: `${pascal}ErrorKind`,
      type: stringUnion(model.errorKinds),
      docs: jsDoc([`Normalized kinds a ${title} error can have.`]),
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDoc([`How ${title} error responses are recognised, read and classified.`, ...sources(model, "errors")]),
      declarations: [{ name: "errorsDefinition", type: "ErrorsDefinition", initializer: literal(model.definition.errors) }],
    },
  ];
  return [{ path: "errors.ts", text: header(model, ctx) + printStatements(statements) }];
}
