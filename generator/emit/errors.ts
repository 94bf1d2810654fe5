/** Errors emitter: errors.ts, the provider's error codes and kinds as literal unions, and the rules. */
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { stringLiteral } from "../common/escape.js";
import { bulletList, jsDoc, sources } from "./docs.js";
import { literal, stringUnion } from "./literal.js";
import { printDeclarations, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

export function emitErrors(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const { pascal } = model.names;
  const title = model.provider.title;
  const statements: Declaration[] = [
    {
      kind: "import",
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [
        { name: "isProviderError" },
        { name: "normalizeError" },
        { name: "ErrorAnswer", isTypeOnly: true },
        { name: "ErrorsDefinition", isTypeOnly: true },
        { name: "NormalizeOptions", isTypeOnly: true },
        { name: "ProviderError", isTypeOnly: true },
      ],
    },
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}ErrorCode`,
      type: stringUnion(model.errorCodes.map((c) => c.code)),
      docs: jsDoc([
        `Error codes ${title} documents (errors.codes in the spec).`,
        bulletList(model.errorCodes.map((c) => `${c.code}${c.description ? `: ${c.description}` : ""}`)),
      ]),
    },
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}ErrorKind`,
      type: stringUnion(model.errorKinds),
      docs: jsDoc([`Normalized kinds a ${title} error can have.`]),
    },
    {
      kind: "const",
      isExported: true,
      docs: jsDoc([`How ${title} error responses are recognised, read and classified.`, ...sources(model, "errors")]),
      name: surfaceNames(model.names).errorsDefinition,
      type: "ErrorsDefinition",
      initializer: literal(model.definition.errors),
    },
    {
      kind: "interface",
      isExported: true,
      name: `${pascal}ProviderError`,
      extends: ["ProviderError"],
      docs: jsDoc([
        `An error ${title} answered, as the runtime normalized it. \`knownCode\` is one of the listed codes (or undefined when the code is unlisted: \`providerCode\` keeps it as sent).`,
      ]),
      properties: [
        { name: "provider", isReadonly: true, type: stringLiteral(model.provider.name) },
        { name: "kind", isReadonly: true, type: `${pascal}ErrorKind` },
        { name: "knownCode", isReadonly: true, type: `${pascal}ErrorCode | undefined` },
      ],
    },
    {
      kind: "function",
      isExported: true,
      name: `is${pascal}Error`,
      parameters: [{ name: "value", type: "unknown" }],
      returnType: `value is ${pascal}ProviderError`,
      docs: jsDoc([`Whether \`value\` is an error ${title} answered; works across copies of the runtime.`]),
      statements: [`return isProviderError(value) && value.provider === ${stringLiteral(model.provider.name)};`],
    },
    {
      kind: "function",
      isExported: true,
      name: `normalize${pascal}Error`,
      parameters: [
        { name: "answer", type: "ErrorAnswer" },
        { name: "options", type: "NormalizeOptions", hasQuestionToken: true },
      ],
      returnType: `${pascal}ProviderError`,
      docs: jsDoc([`Normalizes one ${title} error answer (status, headers, parsed body) without a client.`]),
      statements: [
        `return normalizeError(${stringLiteral(model.provider.name)}, ${surfaceNames(model.names).errorsDefinition}, answer, options) as ${pascal}ProviderError;`,
      ],
    },
  ];
  return [{ path: "errors.ts", text: header(model, ctx) + printDeclarations(statements) }];
}
