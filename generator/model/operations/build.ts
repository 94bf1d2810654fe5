/**
 * Operation sources to the IR's groups: names made into identifiers (collisions numbered, in id
 * order, so the result never depends on the document's key order), parameters ordered, the runtime's
 * operation definition built, and every schema converted to type text by one converter whose
 * declarations become types.ts.
 */
import type {
  ArrayStyle,
  CursorSource,
  HttpMethod,
  OperationDefinition,
  PaginationDefinition,
  RequestValueLocation,
  StreamDefinition,
} from "@switchboard/runtime/contract";
import type { GroupModel, OperationModel, ParameterModel, PayloadDeclaration, ResponseModel } from "../ir.js";
import { parseDuration } from "../../common/duration.js";
import { parseJsonPath } from "../../common/json-path.js";
import { fileName, memberName } from "../../common/names.js";
import {
  paramsTypeName,
  pathPlaceholders,
  resourceClassName,
  responseTypeName,
  streamEventTypeName,
  API_VERSION_PLACEHOLDER,
  groupLevels,
} from "../../common/operation-names.js";
import { arrayOf, STRING, UNDEFINED, UNKNOWN, type ConversionResult, type SchemaConverter, type TypeNode } from "../schema-to-ts/index.js";
import { compareCodePoints, sortBy } from "../../common/sort.js";
import type { SpecCursorSource, SpecPagination, SpecRequestValueLocation, SpecStream } from "../../validate/spec-types.js";
import type { OperationSource } from "./sources.js";
import { DEFAULTS, RUNTIME_DEFAULTS } from "../../common/defaults.js";

/** Namespace resource files import types.ts as; declarations are `types.<Name>` there. */
export const TYPES_NAMESPACE = "types";

/** Methods the runtime retries whatever the spec says (runtime/policies/retry.ts). */
const IDEMPOTENT: readonly HttpMethod[] = RUNTIME_DEFAULTS.idempotentMethods;

/** Types of parameters and bodies the source gives no schema for: what the wire can carry. */
const UNTYPED = {
  path: "string | number",
  query: "string | number | boolean | readonly (string | number | boolean)[]",
  header: "string",
  body: "Readonly<Record<string, unknown>>",
} as const;

/**
 * A range filter's comparison suffix as a word, the way the provider's own SDKs name it: Twilio's query
 * parameters DateSent< and DateSent> are dateSentBefore and dateSentAfter (twilio-node), not dateSent_2.
 */
function comparisonWords(name: string): string {
  return name.replace(/<=?$/, " before").replace(/>=?$/, " after");
}

function unique(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

/** The spec's pagination as the runtime reads it; semantics has checked each style has its fields. */
export function paginationDefinition(p: SpecPagination): PaginationDefinition {
  const items = parseJsonPath(p.items ?? DEFAULTS.operations.paginationItems);
  switch (p.style) {
    case "cursor":
      return {
        style: "cursor",
        items,
        param: valueLocation(p.param!),
        cursor: cursorSource(p.cursor!),
        ...(p.hasMore !== undefined && { hasMore: parseJsonPath(p.hasMore) }),
        ...(p.backward !== undefined && {
          backward: {
            param: valueLocation(p.backward.param),
            cursor: cursorSource(p.backward.cursor),
            ...(p.backward.hasMore !== undefined && { hasMore: parseJsonPath(p.backward.hasMore) }),
          },
        }),
      };
    case "linkHeader":
      return { style: "linkHeader", items };
    case "nextUrl":
      return { style: "nextUrl", items, next: parseJsonPath(p.next!) };
    case "page":
      return {
        style: "page",
        items,
        param: valueLocation(p.param!),
        start: p.start ?? DEFAULTS.operations.pageStart,
        ...(p.sizeParam !== undefined && { sizeParam: p.sizeParam }),
      };
    case "offset":
      return { style: "offset", items, param: valueLocation(p.param!), ...(p.sizeParam !== undefined && { sizeParam: p.sizeParam }) };
  }
}

/** The spec's stream as the runtime reads it: JSON paths parsed, event names sorted. */
export function streamDefinition(s: SpecStream): StreamDefinition {
  return {
    format: s.format,
    ...(s.events !== undefined && { events: Object.keys(s.events).sort(compareCodePoints) }),
    ...(s.eventType !== undefined && { eventType: parseJsonPath(s.eventType) }),
    ...(s.data !== undefined && s.data !== RUNTIME_DEFAULTS.streamData && { data: s.data }),
    ...(s.done !== undefined && {
      done: { ...(s.done.event !== undefined && { event: s.done.event }), ...(s.done.data !== undefined && { data: s.done.data }) },
    }),
    ...(s.errors !== undefined && {
      errors: s.errors.map((e) => ({
        ...(e.event !== undefined && { event: e.event }),
        ...(e.has !== undefined && { has: parseJsonPath(e.has) }),
        ...(e.status !== undefined && { status: e.status }),
      })),
    }),
    ...(s.maxLineLength !== undefined && { maxLineLength: s.maxLineLength }),
  };
}

/** A query parameter stays a plain name (as before locations existed); body paths are parsed. */
function valueLocation(location: SpecRequestValueLocation): RequestValueLocation {
  if (typeof location === "string") return location;
  if (location.query !== undefined) return location.query;
  if (location.header !== undefined) return { header: location.header };
  if (location.form !== undefined) return { form: location.form };
  return { body: parseJsonPath(location.body!) };
}

function cursorSource(source: SpecCursorSource): CursorSource {
  if (source.body !== undefined) return { body: parseJsonPath(source.body) };
  if (source.firstItem !== undefined) return { firstItem: parseJsonPath(source.firstItem) };
  return { lastItem: parseJsonPath(source.lastItem!) };
}

/**
 * A parameter's type: an array type is taken as `readonly`, so that a caller's readonly array (a
 * constant list of labels) is accepted; the client only reads it.
 */
function parameterType(type: TypeNode): TypeNode {
  return type.kind === "array" ? arrayOf(type.item, true) : type;
}

/** What a raw body is given as: text for text media types, text or bytes otherwise. */
function rawBodyType(contentType: string): string {
  return /^text\//i.test(contentType) ? "string" : "string | Uint8Array";
}

/** Pending type text of one operation, resolved after the converter has seen every schema. */
interface Pending {
  readonly source: OperationSource;
  readonly group: string;
  readonly method: string;
  readonly params: (Omit<ParameterModel, "type"> & { readonly text: TypeNode | undefined })[];
  readonly body: TypeNode | undefined;
  readonly responses: { readonly status: string; readonly text: TypeNode; readonly description?: string }[];
  readonly events: { readonly name: string; readonly text: TypeNode; readonly description?: string }[] | undefined;
}

export interface BuiltOperations {
  readonly groups: GroupModel[];
  readonly declarations: PayloadDeclaration[];
  /** Renamed methods (two operations with one name): the operation, and the name it got. */
  readonly renamed: { readonly source: OperationSource; readonly method: string }[];
  readonly warnings: ConversionResult["warnings"];
}

/** `provider` is the provider's name in PascalCase: it starts every type and class name built here. */
export function buildOperations(sources: readonly OperationSource[], converter: SchemaConverter, provider: string): BuiltOperations {
  // Method names: sources arrive inline first, then imports in document order; an inline operation
  // replaces an imported one of the same group and name, imported ones that collide are numbered in
  // id order.
  const byKey = new Map<string, OperationSource[]>();
  for (const source of sources) {
    const key = `${memberName(source.group)}\u0000${memberName(source.name)}`;
    const list = byKey.get(key) ?? [];
    list.push(source);
    byKey.set(key, list);
  }
  const chosen: { source: OperationSource; method: string }[] = [];
  const renamed: BuiltOperations["renamed"][number][] = [];
  const usedMethods = new Map<string, Set<string>>();
  for (const [key, list] of [...byKey].sort(([a], [b]) => compareCodePoints(a, b))) {
    const inline = list.filter((s) => s.origin === "inline");
    const kept = inline.length > 0 ? inline : [...list].sort((a, b) => compareCodePoints(a.id, b.id));
    const group = memberName(kept[0]!.group);
    const used = usedMethods.get(group) ?? new Set<string>();
    usedMethods.set(group, used);
    kept.forEach((source, i) => {
      const base = key.slice(key.indexOf("\u0000") + 1);
      const method = i === 0 && !used.has(base) ? base : unique(base, used);
      used.add(method);
      if (method !== base) renamed.push({ source, method });
      chosen.push({ source, method });
    });
  }

  const pending: Pending[] = chosen.map(({ source, method }) => {
    const placeholders = pathPlaceholders(source.path).filter((p) => p !== API_VERSION_PLACEHOLDER);
    // Path parameters in path order, then the others by location and name.
    const ordered = [
      ...placeholders.map((name) => source.params.find((p) => p.in === "path" && p.name === name)).filter((p) => p !== undefined),
      ...source.params
        .filter((p) => !(p.in === "path" && placeholders.includes(p.name)))
        .sort((a, b) => compareCodePoints(a.name, b.name) || compareCodePoints(a.in, b.in)),
    ];
    // A placeholder no parameter declares is an implicit required path parameter.
    for (const name of placeholders)
      if (!ordered.some((p) => p.in === "path" && p.name === name))
        ordered.splice(placeholders.indexOf(name), 0, { name, in: "path", required: true });
    const usedProperties = new Set<string>(source.body ? ["body"] : []);
    const params = ordered.map((p) => ({
      name: p.name,
      property: unique(memberName(comparisonWords(p.name)), usedProperties),
      in: p.in,
      required: p.required,
      ...(p.description !== undefined && { description: p.description }),
      ...(p.deprecated === true && { deprecated: true }),
      text:
        p.schema === undefined ? undefined : parameterType(converter.typeOf(p.schema.schema, p.schema.location, { direction: "request" })),
    }));
    const body =
      source.body?.schema === undefined
        ? undefined
        : converter.typeOf(source.body.schema.schema, source.body.schema.location, { direction: "request" });
    const responses = source.responses.map((r) => ({
      status: r.status,
      text: r.empty
        ? UNDEFINED
        : r.text
          ? STRING
          : r.schema === undefined
            ? UNKNOWN
            : converter.typeOf(r.schema.schema, r.schema.location, { direction: "response" }),
      ...(r.description !== undefined && { description: r.description }),
    }));
    const events = source.stream?.events?.map((e) => ({
      name: e.name,
      text: e.schema === undefined ? UNKNOWN : converter.typeOf(e.schema.schema, e.schema.location, { direction: "response" }),
      ...(e.description !== undefined && { description: e.description }),
    }));
    return { source, group: source.group, method, params, body, responses, events };
  });

  const result = converter.finish();
  const qualify = (name: string) => `${TYPES_NAMESPACE}.${name}`;
  const typeText = (type: TypeNode) => result.text(type, qualify);
  const operations = pending.map((p) => operationModel(p, typeText, provider));

  return { groups: groupOperations(operations, provider), declarations: declarations(result), renamed, warnings: result.warnings };
}

function declarations(result: ConversionResult): PayloadDeclaration[] {
  return result.declarations.map((d) => ({
    name: d.name,
    type: d.type,
    source: d.id,
    ...(d.description !== undefined && { description: d.description }),
    ...(d.deprecated === true && { deprecated: true }),
  }));
}

function operationModel(p: Pending, typeText: (type: TypeNode) => string, provider: string): OperationModel & { group: string } {
  const source = p.source;
  const styles = Object.fromEntries(
    p.params
      .filter((param) => param.in === "query")
      .map((param) => [param.name, source.params.find((s) => s.in === "query" && s.name === param.name)?.style] as const)
      .filter((entry): entry is readonly [string, ArrayStyle] => entry[1] !== undefined)
      .sort(([a], [b]) => compareCodePoints(a, b)),
  );
  const definition: OperationDefinition = {
    id: source.id,
    method: source.method,
    path: source.path,
    group: source.group,
    // Fields the runtime defaults are left out: a JSON body, no buckets of its own, idempotency by method.
    ...(source.body && source.body.encoding !== RUNTIME_DEFAULTS.bodyEncoding && { bodyEncoding: source.body.encoding }),
    ...(source.body?.contentType !== undefined && { contentType: source.body.contentType }),
    ...(source.baseUrl !== undefined && { baseUrl: source.baseUrl }),
    ...(Object.keys(styles).length > 0 && { queryStyles: styles }),
    ...(source.buckets !== undefined && source.buckets.length > 0 && { buckets: [...source.buckets].sort(compareCodePoints) }),
    ...(source.idempotent === true && !IDEMPOTENT.includes(source.method) && { idempotent: true }),
    ...(source.timeout !== undefined && { timeoutMs: parseDuration(source.timeout) }),
    ...(source.pagination && { pagination: paginationDefinition(source.pagination) }),
    ...(source.batch && { batch: { items: source.batch.items.slice("$.".length), max: source.batch.max } }),
    ...(source.stream && { stream: streamDefinition(source.stream.spec) }),
    ...(source.auth !== undefined && { auth: [...source.auth] }),
  };
  const params: ParameterModel[] = p.params.map(({ text, ...param }) => ({
    ...param,
    type: text === undefined ? UNTYPED[param.in] : typeText(text),
  }));
  const responses: ResponseModel[] = p.responses.map((r) => ({
    status: r.status,
    type: typeText(r.text),
    ...(r.description !== undefined && { description: r.description }),
  }));
  return {
    group: p.group,
    id: source.id,
    method: p.method,
    ...(source.summary !== undefined && { summary: source.summary }),
    ...(source.description !== undefined && { description: source.description }),
    deprecated: source.deprecated,
    httpMethod: source.method,
    path: source.path,
    params,
    ...(source.body && {
      body: {
        encoding: source.body.encoding,
        required: source.body.required,
        type:
          source.body.encoding === "raw" ? rawBodyType(source.body.contentType!) : p.body === undefined ? UNTYPED.body : typeText(p.body),
        ...(source.body.contentType !== undefined && { contentType: source.body.contentType }),
      },
    }),
    responses,
    paramsType: paramsTypeName(provider, p.group, p.method),
    responseType: responseTypeName(provider, p.group, p.method),
    ...(source.stream && {
      stream: {
        typeName: streamEventTypeName(provider, p.group, p.method),
        ...(p.events && {
          events: p.events.map((e) => ({
            name: e.name,
            type: typeText(e.text),
            ...(e.description !== undefined && { description: e.description }),
          })),
        }),
      },
    }),
    definition,
  };
}

function groupOperations(operations: readonly (OperationModel & { group: string })[], provider: string): GroupModel[] {
  // Groups that become one property (repos, Repos) are one group, named by the first in code-point order.
  // A dotted group nests ("crm.contacts" is client.crm.contacts): each level a property of its parent,
  // and every parent a group too, with operations of its own or none.
  const names = new Map<string, string>();
  const written = [...operations.map((o) => o.group)];
  for (const group of [...written]) {
    const levels = groupLevels(group);
    for (let n = 1; n < levels.length; n++) written.push(levels.slice(0, n).join("."));
  }
  for (const group of written) {
    const property = groupKey(group);
    const current = names.get(property);
    if (current === undefined || compareCodePoints(group, current) < 0) names.set(property, group);
  }
  const byGroup = new Map<string, OperationModel[]>([...names.values()].map((group) => [group, []]));
  for (const { group: written, ...op } of operations) {
    const group = names.get(groupKey(written))!;
    const list = byGroup.get(group) ?? [];
    list.push(op);
    byGroup.set(group, list);
  }
  // File names are ASCII-only, so two groups (say, two non-Latin names) can share one: number them.
  const usedFiles = new Set<string>();
  // Groups that differ as properties can still share a class name ("aB" is client.aB, "AB" is
  // client.ab, both ABResource). Semantics diagnoses it for inline operations (SB3004); numbering
  // (AB_2Resource) keeps the output compiling and deterministic for imported ones.
  const usedClasses = new Set<string>();
  // Params and response type names are exported side by side from index.ts. Numbered methods lose
  // their '_' in PascalCase (list_2 and list2 are both WidgetsList2...): number the type names too,
  // first come (groups and methods in code-point order) keeps the plain name.
  const usedTypes = new Set<string>();
  const typeNames = (op: OperationModel): OperationModel => {
    const base = op.paramsType.slice(0, -"Params".length);
    let stem = base;
    const taken = (s: string) => usedTypes.has(`${s}Params`) || usedTypes.has(`${s}Response`) || usedTypes.has(`${s}StreamEvent`);
    for (let n = 2; taken(stem); n++) stem = `${base}_${n}`;
    usedTypes.add(`${stem}Params`).add(`${stem}Response`).add(`${stem}StreamEvent`);
    if (stem === base) return op;
    return {
      ...op,
      paramsType: `${stem}Params`,
      responseType: `${stem}Response`,
      ...(op.stream && { stream: { ...op.stream, typeName: `${stem}StreamEvent` } }),
    };
  };
  const groups = [...byGroup.keys()].sort(compareCodePoints).map((group) => {
    const base = fileName(group);
    let file = base;
    for (let n = 2; usedFiles.has(file); n++) file = `${base}-${n}`;
    usedFiles.add(file);
    let className = resourceClassName(provider, group);
    const stem = className.slice(0, -"Resource".length);
    for (let n = 2; usedClasses.has(className); n++) className = `${stem}_${n}Resource`;
    usedClasses.add(className);
    const levels = groupLevels(group);
    const parent = levels.length === 1 ? undefined : names.get(groupKey(levels.slice(0, -1).join(".")))!;
    return {
      name: group,
      property: memberName(levels.at(-1)!),
      ...(parent !== undefined && { parent }),
      children: [] as GroupModel["children"][number][],
      className,
      fileName: file,
      operations: sortBy(byGroup.get(group)!, (o) => o.method).map(typeNames),
    };
  });
  for (const group of groups) {
    const parent = groups.find((g) => g.name === group.parent);
    parent?.children.push({ property: group.property, className: group.className, fileName: group.fileName });
  }
  return groups;
}

/** Groups with this key are one: their levels' property names ("crm.contacts" -> "crm.contacts"; "Repos" -> "repos"). */
function groupKey(group: string): string {
  return groupLevels(group).map(memberName).join(".");
}
