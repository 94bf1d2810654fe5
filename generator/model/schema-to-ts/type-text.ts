/**
 * Type text with just enough structure to combine it correctly: whether it is a union or an
 * intersection decides when it needs parentheses inside another type.
 */
import { docText, propertyKey, stringLiteral } from "../../common/escape.js";

export interface TypeText {
  readonly text: string;
  /** atom: needs no parentheses anywhere; union / intersection: top-level `|` / `&`. */
  readonly kind: "atom" | "union" | "intersection";
  /** A union's members, so that a union of unions is one flat union without duplicates. */
  readonly members?: readonly TypeText[];
}

export const UNKNOWN: TypeText = { text: "unknown", kind: "atom" };
export const NEVER: TypeText = { text: "never", kind: "atom" };

export function atom(text: string): TypeText {
  return { text, kind: "atom" };
}

/** A literal type for a JSON value; undefined for objects and arrays, which have none. */
export function literalType(value: unknown): TypeText | undefined {
  if (value === null) return atom("null");
  if (typeof value === "string") return atom(stringLiteral(value));
  if (typeof value === "boolean") return atom(String(value));
  if (typeof value === "number" && Number.isFinite(value)) {
    // A negative literal is a prefix expression; TypeScript accepts it in type position.
    return atom(Object.is(value, -0) ? "0" : String(value));
  }
  return undefined;
}

/**
 * `A | B`: nested unions flattened, duplicates dropped (first one kept), `never` dropped, `unknown`
 * absorbs everything. (Flattening matters for OpenAPI 3.0's `nullable: true` beside an enum that
 * already lists null: `"a" | null`, not `"a" | null | null`.)
 */
export function union(members: readonly TypeText[]): TypeText {
  const seen = new Set<string>();
  const kept: TypeText[] = [];
  for (const member of members.flatMap((m) => m.members ?? [m])) {
    if (member.text === "unknown") return UNKNOWN;
    if (member.text === "never" || seen.has(member.text)) continue;
    seen.add(member.text);
    kept.push(member);
  }
  if (kept.length === 0) return NEVER;
  if (kept.length === 1) return kept[0]!;
  // `&` binds tighter than `|`, and a nested union needs no parentheses: members go in as they are.
  return { text: kept.map((m) => m.text).join(" | "), kind: "union", members: kept };
}

/** `A & B`: duplicates and `unknown` dropped, `never` absorbs everything. */
export function intersection(members: readonly TypeText[]): TypeText {
  const seen = new Set<string>();
  const kept: TypeText[] = [];
  for (const member of members) {
    if (member.text === "never") return NEVER;
    if (member.text === "unknown" || seen.has(member.text)) continue;
    seen.add(member.text);
    kept.push(member);
  }
  if (kept.length === 0) return UNKNOWN;
  if (kept.length === 1) return kept[0]!;
  return { text: kept.map((m) => (m.kind === "atom" ? m.text : `(${m.text})`)).join(" & "), kind: "intersection" };
}

export function arrayOf(item: TypeText): TypeText {
  return atom(item.kind === "atom" ? `${item.text}[]` : `(${item.text})[]`);
}

export function tupleOf(items: readonly TypeText[], rest: TypeText | undefined): TypeText {
  const parts = items.map((i) => i.text);
  if (rest !== undefined) parts.push(`...${arrayOf(rest).text}`);
  return atom(`[${parts.join(", ")}]`);
}

export interface MemberText {
  readonly key: string;
  readonly type: TypeText;
  readonly optional: boolean;
  readonly description?: string;
  readonly deprecated?: boolean;
  /** The schema's `example` (or first of `examples`), shown as `@example`. */
  readonly example?: unknown;
}

/** An object type literal; an index signature when `index` is given. */
export function objectType(members: readonly MemberText[], index?: TypeText): TypeText {
  if (members.length === 0 && index === undefined) return atom("{}");
  const lines: string[] = [];
  for (const m of members) {
    const doc = docComment(m.description, m.deprecated === true, m.example);
    if (doc !== "") lines.push(doc);
    lines.push(`${propertyKey(m.key)}${m.optional ? "?" : ""}: ${m.type.text};`);
  }
  if (index !== undefined) lines.push(`[key: string]: ${index.text};`);
  return atom(`{\n${lines.join("\n")}\n}`);
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
