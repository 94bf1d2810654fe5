/**
 * Slicing an OpenAPI document: the operations an import's include / exclude filter selects (the
 * generator's own matcher) or the `webhooks` section, with every `#/...` $ref they reach, transitively,
 * and the document's other top-level fields. Shared by scripts/bundle-providers.js (slices shipped in
 * providers/) and scripts/slice-openapi.js (slices committed under specs/openapi/). Pure: the same
 * document and filter give the same object, keys in the document's order.
 */
import { matcher, OPENAPI_METHODS } from "../dist/generator/model/operations/openapi.js";

/** Every "#/..." $ref reachable from `start` (values inside the document), as JSON pointers. */
function refClosure(document, starts) {
  const seen = new Set();
  const queue = [...starts];
  while (queue.length > 0) {
    const value = queue.pop();
    if (Array.isArray(value)) queue.push(...value);
    else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === "$ref" && typeof child === "string" && child.startsWith("#/")) {
          if (seen.has(child)) continue;
          seen.add(child);
          queue.push(pointerGet(document, child));
        } else queue.push(child);
      }
    }
  }
  return [...seen].sort();
}

const unescape = (segment) => decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");

function pointerGet(document, pointer) {
  let value = document;
  for (const segment of pointer.slice(2).split("/")) value = value?.[unescape(segment)];
  return value;
}

function pointerSet(target, document, pointer) {
  const segments = pointer.slice(2).split("/").map(unescape);
  let from = document;
  let to = target;
  segments.forEach((segment, i) => {
    from = from?.[segment];
    if (i === segments.length - 1) to[segment] = from;
    else to = to[segment] ??= {};
  });
}

/** The slice of an OpenAPI document one import of a spec needs. */
export function slice(document, kind, filter) {
  const { paths = {}, webhooks, components, ...rest } = document;
  const out = { ...rest };
  const starts = [];
  if (kind === "operations") {
    const include = matcher(filter.include);
    const exclude = matcher(filter.exclude);
    const kept = {};
    for (const [p, item] of Object.entries(paths)) {
      const methods = OPENAPI_METHODS.filter((m) => {
        const op = item?.[m];
        if (op === undefined) return false;
        const probe = {
          ...(typeof op.operationId === "string" && { id: op.operationId }),
          tags: Array.isArray(op.tags) ? op.tags : [],
          path: p,
        };
        return (!include || include(probe)) && !exclude?.(probe);
      });
      if (methods.length === 0) continue;
      const entry = Object.fromEntries(Object.entries(item).filter(([k]) => !OPENAPI_METHODS.includes(k) || methods.includes(k)));
      kept[p] = entry;
      starts.push(entry);
    }
    out.paths = kept;
  } else {
    out.webhooks = webhooks;
    starts.push(webhooks);
  }
  for (const pointer of refClosure(document, starts)) pointerSet(out, document, pointer);
  return out;
}
