#!/usr/bin/env node
/**
 * Writes the slice of a provider's OpenAPI document that a spec imports from specs/openapi/:
 *
 *   npm run build
 *   node scripts/slice-openapi.js specs/twilio.yaml ../shared/openapi/twilio_api_v2010.json
 *   node scripts/slice-openapi.js specs/sendgrid.yaml ../shared/openapi/sendgrid_v3.json
 *
 * The spec's operations.import entry whose relative `from` has the source document's file name
 * (./openapi/twilio_api_v2010.json) says what to keep: its include / exclude filter, read by the
 * generator's own matcher, so the slice holds exactly the operations the generator imports, every
 * `#/...` $ref they reach, and the document's other top-level fields (info, servers, ...). The slice
 * records where it came from under `x-switchboard-slice` (source file name and SHA-256), so anyone can
 * check it against the provider's published document. Widen the filter in the spec, run this again,
 * then `switchboard generate`. The document's license goes beside the slice as <name>.LICENSE (copied by
 * hand from the provider's repository, once); scripts/bundle-providers.js ships both.
 * Where the document is wrong, <name>.patch.json beside the slice lists corrections, applied after slicing
 * and recorded in x-switchboard-slice.patches: [{ "op": "replace" | "add" | "remove", "path": a JSON
 * pointer, "value"?, "reason": why, with its source }]. A patch whose path the slice does not have fails.
 * Running it twice writes the same bytes.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { slice } from "./openapi-slice.js";

const [specArg, sourceArg] = process.argv.slice(2);
if (specArg === undefined || sourceArg === undefined) {
  process.stderr.write("usage: node scripts/slice-openapi.js SPEC.yaml SOURCE-DOCUMENT.json\n");
  process.exit(2);
}
const spec = parse(readFileSync(specArg, "utf8"));
const name = path.basename(sourceArg);
const imports = (spec?.operations?.import ?? []).filter((i) => /^\.\.?\//.test(i.from) && path.basename(i.from) === name);
if (imports.length !== 1) {
  process.stderr.write(`${specArg}: expected one operations.import with a relative from ending in ${name}, found ${imports.length}\n`);
  process.exit(1);
}
const [imp] = imports;
const bytes = readFileSync(sourceArg);
const part = slice(JSON.parse(bytes.toString("utf8")), "operations", imp);
part["x-switchboard-slice"] = {
  source: name,
  sha256: createHash("sha256").update(bytes).digest("hex"),
  script: "scripts/slice-openapi.js",
};
const target = path.resolve(path.dirname(specArg), imp.from);
const patchFile = target.replace(/\.json$/, ".patch.json");
if (existsSync(patchFile)) {
  const patches = JSON.parse(readFileSync(patchFile, "utf8"));
  for (const patch of patches) applyPatch(part, patch);
  part["x-switchboard-slice"].patches = patches.map((p) => ({ op: p.op, path: p.path, reason: p.reason }));
}
const text = `${JSON.stringify(part, null, 1)}\n`;
writeFileSync(target, text);
const count = Object.values(part.paths).reduce(
  (n, item) =>
    n + Object.keys(item).filter((k) => ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(k)).length,
  0,
);
process.stderr.write(`${path.relative(process.cwd(), target)}: ${count} operations, ${(text.length / 1e6).toFixed(2)} MB from ${name}\n`);

/** One JSON Patch operation (replace, add, remove) on the slice; the parent must exist. */
function applyPatch(document, patch) {
  if (typeof patch.reason !== "string" || patch.reason === "") throw new Error(`${patch.path}: a patch needs a reason`);
  const segments = patch.path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const key = segments.pop();
  let parent = document;
  for (const segment of segments) parent = parent?.[segment];
  if (typeof parent !== "object" || parent === null || (patch.op !== "add" && !Object.hasOwn(parent, key)))
    throw new Error(`${patch.path}: not in the slice`);
  if (patch.op === "remove") delete parent[key];
  else if (patch.op === "replace" || patch.op === "add") parent[key] = patch.value;
  else throw new Error(`${patch.path}: unknown op ${patch.op}`);
}
