/**
 * Resource emitter: resources/<group>.ts. Per operation: its params interface and response type, its
 * descriptor (a top-level const) and a standalone function, `customersCreate(stripe, params, options)`,
 * the only reader of that descriptor; then one class per group whose methods call those functions.
 * An application that imports functions ships the operations it calls; one that uses the client's
 * resource objects ships every method of the resources (a bundler cannot drop a class's unused methods).
 * types.ts: the named types the operations' schemas refer to, imported by resources as the namespace
 * `types` (their names come from schemas, so they can never collide with a params or response type).
 *
 * Written as text, which prettier formats. Building these through ts-morph structures is issue #13's
 * "one way to emit code", not done yet; the cost it was once avoided for (seconds for GitHub's 1,200
 * operations) came from adding one statement at a time, not from structures added in one batch per file.
 */
import { propertyKey, stringLiteral, templatePart } from "../common/escape.js";
import { isIdentifier, isIdentifierStartChar } from "../common/names.js";
import type { GroupModel, OperationModel, SpecModel } from "../model/ir.js";
import { API_VERSION_PLACEHOLDER } from "../common/operation-names.js";
import { TYPES_NAMESPACE } from "../model/operations/index.js";
import { docComment } from "../model/schema-to-ts/type-text.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { literal } from "./literal.js";
import { header } from "./source-file.js";

export const TYPES_FILE = "types.ts";

export function emitResources(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const functions = operationFunctionNames(model);
  const files = model.groups.map((group) => ({
    path: `resources/${group.fileName}.ts`,
    text: resourceFile(model, group, ctx, functions),
  }));
  if (model.schemaDeclarations.length > 0) files.push({ path: TYPES_FILE, text: typesFile(model, ctx) });
  return files;
}

/** A JSDoc block from paragraphs; "" when they are all empty. */
function doc(paragraphs: readonly (string | undefined)[], deprecated = false): string {
  const text = paragraphs.filter((p): p is string => p !== undefined && p.trim() !== "").join("\n\n");
  const comment = docComment(text === "" ? undefined : text, deprecated);
  return comment === "" ? "" : `${comment}\n`;
}

function typesFile(model: SpecModel, ctx: EmitContext): string {
  const origins = model.operationsImports.map(
    (i) =>
      `// Imported: ${i.from.replace(/[\r\n\u2028\u2029]/g, " ")}${i.version === undefined ? "" : ` ${i.version}`} (sha256 ${i.sha256})\n`,
  );
  const declarations = model.schemaDeclarations.map(
    (d) => `${doc([d.description, `From \`${d.source}\`.`], d.deprecated === true)}export type ${d.name} = ${d.type};\n`,
  );
  return header(model, ctx) + origins.join("") + declarations.join("\n");
}

/**
 * Value names the provider's other files export beside the resources' from index.ts (camelCase, like
 * the operation functions): an operation function named like one of them gets a numbered name instead.
 * test/generator/emit/operation-functions.test.ts checks this list against every generated provider.
 */
export function surfaceValueNames(pascal: string): readonly string[] {
  return [
    "definition",
    `create${pascal}Client`,
    `create${pascal}Core`,
    "errorsDefinition",
    `is${pascal}Error`,
    `normalize${pascal}Error`,
    "pinnedVersion",
    "versionsDefinition",
    "webhookEventTypes",
    "webhooksDefinition",
    `create${pascal}WebhookRouter`,
    "verifyWebhook",
  ];
}

/**
 * The standalone function of each operation: its params type's stem in camelCase (customersCreate for
 * CustomersCreateParams), unique among the provider's exports because the stems are, and numbered
 * (customersCreate_2) should one meet a name another file exports.
 */
export function operationFunctionNames(model: SpecModel): ReadonlyMap<OperationModel, string> {
  const used = new Set(surfaceValueNames(model.names.pascal));
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

/** A PascalCase stem with its first letter lower-cased (CustomersCreate -> customersCreate), when that is one letter still. */
function lowerFirst(stem: string): string {
  const [first = "", ...rest] = stem;
  const lowered = first.toLowerCase();
  return ([...lowered].length === 1 && isIdentifierStartChar(lowered) ? lowered : first) + rest.join("");
}

function resourceFile(model: SpecModel, group: GroupModel, ctx: EmitContext, functions: ReadonlyMap<OperationModel, string>): string {
  const ops = group.operations;
  const usesPath = ops.some((op) => op.params.some((p) => p.in === "path"));
  const paginates = ops.some((op) => op.definition.pagination !== undefined);
  const plain = ops.some((op) => op.definition.pagination === undefined);
  const values = [...(usesPath ? ["encodePath"] : []), ...(paginates ? ["paginate"] : [])];
  const types = [
    ...(plain ? ["ApiPromise"] : []),
    ...(paginates ? ["ItemsAt"] : []),
    "OperationDefinition",
    ...(paginates ? ["Paginated"] : []),
    "RequestOptions",
    "TypedResponse",
  ];
  const core = `${model.names.pascal}Core`;
  const out: string[] = [header(model, ctx)];
  if (values.length > 0) out.push(`import { ${values.join(", ")} } from ${stringLiteral(ctx.runtimeImport)};\n`);
  out.push(`import type { ${types.join(", ")} } from ${stringLiteral(ctx.runtimeImport)};\n`);
  out.push(`import type { ${core} } from "../client.js";\n`);
  const declarations = ops.map((op) => [paramsInterface(op), responseType(op)].join("")).join("");
  if (declarations.includes(`${TYPES_NAMESPACE}.`)) out.push(`import type * as ${TYPES_NAMESPACE} from "../types.js";\n`);
  out.push("\n", declarations);
  // One descriptor per operation, read only by that operation's function: a bundler drops the
  // descriptor and the function together when the application does not call them.
  const used = new Set([...functions.values(), group.className, TYPES_NAMESPACE, core, ...values]);
  for (const op of ops) {
    let descriptor = `${functions.get(op)!}Operation`;
    for (let n = 2; used.has(descriptor); n++) descriptor = `${functions.get(op)!}Operation_${n}`;
    used.add(descriptor);
    out.push(operationFunction(op, functions.get(op)!, descriptor, core), "\n");
  }
  out.push(doc([`Operations of the ${group.name} group; each method is the function it names, bound to the client.`]));
  out.push(`export class ${group.className} {\nreadonly #core: ${core};\n\nconstructor(core: ${core}) {\nthis.#core = core;\n}\n`);
  for (const op of ops) out.push("\n", method(op, functions.get(op)!));
  out.push("}\n");
  return out.join("");
}

function hasParams(op: OperationModel): boolean {
  return op.params.length > 0 || op.body !== undefined;
}

function paramsRequired(op: OperationModel): boolean {
  return op.params.some((p) => p.required) || op.body?.required === true;
}

function paramsInterface(op: OperationModel): string {
  if (!hasParams(op)) return "";
  const members = op.params.map(
    (p) =>
      `${doc([p.description, `${p.in} parameter \`${p.name}\`.`], p.deprecated === true)}readonly ${propertyKey(p.property)}${p.required ? "" : "?"}: ${p.type};\n`,
  );
  if (op.body)
    members.push(
      `${doc([`Request body, sent as ${op.body.encoding === "raw" ? `is (${op.body.contentType})` : op.body.encoding}.`])}readonly body${op.body.required ? "" : "?"}: ${op.body.type};\n`,
    );
  return `${doc([`Parameters of ${op.httpMethod} ${op.path}.`])}export interface ${op.paramsType} {\n${members.join("")}}\n\n`;
}

function responseType(op: OperationModel): string {
  const members =
    op.responses.length === 0
      ? ["TypedResponse<number, unknown>"]
      : op.responses.map((r) => `TypedResponse<${/^\d+$/.test(r.status) ? r.status : "number"}, ${r.type}>`);
  const described = op.responses
    .filter((r) => r.description !== undefined)
    .map((r) => `- ${r.status}: ${r.description!.replace(/\s+/g, " ")}`);
  return `${doc([`Answers of ${op.httpMethod} ${op.path}.`, described.length > 0 ? described.join("\n") : undefined])}export type ${op.responseType} = ${members.join(" | ")};\n\n`;
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

/** The parameter list, the docs and the return type a method and its function share. */
function signature(op: OperationModel): { parameters: string[]; docs: string; returnType: string } {
  const parameters = hasParams(op)
    ? [`params: ${op.paramsType}${paramsRequired(op) ? "" : " = {}"}`, "options?: RequestOptions"]
    : ["options?: RequestOptions"];
  // What awaiting or iterating the result does is said once, on ApiPromise and Paginated.
  const docs = doc([op.summary, op.description, `\`${op.httpMethod} ${op.path}\``], op.deprecated);
  const paginated = op.definition.pagination !== undefined;
  const returnType = paginated ? `Paginated<${itemType(op)}, ${op.responseType}>` : `ApiPromise<${op.responseType}>`;
  return { parameters, docs, returnType };
}

/** The operation's descriptor and its standalone function: `customersCreate(stripe, params, options)`. */
function operationFunction(op: OperationModel, name: string, descriptor: string, core: string): string {
  const call = [`path: ${pathExpression(op)}`];
  const query = recordOf(op, "query");
  const headers = recordOf(op, "header");
  if (query) call.push(`query: ${query}`);
  if (headers) call.push(`headers: ${headers}`);
  if (op.body) call.push("body: params.body");
  const { parameters, docs, returnType } = signature(op);
  const statement =
    op.definition.pagination !== undefined
      ? `return paginate(client, ${descriptor}, { ${call.join(", ")} }, options);`
      : `return client.call(${descriptor}, { ${call.join(", ")} }, options);`;
  return (
    `const ${descriptor} = ${literal(op.definition)} satisfies OperationDefinition;\n\n` +
    `${docs}export function ${name}(${[`client: ${core}`, ...parameters].join(", ")}): ${returnType} {\n${statement}\n}\n`
  );
}

/**
 * A resource method: the operation's function, called with the resource's client. Its docs are the
 * summary and a link to the function, which carries the description (written once, not twice).
 */
function method(op: OperationModel, name: string): string {
  const { parameters, returnType } = signature(op);
  const docs = doc([op.summary, `\`${op.httpMethod} ${op.path}\`: {@link ${name}}`], op.deprecated);
  const args = ["this.#core", ...(hasParams(op) ? ["params"] : []), "options"];
  return `${docs}${propertyKey(op.method)}(${parameters.join(", ")}): ${returnType} {\nreturn ${name}(${args.join(", ")});\n}\n`;
}
