/**
 * Values read from and put into an operation call at a RequestValueLocation: a query parameter, a
 * header, a JSON path in the body or a form field. Calls are never changed in place: each put returns
 * a new call that shares everything it did not touch.
 */
import type { RequestValueLocation } from "../definition.js";
import type { OperationCall } from "./client-core.js";
import { readPath } from "../internal/json-path.js";

type Resolved =
  { readonly in: "query" | "headers"; readonly name: string } | { readonly in: "body"; readonly path: readonly (string | number)[] };

function resolve(location: RequestValueLocation): Resolved {
  if (typeof location === "string") return { in: "query", name: location };
  if ("query" in location) return { in: "query", name: location.query };
  if ("header" in location) return { in: "headers", name: location.header.toLowerCase() };
  if ("form" in location) return { in: "body", path: [location.form] };
  return { in: "body", path: location.body };
}

/** The value at a location of the call; undefined when it is absent. */
export function callValue(call: OperationCall, location: RequestValueLocation): unknown {
  const at = resolve(location);
  if (at.in === "body") return readPath(call.body, at.path);
  const values = call[at.in];
  if (at.in === "headers" && values !== undefined) {
    for (const [name, value] of Object.entries(values)) if (name.toLowerCase() === at.name) return value;
    return undefined;
  }
  return values !== undefined && Object.hasOwn(values, at.name) ? values[at.name] : undefined;
}

/** A copy of the call with the value put at a location; undefined removes it. */
export function withCallValue(call: OperationCall, location: RequestValueLocation, value: unknown): OperationCall {
  const at = resolve(location);
  if (at.in === "body") return { ...call, body: withPath(call.body, at.path, value) };
  const values: Record<string, unknown> = {};
  for (const [name, existing] of Object.entries(call[at.in] ?? {})) {
    if (at.in === "headers" ? name.toLowerCase() !== at.name : name !== at.name) values[name] = existing;
  }
  if (value !== undefined) values[at.name] = value;
  return { ...call, [at.in]: values };
}

/** A copy of `node` with `value` at `path`, objects created where the path runs out; undefined deletes. */
function withPath(node: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(node) && typeof head === "number") {
    const copy: unknown[] = [...node];
    copy[head] = withPath(node[head], rest, value);
    return copy;
  }
  const object: Record<string, unknown> = typeof node === "object" && node !== null ? { ...(node as Record<string, unknown>) } : {};
  const next = withPath(Object.hasOwn(object, head) ? object[head] : undefined, rest, value);
  if (next === undefined) delete object[head];
  else Object.defineProperty(object, head, { value: next, enumerable: true, writable: true, configurable: true });
  return object;
}
