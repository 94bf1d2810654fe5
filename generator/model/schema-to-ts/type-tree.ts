/**
 * Types as a tree while the converter works, printed to text once at the end. A node is one of a few
 * kinds (a type name, a literal, a reference to a declaration, an object, array, tuple, union,
 * intersection, or an object type that may be shared); the constructors below simplify as they build
 * (a union of unions is one flat union without duplicates, `unknown` absorbs a union, `never` an
 * intersection).
 *
 * Every node carries a `key`: a string that is equal for two nodes exactly when they print the same,
 * used to drop duplicate members and to find object types written out more than once.
 */
import { docText, propertyKey, stringLiteral } from "../../common/escape.js";

/** A type TypeScript knows by name: keywords, and the globals a request body may be given as. */
export type TypeName = "string" | "number" | "boolean" | "null" | "undefined" | "unknown" | "never" | "Blob" | "Uint8Array";

export type TypeNode =
  | { readonly kind: "name"; readonly name: TypeName; readonly key: string }
  | { readonly kind: "literal"; readonly value: string | number | boolean; readonly key: string }
  /** A named declaration, by the converter's index of its target; printed as the name finish() gives it. */
  | { readonly kind: "ref"; readonly target: number; readonly key: string }
  /** An object type that becomes a declaration of its own when it is written out twice or more. */
  | { readonly kind: "shared"; readonly index: number; readonly key: string }
  | ObjectNode
  | { readonly kind: "array"; readonly item: TypeNode; readonly readonly: boolean; readonly key: string }
  | { readonly kind: "tuple"; readonly items: readonly TypeNode[]; readonly rest?: TypeNode; readonly key: string }
  | { readonly kind: "union"; readonly members: readonly TypeNode[]; readonly key: string }
  | { readonly kind: "intersection"; readonly members: readonly TypeNode[]; readonly key: string };

export interface ObjectNode {
  readonly kind: "object";
  readonly members: readonly ObjectMember[];
  /** The index signature's value type. */
  readonly index?: TypeNode;
  readonly key: string;
}

export interface ObjectMember {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional: boolean;
  /** The member's JSDoc comment, "" when there is none. */
  readonly doc: string;
}

/** What a member's JSDoc is made of. */
export interface MemberDocs {
  readonly description?: string;
  readonly deprecated?: boolean;
  /** The schema's `example` (or first of `examples`), shown as `@example`. */
  readonly example?: unknown;
}

function named(name: TypeName): TypeNode {
  return { kind: "name", name, key: name };
}

export const UNKNOWN = named("unknown");
export const NEVER = named("never");
export const NULL = named("null");
export const STRING = named("string");
export const NUMBER = named("number");
export const BOOLEAN = named("boolean");
export const UNDEFINED = named("undefined");
export const BLOB = named("Blob");
export const UINT8ARRAY = named("Uint8Array");

export function ref(target: number): TypeNode {
  return { kind: "ref", target, key: `@${target}` };
}

export function shared(index: number): TypeNode {
  return { kind: "shared", index, key: `$${index}` };
}

/** A literal type for a JSON value; undefined for objects and arrays, which have none. */
export function literalType(value: unknown): TypeNode | undefined {
  if (value === null) return NULL;
  if (typeof value === "string" || typeof value === "boolean") return { kind: "literal", value, key: literalText(value) };
  if (typeof value === "number" && Number.isFinite(value)) {
    const number = Object.is(value, -0) ? 0 : value;
    return { kind: "literal", value: number, key: literalText(number) };
  }
  return undefined;
}

function literalText(value: string | number | boolean): string {
  // A negative number literal is a prefix expression; TypeScript accepts it in type position.
  return typeof value === "string" ? stringLiteral(value) : String(value);
}

/** Whether a node prints without top-level `|` or `&` (needs no parentheses inside another type). */
function isAtomic(node: TypeNode): boolean {
  return node.kind !== "union" && node.kind !== "intersection";
}

/**
 * `A | B`: nested unions flattened, duplicates dropped (first one kept), `never` dropped, `unknown`
 * absorbs everything. (Flattening matters for OpenAPI 3.0's `nullable: true` beside an enum that
 * already lists null: `"a" | null`, not `"a" | null | null`.)
 */
export function union(members: readonly TypeNode[]): TypeNode {
  const seen = new Set<string>();
  const kept: TypeNode[] = [];
  for (const member of members.flatMap((m) => (m.kind === "union" ? m.members : [m]))) {
    if (member.key === "unknown") return UNKNOWN;
    if (member.key === "never" || seen.has(member.key)) continue;
    seen.add(member.key);
    kept.push(member);
  }
  if (kept.length === 0) return NEVER;
  if (kept.length === 1) return kept[0]!;
  return { kind: "union", members: kept, key: `U(${kept.map((m) => m.key).join("|")})` };
}

/** `A & B`: duplicates and `unknown` dropped, `never` absorbs everything. */
export function intersection(members: readonly TypeNode[]): TypeNode {
  const seen = new Set<string>();
  const kept: TypeNode[] = [];
  for (const member of members) {
    if (member.key === "never") return NEVER;
    if (member.key === "unknown" || seen.has(member.key)) continue;
    seen.add(member.key);
    kept.push(member);
  }
  if (kept.length === 0) return UNKNOWN;
  if (kept.length === 1) return kept[0]!;
  return { kind: "intersection", members: kept, key: `I(${kept.map((m) => m.key).join("&")})` };
}

export function arrayOf(item: TypeNode, readonly = false): TypeNode {
  return { kind: "array", item, readonly, key: `${readonly ? "R" : "A"}(${item.key})` };
}

export function tupleOf(items: readonly TypeNode[], rest: TypeNode | undefined): TypeNode {
  return {
    kind: "tuple",
    items,
    ...(rest !== undefined && { rest }),
    key: `T(${items.map((i) => i.key).join(",")}${rest === undefined ? "" : `,...${rest.key}`})`,
  };
}

/** An object type; an index signature when `index` is given. */
export function objectType(
  members: readonly (MemberDocs & { readonly name: string; readonly type: TypeNode; readonly optional: boolean })[],
  index?: TypeNode,
): ObjectNode {
  const built = members.map((m): ObjectMember => ({
    name: m.name,
    type: m.type,
    optional: m.optional,
    doc: docComment(m.description, m.deprecated === true, m.example),
  }));
  const key = `O{${built.map((m) => `${JSON.stringify(m.doc)}${JSON.stringify(m.name)}${m.optional ? "?" : ""}:${m.type.key};`).join("")}${index === undefined ? "" : `[${index.key}]`}}`;
  return { kind: "object", members: built, ...(index !== undefined && { index }), key };
}

/** The printed length from which an object type is worth a declaration of its own. */
export function isLargeObject(node: TypeNode, minLength: number): node is ObjectNode {
  if (node.kind !== "object") return false;
  // `{}` and `{ [key: string]: never }` are one short line.
  if (node.members.length === 0 && (node.index === undefined || node.index.key === "never")) return false;
  return printedLength(node) >= minLength;
}

/** How a printer writes references and shared object types. */
export interface PrintNames {
  /** Text of a reference to declaration `target`. */
  ref(target: number): string;
  /** Text of shared object type `index`: its name, or its object type printed in place. */
  shared(index: number): string;
}

/** The TypeScript text of a type. */
export function printType(node: TypeNode, names: PrintNames): string {
  switch (node.kind) {
    case "name":
      return node.name;
    case "literal":
      return literalText(node.value);
    case "ref":
      return names.ref(node.target);
    case "shared":
      return names.shared(node.index);
    case "object": {
      if (node.members.length === 0 && node.index === undefined) return "{}";
      // A closed object without properties reads as one line.
      if (node.members.length === 0 && node.index?.key === "never") return "{ [key: string]: never }";
      const lines: string[] = [];
      for (const m of node.members) {
        if (m.doc !== "") lines.push(m.doc);
        lines.push(`${propertyKey(m.name)}${m.optional ? "?" : ""}: ${printType(m.type, names)};`);
      }
      if (node.index !== undefined) lines.push(`[key: string]: ${printType(node.index, names)};`);
      return `{\n${lines.join("\n")}\n}`;
    }
    case "array": {
      const item = printType(node.item, names);
      return `${node.readonly ? "readonly " : ""}${isAtomic(node.item) ? item : `(${item})`}[]`;
    }
    case "tuple": {
      const parts = node.items.map((i) => printType(i, names));
      if (node.rest !== undefined) parts.push(`...${printType(arrayOf(node.rest), names)}`);
      return `[${parts.join(", ")}]`;
    }
    case "union":
      // `&` binds tighter than `|`, and a union's members are never unions: members go in as they are.
      return node.members.map((m) => printType(m, names)).join(" | ");
    case "intersection":
      return node.members.map((m) => (isAtomic(m) ? printType(m, names) : `(${printType(m, names)})`)).join(" & ");
  }
}

/**
 * The length of a node printed with references and shared types as three-character marks: the size
 * the sharing threshold measures (unformatted, before names are known).
 */
const lengths = new WeakMap<TypeNode, number>();
function printedLength(node: TypeNode): number {
  const known = lengths.get(node);
  if (known !== undefined) return known;
  const length = printType(node, { ref: (i) => `\u0000${i}\u0000`, shared: (i) => `\u0001${i}\u0001` }).length;
  lengths.set(node, length);
  return length;
}

/**
 * References written "eagerly" in a type: not inside an object or a tuple and not an array's element
 * type. A type alias may refer to itself only from those positions (`type A = A | string` does not
 * compile).
 */
export function eagerReferences(node: TypeNode, into: number[] = []): number[] {
  if (node.kind === "ref") into.push(node.target);
  else if (node.kind === "union" || node.kind === "intersection") for (const m of node.members) eagerReferences(m, into);
  return into;
}

/** Calls `visit` on every shared type written in `node` (not looking inside the shared types themselves). */
export function forEachShared(node: TypeNode, visit: (index: number) => void): void {
  switch (node.kind) {
    case "shared":
      visit(node.index);
      return;
    case "object":
      for (const m of node.members) forEachShared(m.type, visit);
      if (node.index !== undefined) forEachShared(node.index, visit);
      return;
    case "array":
      forEachShared(node.item, visit);
      return;
    case "tuple":
      for (const i of node.items) forEachShared(i, visit);
      if (node.rest !== undefined) forEachShared(node.rest, visit);
      return;
    case "union":
    case "intersection":
      for (const m of node.members) forEachShared(m, visit);
      return;
    default:
      return;
  }
}

/** A JSDoc comment for a member, "" when there is nothing to say. */
export function docComment(description: string | undefined, deprecated: boolean, example?: unknown): string {
  const parts: string[] = [];
  const text = description === undefined ? "" : docText(description);
  if (text !== "") parts.push(...text.split("\n"));
  const shown = exampleText(example);
  if (shown !== undefined) parts.push(`@example ${shown}`);
  if (deprecated) parts.push("@deprecated");
  if (parts.length === 0) return "";
  if (parts.length === 1) return `/** ${parts[0]} */`;
  return `/**\n${parts.map((p) => (p === "" ? " *" : ` * ${p}`)).join("\n")}\n */`;
}

/** Longer examples are left out: a JSDoc line is for a glance, the document has the rest. */
const MAX_EXAMPLE_LENGTH = 200;

/** An example as one line of JSON, escaped for a comment; undefined when absent or too long. */
export function exampleText(example: unknown): string | undefined {
  if (example === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(example);
  } catch {
    return undefined;
  }
  if (json === undefined || json.length > MAX_EXAMPLE_LENGTH) return undefined;
  const escaped = docText(json);
  return escaped.includes("\n") ? undefined : escaped;
}
