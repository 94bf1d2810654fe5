/**
 * Resource emitter: resources/<group>.ts. Per operation: its params interface and response type, its
 * descriptor (a top-level const) and a standalone function, `customersCreate(stripe, params, options)`,
 * the only reader of that descriptor; then one class per group whose methods call those functions.
 * An application that imports functions ships the operations it calls; one that uses the client's
 * resource objects ships every method of the resources (a bundler cannot drop a class's unused methods).
 * types.ts: the named types the operations' schemas refer to, imported by resources as the namespace
 * `types` (their names come from schemas, so they can never collide with a params or response type).
 */
import { propertyKey, stringLiteral, templatePart } from "../common/escape.js";
import { isIdentifier, isIdentifierStartChar } from "../common/names.js";
import type { GroupModel, OperationModel, SpecModel } from "../model/ir.js";
import { API_VERSION_PLACEHOLDER } from "../common/operation-names.js";
import { TYPES_NAMESPACE } from "../model/operations/index.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { printDeclarations, type Declaration, type Docs, type MethodDeclaration, type Parameter } from "./declarations.js";
import { declaration, jsDoc } from "./docs.js";
import { literal } from "./literal.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

export const TYPES_FILE = "types.ts";

export function emitResources(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const functions = operationFunctionNames(model);
  const batched = batchedFunctionNames(model, functions);
  const files = model.groups.map((group) => ({
    path: `resources/${group.fileName}.ts`,
    text: resourceFile(model, group, ctx, functions, batched),
  }));
  if (model.schemaDeclarations.length > 0) files.push({ path: TYPES_FILE, text: typesFile(model, ctx) });
  return files;
}

/** A JSDoc block from paragraphs, with a deprecated tag when the operation or parameter is. */
function doc(paragraphs: readonly (string | undefined)[], deprecated = false): Docs {
  return jsDoc(paragraphs, deprecated ? [{ tagName: "deprecated" }] : []);
}

function typesFile(model: SpecModel, ctx: EmitContext): string {
  const origins = model.operationsImports.map(
    (i) =>
      `// Imported: ${i.from.replace(/[\r\n\u2028\u2029]/g, " ")}${i.version === undefined ? "" : ` ${i.version}`} (sha256 ${i.sha256})\n`,
  );
  return header(model, ctx) + origins.join("") + printDeclarations(model.schemaDeclarations.map(declaration));
}

/**
 * Value names the provider's other files export beside the resources' from index.ts (camelCase, like
 * the operation functions): an operation function named like one of them gets a numbered name instead.
 * test/generator/emit/operation-functions.test.ts checks this list against every generated provider.
 */
export function surfaceValueNames(names: { readonly pascal: string; readonly camel: string }): readonly string[] {
  const { pascal } = names;
  return [
    ...Object.values(surfaceNames(names)),
    `create${pascal}Client`,
    `create${pascal}Core`,
    `is${pascal}Error`,
    `normalize${pascal}Error`,
    `create${pascal}WebhookRouter`,
  ];
}

/**
 * The standalone function of each operation: its params type's stem in camelCase (customersCreate for
 * CustomersCreateParams), unique among the provider's exports because the stems are, and numbered
 * (customersCreate_2) should one meet a name another file exports or a resource class.
 */
export function operationFunctionNames(model: SpecModel): ReadonlyMap<OperationModel, string> {
  // The resource classes are values too: a stem that cannot be lower-cased (`_Resource`) could meet one.
  const used = new Set([...surfaceValueNames(model.names), ...model.groups.map((g) => g.className)]);
  const names = new Map<OperationModel, string>();
  for (const op of model.groups.flatMap((g) => g.operations)) {
    const camel = lowerFirst(op.paramsType.slice(0, -"Params".length));
    const base = isIdentifier(camel) ? camel : `${camel}_`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(op, name);
  }
  return names;
}

/**
 * The batched function of each operation that declares batch: its function's name + "Batched"
 * (mailSendBatched), numbered should that meet another export.
 */
export function batchedFunctionNames(
  model: SpecModel,
  functions: ReadonlyMap<OperationModel, string>,
): ReadonlyMap<OperationModel, string> {
  const used = new Set([...surfaceValueNames(model.names), ...model.groups.map((g) => g.className), ...functions.values()]);
  const names = new Map<OperationModel, string>();
  for (const op of model.groups.flatMap((g) => g.operations)) {
    if (op.definition.batch === undefined) continue;
    const base = `${functions.get(op)!}Batched`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(op, name);
  }
  return names;
}

/** A PascalCase stem with its first letter lower-cased (CustomersCreate -> customersCreate), when that is one letter still. */
function lowerFirst(stem: string): string {
  const [first = "", ...rest] = stem;
  const lowered = first.toLowerCase();
  return ([...lowered].length === 1 && isIdentifierStartChar(lowered) ? lowered : first) + rest.join("");
}

function resourceFile(
  model: SpecModel,
  group: GroupModel,
  ctx: EmitContext,
  functions: ReadonlyMap<OperationModel, string>,
  batched: ReadonlyMap<OperationModel, string>,
): string {
  const ops = group.operations;
  const batches = ops.some((op) => batched.has(op));
  const usesPath = ops.some((op) => op.params.some((p) => p.in === "path"));
  const paginates = ops.some((op) => op.definition.pagination !== undefined);
  const streams = ops.some((op) => op.stream !== undefined);
  const plain = ops.some((op) => op.definition.pagination === undefined && op.stream === undefined);
  const values = [
    ...(usesPath ? ["encodePath"] : []),
    ...(streams ? ["openStream"] : []),
    ...(paginates ? ["paginate"] : []),
    ...(batches ? ["sendBatched"] : []),
  ];
  const types = [
    ...(plain ? ["ApiPromise"] : []),
    ...(batches ? ["BatchResult"] : []),
    ...(streams ? ["EventStream"] : []),
    ...(paginates ? ["ItemsAt"] : []),
    ...(ops.length > 0 ? ["OperationDefinition"] : []),
    ...(paginates ? ["Paginated"] : []),
    ...(ops.length > 0 ? ["RequestOptions"] : []),
    ...(streams ? ["StreamEvent"] : []),
    ...(ops.some((op) => op.stream === undefined) ? ["TypedResponse"] : []),
  ];
  const core = `${model.names.pascal}Core`;
  const statements: Declaration[] = [];
  if (values.length > 0) statements.push({ kind: "import", moduleSpecifier: ctx.runtimeImport, namedImports: values });
  if (types.length > 0)
    statements.push({
      kind: "import",
      moduleSpecifier: ctx.runtimeImport,
      namedImports: types.map((name) => ({ name, isTypeOnly: true })),
    });
  statements.push({ kind: "import", moduleSpecifier: "../client.js", namedImports: [{ name: core, isTypeOnly: true }] });
  for (const child of group.children)
    statements.push({ kind: "import", moduleSpecifier: `./${child.fileName}.js`, namedImports: [child.className] });
  const shapes = ops.flatMap((op) => [...paramsInterface(op), op.stream ? streamEventType(op) : responseType(op)]);
  const qualified = `${TYPES_NAMESPACE}.`;
  const refersToTypes = ops.some(
    (op) =>
      op.params.some((p) => p.type.includes(qualified)) ||
      op.body?.type.includes(qualified) ||
      op.responses.some((r) => r.type.includes(qualified)) ||
      op.stream?.events?.some((e) => e.type.includes(qualified)),
  );
  if (refersToTypes)
    statements.push({ kind: "import", isTypeOnly: true, namespaceImport: TYPES_NAMESPACE, moduleSpecifier: "../types.js" });
  statements.push(...shapes);
  // One descriptor per operation, read only by that operation's function: a bundler drops the
  // descriptor and the function together when the application does not call them.
  const used = new Set([
    ...functions.values(),
    ...batched.values(),
    group.className,
    TYPES_NAMESPACE,
    core,
    ...values,
    ...group.children.map((c) => c.className),
  ]);
  for (const op of ops) {
    let descriptor = `${functions.get(op)!}Operation`;
    for (let n = 2; used.has(descriptor); n++) descriptor = `${functions.get(op)!}Operation_${n}`;
    used.add(descriptor);
    statements.push(...operationFunction(op, functions.get(op)!, descriptor, core, batched.get(op)));
  }
  const methodNames = new Set(ops.map((op) => op.method));
  statements.push({
    kind: "class",
    isExported: true,
    name: group.className,
    docs: doc([
      ops.length > 0
        ? `Operations of the ${group.name} group; each method is the function it names, bound to the client.`
        : `The groups nested in ${group.name}.`,
      group.children.length > 0 ? `Nested: ${group.children.map((c) => c.property).join(", ")}.` : undefined,
    ]),
    properties: [
      ...group.children.map((c) => ({ name: propertyKey(c.property), isReadonly: true, type: c.className })),
      ...(ops.length > 0 ? [{ name: "#core", isReadonly: true, type: core }] : []),
    ],
    ctor: {
      parameters: [{ name: "core", type: core }],
      statements: [
        ...(ops.length > 0 ? ["this.#core = core;"] : []),
        ...group.children.map((c) => `this.${c.property} = new ${c.className}(core);`),
      ],
    },
    methods: ops.flatMap((op) => {
      const batchedName = batched.get(op);
      return [method(op, functions.get(op)!), ...(batchedName === undefined ? [] : [batchedMethod(op, batchedName, methodNames)])];
    }),
  });
  return header(model, ctx) + printDeclarations(statements);
}

function hasParams(op: OperationModel): boolean {
  return op.params.length > 0 || op.body !== undefined;
}

function paramsRequired(op: OperationModel): boolean {
  return op.params.some((p) => p.required) || op.body?.required === true;
}

function paramsInterface(op: OperationModel): Declaration[] {
  if (!hasParams(op)) return [];
  const properties = op.params.map((p) => ({
    name: propertyKey(p.property),
    type: p.type,
    isReadonly: true,
    hasQuestionToken: !p.required,
    docs: doc([p.description, `${p.in} parameter \`${p.name}\`.`], p.deprecated === true),
  }));
  if (op.body)
    properties.push({
      name: "body",
      type: op.body.type,
      isReadonly: true,
      hasQuestionToken: !op.body.required,
      docs: doc([
        `Request body, sent as ${op.body.encoding === "raw" ? "is" : op.body.encoding}${op.body.contentType === undefined ? "" : ` (${op.body.contentType})`}.`,
      ]),
    });
  return [
    { kind: "interface", isExported: true, name: op.paramsType, docs: doc([`Parameters of ${op.httpMethod} ${op.path}.`]), properties },
  ];
}

function responseType(op: OperationModel): Declaration {
  const members =
    op.responses.length === 0
      ? ["TypedResponse<number, unknown>"]
      : op.responses.map((r) => `TypedResponse<${/^\d+$/.test(r.status) ? r.status : "number"}, ${r.type}>`);
  const described = op.responses
    .filter((r) => r.description !== undefined)
    .map((r) => `- ${r.status}: ${r.description!.replace(/\s+/g, " ")}`);
  return {
    kind: "typeAlias",
    isExported: true,
    name: op.responseType,
    type: members.join(" | "),
    docs: doc([`Answers of ${op.httpMethod} ${op.path}.`, described.length > 0 ? described.join("\n") : undefined]),
  };
}

/** A streamed operation's events: one `StreamEvent<name, data>` per declared event. */
function streamEventType(op: OperationModel): Declaration {
  const events = op.stream!.events;
  const members = events === undefined ? ["StreamEvent"] : events.map((e) => `StreamEvent<${stringLiteral(e.name)}, ${e.type}>`);
  const described = (events ?? [])
    .filter((e) => e.description !== undefined)
    .map((e) => `- ${e.name}: ${e.description!.replace(/\s+/g, " ")}`);
  return {
    kind: "typeAlias",
    isExported: true,
    name: op.stream!.typeName,
    type: members.length === 0 ? "never" : members.join(" | "),
    docs: doc([`Events of the stream ${op.httpMethod} ${op.path} answers with.`, described.length > 0 ? described.join("\n") : undefined]),
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
      const param = op.params.find((p) => p.in === "path" && p.name === match[1])!;
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

/** The item type of a paginated operation: what its `items` path finds in the response body. */
function itemType(op: OperationModel): string {
  const path = op.definition.pagination!.items;
  if (!path.every((segment) => typeof segment === "string")) return "unknown";
  return `ItemsAt<${op.responseType}["body"], [${path.map((s) => stringLiteral(s as string)).join(", ")}]>`;
}

/** The parameters, the docs and the return type a method and its function share. */
function signature(op: OperationModel): { parameters: Parameter[]; docs: Docs; returnType: string } {
  const options: Parameter = { name: "options", type: "RequestOptions", hasQuestionToken: true };
  const parameters: Parameter[] = hasParams(op)
    ? [{ name: "params", type: op.paramsType, ...(!paramsRequired(op) && { initializer: "{}" }) }, options]
    : [options];
  // What awaiting or iterating the result does is said once, on ApiPromise and Paginated.
  const docs = doc([op.summary, op.description, `\`${op.httpMethod} ${op.path}\``], op.deprecated);
  const paginated = op.definition.pagination !== undefined;
  const returnType = op.stream
    ? `EventStream<${op.stream.typeName}>`
    : paginated
      ? `Paginated<${itemType(op)}, ${op.responseType}>`
      : `ApiPromise<${op.responseType}>`;
  return { parameters, docs, returnType };
}

/** The operation's descriptor and its standalone function: `customersCreate(stripe, params, options)`. */
function operationFunction(op: OperationModel, name: string, descriptor: string, core: string, batchedName?: string): Declaration[] {
  const call = [`path: ${pathExpression(op)}`];
  const query = recordOf(op, "query");
  const headers = recordOf(op, "header");
  if (query) call.push(`query: ${query}`);
  if (headers) call.push(`headers: ${headers}`);
  if (op.body) call.push("body: params.body");
  const { parameters, docs, returnType } = signature(op);
  const args = `${descriptor}, { ${call.join(", ")} }, options`;
  // The response type written out, not inferred from the declared return type: 1,223 inferences were
  // a measurable part of tsc's time on GitHub's whole API (docs/benchmarks.md, codegen-github). A
  // paginated call's two type arguments would not fit on its line: those are still inferred.
  const statement = op.stream
    ? `return openStream<${op.stream.typeName}>(client, ${args});`
    : op.definition.pagination !== undefined
      ? `return paginate(client, ${args});`
      : `return client.call<${op.responseType}>(${args});`;
  return [
    // Declared as OperationDefinition (checked the same way as `satisfies`): each call then passes a
    // value of exactly the parameter's type, instead of a literal type tsc compares with it again.
    { kind: "const", name: descriptor, type: "OperationDefinition", initializer: literal(op.definition) },
    {
      kind: "function",
      isExported: true,
      name,
      docs,
      parameters: [{ name: "client", type: core }, ...parameters],
      returnType,
      statements: [statement],
    },
    ...(batchedName === undefined
      ? []
      : [
          {
            kind: "function" as const,
            isExported: true,
            name: batchedName,
            docs: batchedDocs(op, name),
            parameters: [{ name: "client", type: core }, ...parameters],
            returnType: `Promise<BatchResult<${op.responseType}>>`,
            statements: [`return sendBatched<${op.responseType}>(client, ${args});`],
          },
        ]),
  ];
}

/** What a batched function and method say: the split, the limit, and where the per-part outcome is. */
function batchedDocs(op: OperationModel, plain: string): Docs {
  const { items, max } = op.definition.batch!;
  return doc([
    op.summary,
    `Sends the call as several requests of at most ${max} items of \`body.${items}\` each (the provider's limit per request), ` +
      `one after the other, every other field of the body repeated in each. A part that fails does not stop the others: ` +
      `the result lists every part with the range of items it carried and its response or error. ` +
      `See {@link ${plain}} for a single request.`,
    `\`${op.httpMethod} ${op.path}\``,
  ]);
}

/**
 * A resource method: the operation's function, called with the resource's client. Its docs are the
 * summary and a link to the function, which carries the description (written once, not twice).
 */
function method(op: OperationModel, name: string): MethodDeclaration {
  const { parameters, returnType } = signature(op);
  const docs = doc([op.summary, `\`${op.httpMethod} ${op.path}\`: {@link ${name}}`], op.deprecated);
  const args = ["this.#core", ...(hasParams(op) ? ["params"] : []), "options"];
  return { name: propertyKey(op.method), docs, parameters, returnType, statements: [`return ${name}(${args.join(", ")});`] };
}

/** The batched method beside the operation's method: <name>Batched, numbered should the group already have that name. */
function batchedMethod(op: OperationModel, name: string, taken: ReadonlySet<string>): MethodDeclaration {
  const { parameters } = signature(op);
  let methodName = `${op.method}Batched`;
  for (let n = 2; taken.has(methodName); n++) methodName = `${op.method}Batched_${n}`;
  const args = ["this.#core", ...(hasParams(op) ? ["params"] : []), "options"];
  return {
    name: propertyKey(methodName),
    docs: doc([op.summary, `Split into requests of at most ${op.definition.batch!.max} items: {@link ${name}}`], op.deprecated),
    parameters,
    returnType: `Promise<BatchResult<${op.responseType}>>`,
    statements: [`return ${name}(${args.join(", ")});`],
  };
}
