/**
 * OpenAPI 3.0 / 3.1 documents to operation sources: the `paths` walked in order, path-level and
 * operation-level parameters merged, `$ref`ed parameters, request bodies and responses followed, the
 * import's filters and overrides applied. Nothing here throws on a malformed document: every problem
 * is a message with the JSON pointer it is about, and the operation or parameter it concerns is left
 * out (or typed `unknown`), never guessed.
 */
import type { OpenAPIV3, OpenAPIV3_1 } from "openapi-types";
import type { ArrayStyle, HttpMethod } from "@switchboard/runtime/contract";
import type { ImportedDocument } from "../documents.js";
import { parsePointer, toPointer, valueAt, type SchemaDocument, type SchemaPath } from "../schema-to-ts/index.js";
import { compareCodePoints } from "../../common/sort.js";
import type { SpecOperationsImportFilter, SpecOperationsImport } from "../../validate/spec-types.js";
import { operationGroup } from "../../common/operation-names.js";
import type { LocatedSchema, OperationSource, ParameterSource, ResponseSource } from "./sources.js";
import { streamSource } from "./stream.js";
import { DEFAULTS } from "../../common/defaults.js";

/** The operation keys of a path item (and of a 3.1 `webhooks` entry), in the specification's order. */
export const OPENAPI_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface OpenApiProblem {
  /** Pointer into the document. */
  readonly path: SchemaPath;
  readonly message: string;
  readonly severity: "error" | "warning";
}

export interface OpenApiOperations {
  readonly operations: OperationSource[];
  readonly problems: OpenApiProblem[];
  /** Override keys that name no operation of the document (after filtering). */
  readonly unusedOverrides: string[];
  readonly version?: string;
}

type Dict = { readonly [key: string]: unknown };
const dict = (value: unknown): Dict | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Dict) : undefined;

/**
 * An object of the document read as an OpenAPI `T` (3.0 or 3.1, from openapi-types): the field names
 * are the specification's, so a misspelt one does not compile, but every value is `unknown` until
 * checked, because nothing in an imported document can be trusted to have the declared shape.
 */
type Unchecked<T> = { readonly [K in keyof T]?: unknown };
const object = <T>(value: unknown): Unchecked<T> | undefined => dict(value) as Unchecked<T> | undefined;

type DocumentObject = OpenAPIV3.Document & OpenAPIV3_1.Document;
type PathItemObject = OpenAPIV3.PathItemObject & OpenAPIV3_1.PathItemObject;
type OperationObject = OpenAPIV3.OperationObject & OpenAPIV3_1.OperationObject;
type ParameterObject = OpenAPIV3.ParameterObject & OpenAPIV3_1.ParameterObject;
type RequestBodyObject = OpenAPIV3.RequestBodyObject & OpenAPIV3_1.RequestBodyObject;
type ResponseObject = OpenAPIV3.ResponseObject & OpenAPIV3_1.ResponseObject;
const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);

/** A path pattern as a regular expression: `*` within a segment, `**` across segments. */
function pathPattern(pattern: string): RegExp {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

/** The include/exclude filter of an operations import as a predicate; undefined when there is no filter. */
export function matcher(
  filter: SpecOperationsImportFilter | undefined,
): ((op: { id?: string; tags: string[]; path: string }) => boolean) | undefined {
  if (filter === undefined) return undefined;
  const tags = new Set(filter.tags ?? []);
  const ids = new Set(filter.operationIds ?? []);
  const paths = (filter.paths ?? []).map(pathPattern);
  return (op) => op.tags.some((t) => tags.has(t)) || (op.id !== undefined && ids.has(op.id)) || paths.some((p) => p.test(op.path));
}

/** Follows `$ref`s to components (`#/...` only), at most 32 deep; the final path and value. */
export function deref<T>(
  document: SchemaDocument,
  path: SchemaPath,
  problems: OpenApiProblem[],
): { path: SchemaPath; value: Unchecked<T> & { readonly $ref?: unknown } } | undefined {
  let current = path;
  for (let hops = 0; hops < 32; hops++) {
    const value = dict(valueAt(document.root, current));
    if (value === undefined) {
      problems.push({ path: current, message: "is not an object; it is left out", severity: "warning" });
      return undefined;
    }
    const ref = value["$ref"];
    if (ref === undefined) return { path: current, value: value as Unchecked<T> };
    const target = typeof ref === "string" && ref.startsWith("#") ? parsePointer(ref.slice(1)) : undefined;
    if (target === undefined || valueAt(document.root, target) === undefined) {
      problems.push({
        path: [...current, "$ref"],
        message: `cannot resolve $ref ${JSON.stringify(ref)}; what it names is left out`,
        severity: "warning",
      });
      return undefined;
    }
    current = target;
  }
  problems.push({ path: current, message: "$ref chain longer than 32; it is left out", severity: "warning" });
  return undefined;
}

const JSON_MEDIA = /^application\/(.+\+)?json(\s*;|$)/i;

/** The media type to read: application/json first, then any other JSON type, in sorted order. */
export function jsonMediaType(content: Dict): string | undefined {
  const types = Object.keys(content).sort(compareCodePoints);
  return types.find((t) => t.toLowerCase() === "application/json") ?? types.find((t) => JSON_MEDIA.test(t));
}

/** OpenAPI's style/explode for a query array, as the runtime writes it. */
function arrayStyle(param: Unchecked<ParameterObject>): ArrayStyle | undefined {
  const style = param["style"];
  const explode = param["explode"];
  if (style === undefined && explode === undefined) return undefined;
  if (style === undefined || style === "form") return explode === false ? "comma" : "repeat";
  return undefined;
}

export function readOpenApiOperations(
  imported: ImportedDocument,
  spec: SpecOperationsImport,
  specPath: readonly (string | number)[],
): OpenApiOperations {
  const problems: OpenApiProblem[] = [];
  const root = object<DocumentObject>(imported.root);
  if (root === undefined) {
    problems.push({ path: [], message: "is not an OpenAPI document (not an object)", severity: "error" });
    return { operations: [], problems, unusedOverrides: [] };
  }
  const version = typeof root["openapi"] === "string" ? root["openapi"] : undefined;
  if (version === undefined || !/^3\.[01]\./.test(version)) {
    const swagger = dict(root)!["swagger"];
    const found = swagger !== undefined ? `Swagger ${String(swagger)}` : version !== undefined ? `openapi ${version}` : "no openapi field";
    problems.push({ path: [], message: `is not an OpenAPI 3.0 or 3.1 document (${found})`, severity: "error" });
    return { operations: [], problems, unusedOverrides: [] };
  }
  const paths = root["paths"] === undefined ? {} : dict(root["paths"]);
  if (paths === undefined) {
    problems.push({ path: ["paths"], message: "is not an object", severity: "error" });
    return { operations: [], problems, unusedOverrides: [] };
  }
  const document: SchemaDocument = { id: spec.from, root };
  const include = matcher(spec.include);
  const exclude = matcher(spec.exclude);
  const groupBy = spec.groupBy ?? DEFAULTS.operations.importGroupBy;
  const overrides = spec.overrides ?? {};
  const usedOverrides = new Set<string>();
  const operations: OperationSource[] = [];

  for (const path of Object.keys(paths).sort(compareCodePoints)) {
    if (!path.startsWith("/")) {
      problems.push({ path: ["paths", path], message: "a path must start with '/'; it is left out", severity: "warning" });
      continue;
    }
    const item = deref<PathItemObject>(document, ["paths", path], problems);
    if (item === undefined) continue;
    const shared = Array.isArray(item.value["parameters"]) ? (item.value["parameters"] as unknown[]) : [];
    for (const method of OPENAPI_METHODS) {
      if (item.value[method] === undefined) continue;
      const opPath: SchemaPath = [...item.path, method];
      const op = object<OperationObject>(item.value[method]);
      if (op === undefined) {
        problems.push({ path: opPath, message: "is not an operation object; it is left out", severity: "warning" });
        continue;
      }
      const operationId = text(op["operationId"]);
      const tags = Array.isArray(op["tags"]) ? op["tags"].filter((t): t is string => typeof t === "string") : [];
      const probe = { ...(operationId !== undefined && { id: operationId }), tags, path };
      if (include && !include(probe)) continue;
      if (exclude?.(probe)) continue;
      const httpMethod = method.toUpperCase() as HttpMethod;
      const id = operationId ?? `${httpMethod} ${path}`;
      // The path the client sends: the document's, with the import's rebase applied.
      const from = spec.rebase?.from ?? "";
      if (spec.rebase !== undefined && !path.startsWith(from)) {
        problems.push({
          path: ["paths", path],
          message: `does not start with rebase.from ${JSON.stringify(from)}; operation ${id} is left out`,
          severity: "warning",
        });
        continue;
      }
      const wirePath = spec.rebase === undefined ? path : `${spec.rebase.to}${path.slice(from.length)}`;
      const override = Object.hasOwn(overrides, id) ? overrides[id] : undefined;
      if (override !== undefined) usedOverrides.add(id);

      const skip = (message: string, at: SchemaPath) => {
        problems.push({ path: at, message: `${message}; operation ${id} is left out`, severity: "warning" });
      };

      // Parameters: the operation's replace the path item's of the same name and location.
      const params = new Map<string, ParameterSource>();
      const readParams = (list: unknown[], base: SchemaPath) => {
        list.forEach((_, i) => {
          const resolved = deref<ParameterObject>(document, [...base, i], problems);
          if (resolved === undefined) return;
          const p = resolved.value;
          const name = text(p["name"]);
          const where = p["in"];
          if (name === undefined || typeof where !== "string") {
            problems.push({ path: resolved.path, message: "a parameter needs a name and an in; it is left out", severity: "warning" });
            return;
          }
          if (where === "cookie") {
            problems.push({
              path: resolved.path,
              message: "cookie parameters are not sent by the client; it is left out",
              severity: "warning",
            });
            return;
          }
          if (where !== "path" && where !== "query" && where !== "header") {
            problems.push({
              path: [...resolved.path, "in"],
              message: `unknown parameter location ${JSON.stringify(where)}; it is left out`,
              severity: "warning",
            });
            return;
          }
          let schema: LocatedSchema | undefined;
          if (p["schema"] !== undefined) schema = { schema: p["schema"], location: { document, path: [...resolved.path, "schema"] } };
          else {
            const content = dict(p["content"]);
            const media = content && jsonMediaType(content);
            if (media !== undefined)
              schema = {
                schema: valueAt(p, ["content", media, "schema"]),
                location: { document, path: [...resolved.path, "content", media, "schema"] },
              };
          }
          const style = where === "query" ? arrayStyle(p) : undefined;
          const description = text(p["description"]);
          params.set(`${where}\u0000${name}`, {
            name,
            in: where,
            required: where === "path" || p["required"] === true,
            ...(description !== undefined && { description }),
            ...(p["deprecated"] === true && { deprecated: true }),
            ...(schema !== undefined && { schema }),
            ...(style !== undefined && { style }),
          });
        });
      };
      readParams(shared, [...item.path, "parameters"]);
      if (Array.isArray(op["parameters"])) readParams(op["parameters"], [...opPath, "parameters"]);

      let body: OperationSource["body"];
      if (op["requestBody"] !== undefined) {
        const resolved = deref<RequestBodyObject>(document, [...opPath, "requestBody"], problems);
        if (resolved === undefined) {
          skip("its request body cannot be read", [...opPath, "requestBody"]);
          continue;
        }
        const content = dict(resolved.value["content"]) ?? {};
        const types = Object.keys(content).sort(compareCodePoints);
        const json = jsonMediaType(content);
        const form = types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t));
        const multipart = types.find((t) => /^multipart\/form-data\b/i.test(t));
        const media = json ?? form ?? multipart;
        if (media === undefined) {
          if (types.length === 0) {
            skip("its request body has no media type", [...resolved.path, "content"]);
            continue;
          }
          // Any other media type (text/plain, application/octet-stream) is sent as given: text or bytes.
          body = { encoding: "raw", required: resolved.value["required"] === true, contentType: types[0]! };
        } else {
          const schemaPath = [...resolved.path, "content", media, "schema"];
          const schemaValue = valueAt(root, schemaPath);
          body = {
            encoding: media === json ? "json" : media === form ? "form" : "multipart",
            required: resolved.value["required"] === true,
            // A JSON media type of the provider's own (JSON:API's application/vnd.api+json) is sent as declared.
            ...(media === json && !/^application\/json\s*(;|$)/i.test(json) && { contentType: json }),
            ...(schemaValue !== undefined && { schema: { schema: schemaValue, location: { document, path: schemaPath } } }),
          };
        }
      }

      const responses: ResponseSource[] = [];
      const declared = dict(op["responses"]) ?? {};
      for (const status of Object.keys(declared).sort(compareCodePoints)) {
        if (!/^2(\d\d|XX)$/i.test(status)) continue;
        const resolved = deref<ResponseObject>(document, [...opPath, "responses", status], problems);
        if (resolved === undefined) {
          responses.push({ status: status.toUpperCase(), empty: false });
          continue;
        }
        const description = text(resolved.value["description"]);
        const content = dict(resolved.value["content"]);
        const types = content ? Object.keys(content) : [];
        const base = { status: status.toUpperCase(), ...(description !== undefined && { description }) };
        if (types.length === 0) {
          responses.push({ ...base, empty: true });
          continue;
        }
        const media = jsonMediaType(content!);
        if (media === undefined) {
          responses.push({ ...base, empty: false, text: types.every((t) => /^text\//i.test(t)) });
          continue;
        }
        const schemaPath = [...resolved.path, "content", media, "schema"];
        const schemaValue = valueAt(root, schemaPath);
        responses.push({
          ...base,
          empty: false,
          ...(schemaValue !== undefined && { schema: { schema: schemaValue, location: { document, path: schemaPath } } }),
        });
      }

      if (override?.batch !== undefined && body?.encoding !== "json" && body?.encoding !== "form")
        problems.push({
          path: [...opPath, "requestBody"],
          message: `operation ${id} has an override with batch but no json or form request body whose array it could split`,
          severity: "error",
        });

      const rule = spec.pagination;
      const ruled =
        rule !== undefined && [...params.values()].some((p) => p.in === "query" && p.name === rule.whenQueryParam)
          ? rule.pagination.items !== undefined
            ? rule.pagination
            : { ...rule.pagination, items: inferItems(document, responses) }
          : undefined;
      const pagination = override?.pagination ?? ruled;
      // The operation's own server: an absolute http(s) URL without variables; anything else is left to the environment.
      const servers = Array.isArray(op["servers"]) ? op["servers"] : [];
      const server = text(dict(servers[0])?.["url"]);
      const baseUrl = server !== undefined && /^https?:\/\/[^{}\s]+$/.test(server) ? server.replace(/\/+$/, "") : undefined;
      if (server !== undefined && baseUrl === undefined)
        problems.push({
          path: [...opPath, "servers", 0, "url"],
          message: `server ${JSON.stringify(server)} is not an absolute URL without variables; the environment's is used`,
          severity: "warning",
        });
      const summary = text(op["summary"]);
      const description = text(op["description"]);
      const [derivedGroup, derivedName] = groupAndName(groupBy, operationId, tags, path, httpMethod);
      const group = override?.group ?? derivedGroup;
      const name = override?.name ?? derivedName;
      operations.push({
        id: readableId(id, group, override?.name),
        origin: "import",
        method: httpMethod,
        path: wirePath,
        group,
        name,
        ...(summary !== undefined && { summary }),
        ...(description !== undefined && { description }),
        deprecated: op["deprecated"] === true,
        params: [...params.values()],
        ...(body !== undefined && { body }),
        ...(baseUrl !== undefined && { baseUrl }),
        responses,
        ...(override?.buckets !== undefined && { buckets: override.buckets }),
        ...(override?.idempotent !== undefined && { idempotent: override.idempotent }),
        ...(override?.auth !== undefined && { auth: override.auth }),
        ...(override?.timeout !== undefined && { timeout: override.timeout }),
        ...(pagination !== undefined && { pagination }),
        ...(override?.batch !== undefined && { batch: override.batch }),
        // An override's event schemas are read in the imported document: $ref: '#/components/schemas/...'.
        ...(override?.stream !== undefined && {
          stream: streamSource(override.stream, { document, path: [...opPath, "x-switchboard-stream"] }),
        }),
        specPath: override !== undefined ? [...specPath, "overrides", id] : [...specPath, "from"],
        documentPointer: `${spec.from}#${toPointer(opPath)}`,
      });
    }
  }
  const unusedOverrides = Object.keys(overrides).filter((key) => !usedOverrides.has(key));
  const info = valueAt(root, ["info", "version"]);
  return { operations, problems, unusedOverrides, ...(typeof info === "string" && { version: info }) };
}

/**
 * Where a list operation's items are, from its first success response's schema: `$` when the body is
 * an array, `$.<name>` when it is an object with exactly one array property (GitHub's
 * `{ total_count, workflow_runs: [...] }`), else `$` (which finds no items on an object: iteration
 * stops after the first page rather than guess).
 */
function inferItems(document: SchemaDocument, responses: readonly ResponseSource[]): string {
  // Problems of these schemas are the converter's to report; here an unreadable one just infers nothing.
  const resolve = (path: SchemaPath) => deref<{ type: unknown; properties: unknown }>(document, path, []);
  const isArray = (schema: { readonly type?: unknown } | undefined) =>
    schema !== undefined && (schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array")));
  const located = responses.find((r) => r.schema !== undefined)?.schema;
  const body = located === undefined ? undefined : resolve(located.location.path);
  if (body === undefined || isArray(body.value)) return "$";
  const properties = dict(body.value.properties) ?? {};
  const arrays = Object.keys(properties).filter((key) => isArray(resolve([...body.path, "properties", key])?.value));
  return arrays.length === 1 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(arrays[0]!) ? `$.${arrays[0]}` : "$";
}

/** An operationId that only spells the method and path: SendGrid's `POST_mail-send`, or none (`GET /path`). */
const METHOD_PATH_ID = /^(get|put|post|delete|options|head|patch|trace)[_ ]/i;

/**
 * The operation's id in the client (events, errors, the mock's log): an id that only spells the method
 * and path becomes `group.name` when the import names the operation (`POST_mail-send` -> `mail.send`),
 * the form inline operations have. The spec's overrides and include lists keep the document's ids.
 */
function readableId(id: string, group: string, overriddenName: string | undefined): string {
  return overriddenName !== undefined && METHOD_PATH_ID.test(id) ? `${group}.${overriddenName}` : id;
}

/**
 * The group and method name of an imported operation. `repos/get` is repos.get; an operationId
 * without '/' is the method name in the group of the first tag (or the path); without an operationId
 * the method is named after the HTTP method and the path's last static segment.
 */
function groupAndName(
  groupBy: "operationId" | "tag" | "path",
  operationId: string | undefined,
  tags: readonly string[],
  path: string,
  method: HttpMethod,
): [string, string] {
  const byPath = operationGroup({ path });
  const fallback = tags[0] ?? byPath;
  let group = groupBy === "path" ? byPath : fallback;
  let name: string;
  if (operationId !== undefined) {
    const slash = operationId.indexOf("/");
    if (slash > 0 && slash < operationId.length - 1) {
      if (groupBy === "operationId") group = operationId.slice(0, slash);
      name = operationId.slice(slash + 1);
    } else name = operationId;
  } else {
    const segments = path.split("/").filter((s) => s !== "" && !s.includes("{"));
    name = `${method.toLowerCase()} ${segments[segments.length - 1] ?? "root"}`;
  }
  return [group, name];
}
