/** `$ref` resolution: JSON pointers (RFC 6901) into the document a schema lives in. */
import type { JsonSchema, RefResolver, SchemaLocation, SchemaPath } from "./types.js";

/** Segments of a JSON pointer (`/a/b~1c` -> a, b/c); undefined when it is not one. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `/a/b~1c` from segments. */
export function toPointer(path: SchemaPath): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The value at a path, own properties only; undefined when absent. */
export function valueAt(root: unknown, path: SchemaPath): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    const key = String(segment);
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "boolean" || (typeof value === "object" && value !== null && !Array.isArray(value));
}

/**
 * Resolves `#/...` against the root of the document the `$ref` is written in. Other references
 * (other files, URLs, anchors) are not resolved.
 */
export const localRefResolver: RefResolver = (ref: string, from: SchemaLocation) => {
  if (!ref.startsWith("#")) return undefined;
  const path = parsePointer(ref.slice(1));
  if (path === undefined) return undefined;
  const schema = valueAt(from.document.root, path);
  if (!isSchema(schema)) return undefined;
  const name = path.length === 0 ? from.document.id : path[path.length - 1]!;
  return { location: { document: from.document, path }, schema, name };
};
