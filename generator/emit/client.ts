/**
 * Client emitter: client.ts (the definition handed to the runtime, the client class and its factory)
 * and resources/<group>.ts (one class per group, one thin method per operation).
 */
import {
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type MethodDeclarationStructure,
  type OptionalKind,
  type StatementStructures,
} from "ts-morph";
import { docText, propertyKey, stringLiteral, templatePart } from "../escape.js";
import type { GroupModel, OperationModel, SpecModel } from "../ir.js";
import { API_VERSION_PLACEHOLDER } from "../operation-names.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { bulletList, jsDoc } from "./docs.js";
import { entry, literal, stringUnion } from "./literal.js";
import { header, printStatements } from "./source-file.js";

const CREDENTIALS_TYPE: Record<string, string> = {
  apiKey: "ApiKeyCredentials",
  basic: "BasicCredentials",
  bearer: "BearerCredentials",
  oauth2: "OAuth2Credentials",
  githubApp: "GithubAppCredentials",
};

export function emitClient(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  return [
    { path: "client.ts", text: clientFile(model, ctx) },
    ...model.groups.map((group) => ({ path: `resources/${group.fileName}.ts`, text: resourceFile(model, group, ctx) })),
  ];
}

function clientFile(model: SpecModel, ctx: EmitContext): string {
  const { pascal } = model.names;
  const def = model.definition;
  const credentialTypes = [...new Set(model.authModes.map((m) => CREDENTIALS_TYPE[m.type]!))].sort();
  const statements: StatementStructures[] = [];
  statements.push({
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: ctx.runtimeImport,
    namedImports: [
      "ClientCore",
      ...["ClientOptions", "ProviderDefinition", ...credentialTypes].map((name) => ({ name, isTypeOnly: true })),
    ],
  });
  statements.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: "./errors.js", namedImports: ["errorsDefinition"] });
  if (def.versions)
    statements.push({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "./versions.js",
      namedImports: ["versionsDefinition", { name: `${pascal}ApiVersion`, isTypeOnly: true }],
    });
  if (def.webhooks)
    statements.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: "./webhooks.js", namedImports: ["webhooksDefinition"] });
  for (const group of model.groups) {
    statements.push({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: `./resources/${group.fileName}.js`,
      namedImports: [group.className],
    });
  }

  statements.push({
    kind: StructureKind.TypeAlias,
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
    kind: StructureKind.TypeAlias,
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
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: `${pascal}Variables`,
      docs: jsDoc([`Values filled into the {placeholders} of ${model.provider.title}'s URLs.`]),
      type: `{\n${members.join("\n")}\n}`,
    });
  }
  const variablesRequired = model.variables.some((v) => v.required);

  statements.push({
    kind: StructureKind.Interface,
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

  const { errors: _errors, versions: _versions, webhooks: _webhooks, ...plain } = def;
  const parts = literal(plain).slice(1, -1).trim();
  const extra = [
    "errors: errorsDefinition",
    ...(def.versions ? ["versions: versionsDefinition"] : []),
    ...(def.webhooks ? ["webhooks: webhooksDefinition"] : []),
  ];
  statements.push({
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: jsDoc([`Everything the spec declares about ${model.provider.title}'s behaviour, defaults applied (durations in ms).`]),
    declarations: [{ name: "definition", type: "ProviderDefinition", initializer: `{ ${parts}, ${extra.join(", ")} }` }],
  });

  const clientClass: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    isExported: true,
    name: `${pascal}Client`,
    docs: jsDoc(
      [`Typed client of the ${model.provider.title} API.`, model.provider.description],
      model.provider.docsUrl ? [{ tagName: "see", text: model.provider.docsUrl }] : [],
    ),
    properties: model.groups.map((g) => ({ name: g.property, isReadonly: true, type: g.className })),
    ctors: [
      {
        parameters: [{ name: "options", type: `${pascal}ClientOptions` }],
        statements: [
          `${model.groups.length > 0 ? "const core = " : ""}new ClientCore(definition, options);`,
          ...model.groups.map((g) => `this.${g.property} = new ${g.className}(core);`),
        ],
      },
    ],
  };
  statements.push(clientClass);
  statements.push({
    kind: StructureKind.Function,
    isExported: true,
    name: `create${pascal}Client`,
    docs: jsDoc([`Creates a ${model.provider.title} client.`]),
    parameters: [{ name: "options", type: `${pascal}ClientOptions` }],
    returnType: `${pascal}Client`,
    statements: [`return new ${pascal}Client(options);`],
  });
  return header(model, ctx) + printStatements(statements);
}

function resourceFile(model: SpecModel, group: GroupModel, ctx: EmitContext): string {
  const statements: StatementStructures[] = [];
  const usesPath = group.operations.some((op) => op.params.some((p) => p.in === "path"));
  const paginates = group.operations.some((op) => op.definition.pagination !== undefined);
  statements.push({
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: ctx.runtimeImport,
    namedImports: [
      ...(usesPath ? ["encodePath"] : []),
      ...(paginates ? ["paginate"] : []),
      ...["ClientCore", "OperationDefinition", ...(paginates ? ["Paginated"] : []), "RequestOptions"].map((name) => ({
        name,
        isTypeOnly: true,
      })),
    ],
  });
  for (const op of group.operations) {
    const params = paramsInterface(op);
    if (params) statements.push(params);
  }
  statements.push({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: "operations",
        initializer: `{ ${group.operations.map((op) => entry(op.method, literal(op.definition))).join(", ")} } satisfies Record<string, OperationDefinition>`,
      },
    ],
  });
  statements.push({
    kind: StructureKind.Class,
    isExported: true,
    name: group.className,
    docs: jsDoc([`Operations of the ${group.name} group.`]),
    properties: [{ name: "#core", isReadonly: true, type: "ClientCore" }],
    ctors: [{ parameters: [{ name: "core", type: "ClientCore" }], statements: ["this.#core = core;"] }],
    methods: group.operations.map(method),
  });
  return header(model, ctx) + printStatements(statements);
}

function hasParams(op: OperationModel): boolean {
  return op.params.length > 0 || op.body !== undefined;
}

function paramsRequired(op: OperationModel): boolean {
  return op.params.some((p) => p.required) || op.body?.required === true;
}

function paramsInterface(op: OperationModel): StatementStructures | undefined {
  if (!hasParams(op)) return undefined;
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name: op.paramsType,
    docs: jsDoc([`Parameters of ${op.httpMethod} ${op.path}.`]),
    properties: [
      ...op.params.map((p) => ({
        name: propertyKey(p.property),
        hasQuestionToken: !p.required,
        isReadonly: true,
        type: p.in === "path" ? "string | number" : "string | number | boolean | readonly (string | number | boolean)[]",
        docs: jsDoc([p.description, `${p.in} parameter \`${p.name}\`.`]),
      })),
      ...(op.body
        ? [
            {
              name: "body",
              hasQuestionToken: !op.body.required,
              isReadonly: true,
              type: "Readonly<Record<string, unknown>>",
              docs: jsDoc([`Request body, sent as ${op.body.encoding}.`]),
            },
          ]
        : []),
    ],
  };
}

/** `encodePath`/v1/customers/${params.customer}``: static parts escaped, values encoded at run time. */
function pathExpression(op: OperationModel): string {
  const pieces = op.path.split(/(\{[^{}]+\})/);
  let out = "";
  let dynamic = false;
  for (const piece of pieces) {
    const match = /^\{([^{}]+)\}$/.exec(piece);
    if (match && match[1] !== API_VERSION_PLACEHOLDER) {
      const param = op.params.find((p) => p.name === match[1])!;
      out += `\${params.${param.property}}`;
      dynamic = true;
    } else {
      out += templatePart(piece);
    }
  }
  return dynamic ? `encodePath\`${out}\`` : stringLiteral(op.path);
}

function recordOf(op: OperationModel, where: "query" | "header"): string | undefined {
  const params = op.params.filter((p) => p.in === where);
  if (params.length === 0) return undefined;
  return `{ ${params.map((p) => `${propertyKey(p.name)}: params.${p.property}`).join(", ")} }`;
}

function method(op: OperationModel): OptionalKind<MethodDeclarationStructure> {
  const call = [`path: ${pathExpression(op)}`];
  const query = recordOf(op, "query");
  const headers = recordOf(op, "header");
  if (query) call.push(`query: ${query}`);
  if (headers) call.push(`headers: ${headers}`);
  if (op.body) call.push("body: params.body");
  const parameters = hasParams(op)
    ? [
        { name: "params", type: op.paramsType, ...(paramsRequired(op) ? {} : { initializer: "{}" }) },
        { name: "options", type: "RequestOptions", hasQuestionToken: true },
      ]
    : [{ name: "options", type: "RequestOptions", hasQuestionToken: true }];
  const definition = `operations${propertyKey(op.method) === op.method ? `.${op.method}` : `[${stringLiteral(op.method)}]`}`;
  const paginated = op.definition.pagination !== undefined;
  return {
    name: op.method,
    docs: jsDoc(
      [
        op.summary,
        op.description,
        paginated ? "Await it for the first page, or iterate `for await (const item of ...)` over every item of every page." : undefined,
        `\`${op.httpMethod} ${op.path}\``,
      ],
      op.deprecated ? [{ tagName: "deprecated" }] : [],
    ),
    parameters,
    returnType: paginated ? "Paginated<unknown>" : "Promise<unknown>",
    statements: [
      paginated
        ? `return paginate(this.#core, ${definition}, { ${call.join(", ")} }, options);`
        : `return this.#core.request(${definition}, { ${call.join(", ")} }, options);`,
    ],
  };
}
