/** The spec's inline operations as operation sources; their schemas live in the spec document. */
import { operationGroup, operationName, pathPlaceholders, API_VERSION_PLACEHOLDER } from "../../common/operation-names.js";
import type { SchemaDocument } from "../schema-to-ts/index.js";
import { compareCodePoints, sortedKeys } from "../../common/sort.js";
import type { SpecDocument } from "../../validate/spec-types.js";
import type { OperationSource, ParameterSource, ResponseSource } from "./sources.js";
import { streamSource } from "./stream.js";
import { DEFAULTS } from "../../common/defaults.js";

export function inlineOperations(doc: SpecDocument, specDocument: SchemaDocument): OperationSource[] {
  const inline = doc.operations?.inline ?? {};
  return sortedKeys(inline).map((id): OperationSource => {
    const op = inline[id]!;
    const base = ["operations", "inline", id];
    const group = operationGroup(op);
    const declared = op.params ?? {};
    const placeholders = pathPlaceholders(op.path).filter((p) => p !== API_VERSION_PLACEHOLDER);
    // Placeholders used in the path but not declared are implicit required path parameters.
    const names = [...new Set([...placeholders, ...Object.keys(declared)])];
    const params = names.map((name): ParameterSource => {
      // Own keys only: an undeclared placeholder named {constructor} must not find Object.prototype's.
      const p = Object.hasOwn(declared, name) ? declared[name] : undefined;
      const inPath = p === undefined || p.in === "path";
      return {
        name,
        in: inPath ? "path" : p.in,
        required: inPath || p?.required === true,
        ...(p?.description !== undefined && { description: p.description }),
        ...(p?.schema !== undefined && {
          schema: { schema: p.schema, location: { document: specDocument, path: [...base, "params", name, "schema"] } },
        }),
        ...(p?.style !== undefined && { style: p.style }),
      };
    });
    const responses = sortedKeys(op.responses ?? {})
      .filter((status) => /^2\d\d$/.test(status))
      .sort(compareCodePoints)
      .map((status): ResponseSource => {
        const r = op.responses![status]!;
        return {
          status,
          ...(r.description !== undefined && { description: r.description }),
          ...(r.schema !== undefined && {
            schema: { schema: r.schema, location: { document: specDocument, path: [...base, "responses", status, "schema"] } },
          }),
          empty: status === "204" || status === "205",
        };
      });
    return {
      id,
      origin: "inline",
      method: op.method,
      path: op.path,
      group,
      name: operationName(id, op, group),
      ...(op.summary !== undefined && { summary: op.summary }),
      ...(op.description !== undefined && { description: op.description }),
      deprecated: op.deprecated ?? DEFAULTS.operations.deprecated,
      params,
      ...(op.body && {
        body: {
          encoding: op.body.encoding,
          required: op.body.required ?? DEFAULTS.operations.bodyRequired,
          ...(op.body.contentType !== undefined && { contentType: op.body.contentType }),
          ...(op.body.schema !== undefined && {
            schema: { schema: op.body.schema, location: { document: specDocument, path: [...base, "body", "schema"] } },
          }),
        },
      }),
      responses,
      ...(op.buckets !== undefined && { buckets: op.buckets }),
      ...(op.idempotent !== undefined && { idempotent: op.idempotent }),
      ...(op.auth !== undefined && { auth: op.auth }),
      ...(op.timeout !== undefined && { timeout: op.timeout }),
      ...(op.pagination !== undefined && { pagination: op.pagination }),
      ...(op.batch !== undefined && { batch: op.batch }),
      ...(op.stream !== undefined && { stream: streamSource(op.stream, { document: specDocument, path: [...base, "stream"] }) }),
      specPath: base,
    };
  });
}
