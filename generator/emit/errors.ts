/** Errors emitter: errors.ts, the provider's error codes and kinds as literal unions, and the rules. */
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { propertyKey, stringLiteral } from "../common/escape.js";
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
        { name: "recoverFrom" },
        { name: "RecoverOptions", isTypeOnly: true },
        { name: "RecoveryHandlers", isTypeOnly: true },
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
    ...recoveryDeclarations(model),
  ];
  return [{ path: "errors.ts", text: header(model, ctx) + printDeclarations(statements) }];
}

/**
 * Typed recovery: the codes grouped by kind, the handlers type (keys checked against the code union,
 * `Required` codes compulsory) and `recover<Provider>Error` over the runtime's recoverFrom.
 */
function recoveryDeclarations(model: SpecModel): Declaration[] {
  const { pascal } = model.names;
  const title = model.provider.title;
  const name = stringLiteral(model.provider.name);
  const byKind = new Map<string, string[]>();
  for (const c of model.errorCodes) if (c.kind !== undefined) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c.code]);
  const kinds = model.errorKinds.filter((k) => byKind.has(k));
  const codes = model.definition.errors.codes;
  const builtIns = model.errorCodes.flatMap((c) => {
    const r = codes[c.code]?.recovery;
    return r === undefined
      ? []
      : [`${c.code}: ${r.action === "retrySameKey" ? "retry with the same idempotency key" : "schedule for later"} after ${r.afterMs} ms`];
  });
  // The kind with the most codes makes the clearest example.
  const example = [...kinds].sort((a, b) => byKind.get(b)!.length - byKind.get(a)!.length)[0];
  return [
    {
      kind: "interface",
      isExported: true,
      name: `${pascal}ErrorCodesByKind`,
      docs: jsDoc([`${title}'s listed error codes by the kind the spec gives them (codes without a kind are left out).`]),
      properties: kinds.map((k) => ({ name: propertyKey(k), isReadonly: true, type: stringUnion(byKind.get(k)!) })),
    },
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}ErrorCodeOfKind`,
      typeParameters: [{ name: "K", constraint: `keyof ${pascal}ErrorCodesByKind` }],
      type: `${pascal}ErrorCodesByKind[K]`,
      docs: jsDoc([
        `The ${title} codes of one kind (or of a union of kinds).`,
        example === undefined
          ? undefined
          : `\`satisfies ${pascal}RecoveryHandlers<R, ${pascal}ErrorCodeOfKind<${stringLiteral(example)}>>\` requires a handler for each of them.`,
      ]),
    },
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}RecoveryHandlers`,
      typeParameters: [
        { name: "R", default: "unknown" },
        { name: "Required", constraint: `${pascal}ErrorCode`, default: "never" },
      ],
      type: `RecoveryHandlers<${pascal}ErrorCode, ${pascal}ProviderError, R, Required>`,
      docs: jsDoc([
        `The application's recoveries for ${title} error codes: a key that is not a listed code fails to compile, and the \`Required\` codes must all be handled.`,
      ]),
    },
    {
      kind: "function",
      isExported: true,
      name: surfaceNames(model.names).recoverError,
      typeParameters: [
        { name: "R", default: "unknown" },
        { name: "Required", constraint: `${pascal}ErrorCode`, default: "never" },
      ],
      parameters: [
        { name: "failure", type: `unknown` },
        { name: "handlers", type: `${pascal}RecoveryHandlers<R, Required>` },
        { name: "options", type: "RecoverOptions<R>", hasQuestionToken: true },
      ],
      returnType: "Promise<R>",
      docs: jsDoc([
        `Recovers from a ${title} failure: a caught error (its \`knownCode\`) or a bare ${title} code. The application's handler for the code runs; without one, the code's built-in recovery, if the spec declares one; else \`options.otherwise\`; else the failure is thrown again.`,
        builtIns.length === 0 ? `The spec declares no built-in recovery for ${title}.` : `Built-in recoveries:`,
        bulletList(builtIns),
      ]),
      statements: [`return recoverFrom(${name}, ${surfaceNames(model.names).errorsDefinition}.codes, failure, handlers, options);`],
    },
  ];
}
