/**
 * Data from the model written as a TypeScript literal. Keys keep the order the model gave them (the
 * model sorts), strings are escaped, and only plain data (and Code, a reference) is accepted.
 */
import { propertyKey, stringLiteral } from "../common/escape.js";

/** Code to write as it is inside a literal: a reference to a constant the same file declares. */
export class Code {
  constructor(readonly text: string) {}
}

export function literal(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Code) return value.text;
  switch (typeof value) {
    case "string":
      return stringLiteral(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as a literal`);
      return Object.is(value, -0) ? "0" : String(value);
    case "boolean":
      return String(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return "{}";
      return `{ ${entries.map(([k, v]) => entry(k, literal(v))).join(", ")} }`;
    }
    default:
      throw new TypeError(`cannot write a ${typeof value} as a literal`);
  }
}

/** A union of string literal types, or `never` when there are none. */
export function stringUnion(values: readonly string[]): string {
  return values.length === 0 ? "never" : values.map(stringLiteral).join(" | ");
}

/**
 * Members of TypeScript's `Object` interface. In an object literal typed by a `Record<string, T>`,
 * a property with one of these names is contextually typed by the Object member (a function), not
 * by T, so `{ toString: { type: "bearer" } }` widens "bearer" to string and fails to compile.
 */
const OBJECT_MEMBERS = new Set([
  "constructor",
  "toString",
  "toLocaleString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
]);

/**
 * One `key: value` of an object literal whose keys come from the spec. A value under a key named
 * like an Object member gets `as const`, so that its literal types survive without a contextual type.
 */
export function entry(key: string, value: string): string {
  return `${propertyKey(key)}: ${value}${OBJECT_MEMBERS.has(key) ? " as const" : ""}`;
}
