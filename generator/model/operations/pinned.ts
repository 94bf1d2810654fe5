/**
 * Operations as the pinned version has them: a query parameter, header or body field that
 * versions.migrations[].requests removes at or before the pinned version, or adds (or renames away)
 * after it, is left out of the operation's params type. A call sent at another version is rewritten by
 * the runtime (migrateRequest).
 */
import { findMigrationChain, type VersionsDefinition } from "@switchboard/runtime/contract";
import type { OperationSource } from "./sources.js";

type Path = readonly (string | number)[];

/** What the pinned version lacks of each operation, by operation id. */
interface Omissions {
  readonly params: Set<string>;
  readonly body: Path[];
}

const paramKey = (where: string, name: string | number) => `${where}\u0000${name}`;

export function omittedAtPinned(versions: VersionsDefinition | undefined): ReadonlyMap<string, Omissions> {
  const result = new Map<string, Omissions>();
  if (!versions) return result;
  const pinned = versions.pinned;
  for (const step of versions.migrations) {
    if (!step.requests) continue;
    // The pinned version is the step's `to` or a later one: the request has the step's changes.
    const applied = step.to === pinned || findMigrationChain(versions, step.to, pinned) !== undefined;
    for (const change of step.requests) {
      const gone =
        change.op === "remove"
          ? applied
            ? change.path
            : undefined
          : change.op === "add"
            ? applied
              ? undefined
              : change.path
            : change.op === "rename"
              ? applied
                ? change.path
                : change.to
              : undefined;
      if (gone === undefined) continue;
      for (const id of change.operations) {
        const entry = result.get(id) ?? { params: new Set<string>(), body: [] };
        result.set(id, entry);
        if (change.in === "body") entry.body.push(gone);
        else entry.params.add(paramKey(change.in, gone[0]!));
      }
    }
  }
  return result;
}

/** The operation without what the pinned version lacks: parameters dropped, body properties removed from its schema. */
export function atPinnedVersion(source: OperationSource, omissions: ReadonlyMap<string, Omissions>): OperationSource {
  const omitted = omissions.get(source.id);
  if (!omitted) return source;
  const params = source.params.filter((p) => p.in === "path" || !omitted.params.has(paramKey(p.in, p.name)));
  let body = source.body;
  if (body?.schema && omitted.body.length > 0) {
    let schema = body.schema.schema;
    for (const path of omitted.body) schema = withoutProperty(schema, path);
    body = { ...body, schema: { ...body.schema, schema } };
  }
  return { ...source, params, ...(body && { body }) };
}

/** A copy of an object schema without the property at `path` (through inline `properties` only). */
function withoutProperty(schema: unknown, path: Path): unknown {
  const [head, ...rest] = path;
  if (typeof head !== "string" || typeof schema !== "object" || schema === null) return schema;
  const node = schema as { properties?: Record<string, unknown>; required?: unknown };
  if (typeof node.properties !== "object" || node.properties === null || !Object.hasOwn(node.properties, head)) return schema;
  const properties = { ...node.properties };
  if (rest.length > 0) {
    properties[head] = withoutProperty(properties[head], rest);
    return { ...node, properties };
  }
  delete properties[head];
  const required = Array.isArray(node.required) ? node.required.filter((name) => name !== head) : node.required;
  return { ...node, properties, ...(required !== undefined && { required }) };
}
