/**
 * Resource emitter: resources/<group>.ts, one class per group and one thin method per operation, with
 * each operation's params interface and response type. types.ts: the named types the operations'
 * schemas refer to, imported by resources as the namespace `types` (their names come from schemas, so
 * they can never collide with a params or response type).
 *
 * Written as text, which prettier formats. Building these through ts-morph structures is issue #13's
 * "one way to emit code", not done yet; the cost it was once avoided for (seconds for GitHub's 1,200
 * operations) came from adding one statement at a time, not from structures added in one batch per file.
 */
import { propertyKey, stringLiteral, templatePart } from "../common/escape.js";
import type { GroupModel, OperationModel, SpecModel } from "../model/ir.js";
import { API_VERSION_PLACEHOLDER } from "../common/operation-names.js";
import { TYPES_NAMESPACE } from "../model/operations/index.js";
import { docComment } from "../model/schema-to-ts/type-text.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { entry, literal } from "./literal.js";
import { header } from "./source-file.js";

export const TYPES_FILE = "types.ts";

export function emitResources(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const files = model.groups.map((group) => ({ path: `resources/${group.fileName}.ts`, text: resourceFile(model, group, ctx) }));
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

function resourceFile(model: SpecModel, group: GroupModel, ctx: EmitContext): string {
  const ops = group.operations;
  const usesPath = ops.some((op) => op.params.some((p) => p.in === "path"));
  const paginates = ops.some((op) => op.definition.pagination !== undefined);
  const streams = ops.some((op) => op.stream !== undefined);
  const plain = ops.some((op) => op.definition.pagination === undefined && op.stream === undefined);
  const values = usesPath ? ["encodePath"] : [];
  const types = [
    ...(plain ? ["ApiPromise"] : []),
    "ClientCore",
    ...(streams ? ["EventStream"] : []),
    ...(paginates ? ["ItemsAt"] : []),
    "OperationDefinition",
    ...(paginates ? ["Paginated"] : []),
    "RequestOptions",
    ...(streams ? ["StreamEvent"] : []),
    ...(ops.some((op) => op.stream === undefined) ? ["TypedResponse"] : []),
  ];
  const out: string[] = [header(model, ctx)];
  if (values.length > 0) out.push(`import { ${values.join(", ")} } from ${stringLiteral(ctx.runtimeImport)};\n`);
  out.push(`import type { ${types.join(", ")} } from ${stringLiteral(ctx.runtimeImport)};\n`);
  const body = ops.map((op) => [paramsInterface(op), op.stream ? streamEventType(op) : responseType(op)].join("")).join("");
  if (body.includes(`${TYPES_NAMESPACE}.`)) out.push(`import type * as ${TYPES_NAMESPACE} from "../types.js";\n`);
  out.push("\n", body);
  out.push(
    `const operations = { ${ops.map((op) => entry(op.method, literal(op.definition))).join(", ")} } satisfies Record<string, OperationDefinition>;\n\n`,
  );
  out.push(doc([`Operations of the ${group.name} group.`]));
  out.push(`export class ${group.className} {\nreadonly #core: ClientCore;\n\nconstructor(core: ClientCore) {\nthis.#core = core;\n}\n`);
  for (const op of ops) out.push("\n", method(op));
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

/** A streamed operation's events: one `StreamEvent<name, data>` per declared event. */
function streamEventType(op: OperationModel): string {
  const events = op.stream!.events;
  const members = events === undefined ? ["StreamEvent"] : events.map((e) => `StreamEvent<${stringLiteral(e.name)}, ${e.type}>`);
  const described = (events ?? [])
    .filter((e) => e.description !== undefined)
    .map((e) => `- ${e.name}: ${e.description!.replace(/\s+/g, " ")}`);
  return `${doc([`Events of the stream ${op.httpMethod} ${op.path} answers with.`, described.length > 0 ? described.join("\n") : undefined])}export type ${op.stream!.typeName} = ${members.length === 0 ? "never" : members.join(" | ")};\n\n`;
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

function method(op: OperationModel): string {
  const call = [`path: ${pathExpression(op)}`];
  const query = recordOf(op, "query");
  const headers = recordOf(op, "header");
  if (query) call.push(`query: ${query}`);
  if (headers) call.push(`headers: ${headers}`);
  if (op.body) call.push("body: params.body");
  const parameters = hasParams(op)
    ? [`params: ${op.paramsType}${paramsRequired(op) ? "" : " = {}"}`, "options?: RequestOptions"]
    : ["options?: RequestOptions"];
  const definition = `operations${propertyKey(op.method) === op.method ? `.${op.method}` : `[${stringLiteral(op.method)}]`}`;
  const paginated = op.definition.pagination !== undefined;
  // What awaiting or iterating the result does is said once, on ApiPromise and Paginated.
  const docs = doc([op.summary, op.description, `\`${op.httpMethod} ${op.path}\``], op.deprecated);
  const returnType = op.stream
    ? `EventStream<${op.stream.typeName}>`
    : paginated
      ? `Paginated<${itemType(op)}, ${op.responseType}>`
      : `ApiPromise<${op.responseType}>`;
  const entry = op.stream ? "stream" : paginated ? "paginate" : "call";
  const statement = `return this.#core.${entry}(${definition}, { ${call.join(", ")} }, options);`;
  return `${docs}${propertyKey(op.method)}(${parameters.join(", ")}): ${returnType} {\n${statement}\n}\n`;
}
