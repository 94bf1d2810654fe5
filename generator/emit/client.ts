/**
 * Client emitter: client.ts (the definition handed to the runtime; the client core, which the operation
 * functions take, and its factory; the client class, which holds a core and the resource objects, and
 * its factory); resources.ts writes the resources and types.ts.
 */
import { clientPartsFor } from "@switchboard/runtime/contract";
import { docText, propertyKey, stringLiteral } from "../common/escape.js";
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { bulletList, jsDoc } from "./docs.js";
import { literal, stringUnion } from "./literal.js";
import { emitResources, operationFunctionNames } from "./resources.js";
import { printDeclarations, type ClassDeclaration, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

const CREDENTIALS_TYPE: Record<string, string> = {
  apiKey: "ApiKeyCredentials",
  basic: "BasicCredentials",
  bearer: "BearerCredentials",
  oauth2: "OAuth2Credentials",
  githubApp: "GithubAppCredentials",
};

export function emitClient(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  return [{ path: "client.ts", text: clientFile(model, ctx) }, ...emitResources(model, ctx)];
}

function clientFile(model: SpecModel, ctx: EmitContext): string {
  const { pascal } = model.names;
  const names = surfaceNames(model.names);
  const def = model.definition;
  const credentialTypes = [...new Set(model.authModes.map((m) => CREDENTIALS_TYPE[m.type]!))].sort();
  const core = `${pascal}Core`;
  // A provider named "client" declares a ClientCore of its own: the runtime's is imported under another name.
  const runtimeCore = core === "ClientCore" ? "RuntimeClientCore" : "ClientCore";
  // The client parts the spec uses, and no other: an app bundles only these.
  const parts = clientPartsFor(
    def,
    model.groups.flatMap((g) => g.operations.map((o) => o.definition)),
  );
  const statements: Declaration[] = [];
  statements.push({
    kind: "import",
    moduleSpecifier: ctx.runtimeImport,
    namedImports: [
      runtimeCore === "ClientCore" ? "ClientCore" : { name: "ClientCore", alias: runtimeCore },
      ...parts,
      ...["ClientOptions", "ProviderDefinition", ...credentialTypes].map((name) => ({ name, isTypeOnly: true })),
    ],
  });
  statements.push({ kind: "import", moduleSpecifier: "./errors.js", namedImports: [names.errorsDefinition] });
  if (def.versions)
    statements.push({
      kind: "import",
      moduleSpecifier: "./versions.js",
      namedImports: [names.versionsDefinition, { name: `${pascal}ApiVersion`, isTypeOnly: true }],
    });
  const topLevel = model.groups.filter((g) => g.parent === undefined);
  for (const group of topLevel) {
    statements.push({
      kind: "import",
      moduleSpecifier: `./resources/${group.fileName}.js`,
      namedImports: [group.className],
    });
  }

  statements.push({
    kind: "typeAlias",
    isExported: true,
    name: `${pascal}Environment`,
    type: stringUnion(model.environments.map((e) => e.name)),
    docs: jsDoc([
      `Environments of the ${model.provider.title} API.`,
      bulletList(model.environments.map((e) => `${e.name}${e.description ? `: ${e.description}` : ""}`)),
    ]),
  });

  const defaultMode = def.auth.defaultMode;
  const authMembers = model.authModes.map((m) => {
    const mode = m.name === defaultMode ? `{ readonly mode?: ${stringLiteral(m.name)} }` : `{ readonly mode: ${stringLiteral(m.name)} }`;
    return `(${mode} & ${CREDENTIALS_TYPE[m.type]!})`;
  });
  statements.push({
    kind: "typeAlias",
    isExported: true,
    name: `${pascal}Auth`,
    type: authMembers.length === 0 ? "{ readonly mode?: never }" : authMembers.join(" | "),
    docs: jsDoc([
      `How the client authenticates${defaultMode !== undefined ? `; "${defaultMode}" when no mode is given` : ""}.`,
      bulletList(model.authModes.map((m) => `${m.name} (${m.type})${m.description ? `: ${m.description}` : ""}`)),
    ]),
  });

  if (model.variables.length > 0) {
    // A type alias, not an interface: object literal types are assignable to the runtime's Record.
    const members = model.variables.map((v) => {
      const doc = v.description ? `/** ${docText(v.description)} */\n` : "";
      return `${doc}readonly ${propertyKey(v.name)}${v.required ? "" : "?"}: string;`;
    });
    statements.push({
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}Variables`,
      docs: jsDoc([`Values filled into the {placeholders} of ${model.provider.title}'s URLs.`]),
      type: `{\n${members.join("\n")}\n}`,
    });
  }
  const variablesRequired = model.variables.some((v) => v.required);

  statements.push({
    kind: "interface",
    isExported: true,
    name: `${pascal}ClientOptions`,
    extends: [`Omit<ClientOptions<${pascal}Environment, ${pascal}Auth>, "apiVersion" | "variables">`],
    properties: [
      {
        name: "variables",
        hasQuestionToken: !variablesRequired,
        isReadonly: true,
        type: model.variables.length > 0 ? `${pascal}Variables` : "never",
        docs: jsDoc([
          model.variables.length > 0 ? "Values of the spec's URL variables." : `${model.provider.title}'s URLs have no variables.`,
        ]),
      },
      {
        name: "apiVersion",
        hasQuestionToken: true,
        isReadonly: true,
        type: def.versions ? `${pascal}ApiVersion` : "never",
        docs: jsDoc([
          def.versions ? `API version sent instead of the pinned ${def.versions.pinned}.` : `${model.provider.title} has no API versions.`,
        ]),
      },
    ],
  });

  // Webhooks are left out: the client never reads them, and the verifier imports webhooks.ts itself.
  const { errors: _errors, versions: _versions, webhooks: _webhooks, ...plain } = def;
  const fields = literal(plain).slice(1, -1).trim();
  const extra = [`errors: ${names.errorsDefinition}`, ...(def.versions ? [`versions: ${names.versionsDefinition}`] : [])];
  statements.push({
    kind: "const",
    isExported: true,
    docs: jsDoc([
      `What the client reads of ${model.provider.title}'s spec, defaults applied (durations in ms); webhooks are in ${names.webhooksDefinition}.`,
    ]),
    name: names.definition,
    type: "ProviderDefinition",
    initializer: `{ ${fields}, ${extra.join(", ")} }`,
  });

  const example = exampleCall(model);
  statements.push({
    kind: "interface",
    isExported: true,
    name: core,
    extends: [runtimeCore],
    docs: jsDoc([
      `A ${model.provider.title} client without resource objects: what the operation functions take first.`,
      `An application that calls the functions${example === undefined ? "" : ` (\`${example}\`)`} bundles only the operations it calls. \`close()\` releases what the client holds.`,
    ]),
    properties: [{ name: "definition", isReadonly: true, type: `ProviderDefinition & { readonly name: ${stringLiteral(def.name)} }` }],
  });
  statements.push({
    kind: "function",
    isExported: true,
    name: `create${core}`,
    docs: jsDoc([`Creates a ${model.provider.title} client core, for the operation functions.`]),
    parameters: [{ name: "options", type: `${pascal}ClientOptions` }],
    returnType: core,
    statements: [`return new ${runtimeCore}(${names.definition}, options${parts.length > 0 ? `, [${parts.join(", ")}]` : ""}) as ${core};`],
  });

  const clientClass: ClassDeclaration = {
    kind: "class",
    isExported: true,
    name: `${pascal}Client`,
    docs: jsDoc(
      [`Typed client of the ${model.provider.title} API.`, model.provider.description],
      model.provider.docsUrl ? [{ tagName: "see", text: model.provider.docsUrl }] : [],
    ),
    properties: [
      ...topLevel.map((g) => ({ name: g.property, isReadonly: true, type: g.className })),
      { name: "#core", isReadonly: true, type: core },
    ],
    ctor: {
      parameters: [{ name: "options", type: `${pascal}ClientOptions` }],
      statements: [
        topLevel.length > 0 ? `const core = (this.#core = create${core}(options));` : `this.#core = create${core}(options);`,
        ...topLevel.map((g) => `this.${g.property} = new ${g.className}(core);`),
      ],
    },
    methods: [
      {
        name: "close",
        docs: jsDoc([
          "Releases what the client holds: its connection pool, rate-limit timers and queued calls (which fail).",
          "Calls made after it fail with ConfigurationError; a process with nothing else to do exits.",
        ]),
        returnType: "Promise<void>",
        statements: ["return this.#core.close();"],
      },
    ],
  };
  statements.push(clientClass);
  statements.push({
    kind: "function",
    isExported: true,
    name: `create${pascal}Client`,
    docs: jsDoc([
      `Creates a ${model.provider.title} client: \`client.<resource>.<method>(...)\`.`,
      `Every resource and method comes with it when bundled; \`create${core}\` and the operation functions bundle only what is called.`,
    ]),
    parameters: [{ name: "options", type: `${pascal}ClientOptions` }],
    returnType: `${pascal}Client`,
    statements: [`return new ${pascal}Client(options);`],
  });
  return header(model, ctx) + printDeclarations(statements);
}

/** A call of the first operation function, for the docs: `customersCreate(stripe, ...)`; undefined without operations. */
function exampleCall(model: SpecModel): string | undefined {
  const op = model.groups.find((g) => g.operations.length > 0)?.operations[0];
  return op === undefined ? undefined : `${operationFunctionNames(model).get(op)!}(${model.names.camel}, ...)`;
}
