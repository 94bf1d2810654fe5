#!/usr/bin/env node
/**
 * Builds providers/: the bundled specs that `switchboard add PROVIDER` copies into an application.
 *
 *   node scripts/bundle-providers.js        (run by `npm run build`, after tsc)
 *
 * Every spec in specs/ is bundled, so whatever specs/ holds at build time ships. A spec that imports an
 * OpenAPI document from a package (operations.import[].from, webhooks.eventsImport.from: a package
 * specifier, not a relative path) gets a slice of that document next to it, and its `from` is rewritten to
 * point at the slice inside this package ("switchboard/providers/<provider>/<slice>.json"), so an
 * application needs neither the document's package (GitHub's REST description is 385 MB installed) nor
 * network access. A slice keeps the document's top-level fields, the operations the import's include /
 * exclude filter selects (the generator's own matcher) or, for an events import, the `webhooks` section,
 * and every `#/...` $ref they reach, transitively. Relative imports are copied as they are. The output is
 * a pure function of specs/ and the installed documents: running it twice writes the same bytes.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { slice } from "./openapi-slice.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).name;
const specsDir = path.join(root, "specs");
const outDir = path.join(root, "providers");

const isPackageSpecifier = (from) => !/^\.\.?\//.test(from) && !path.isAbsolute(from);
const sliceName = (from) => from.replace(/^@/, "").replace(/[/\\]+/g, "-");

rmSync(outDir, { recursive: true, force: true });
const index = [];
for (const file of readdirSync(specsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()) {
  const specPath = path.join(specsDir, file);
  let text = readFileSync(specPath, "utf8");
  const spec = parse(text);
  const provider = spec?.provider?.name;
  if (typeof provider !== "string") throw new Error(`${file}: no provider.name`);
  const dir = path.join(outDir, provider);
  mkdirSync(dir, { recursive: true });
  const imports = [
    ...(spec.operations?.import ?? []).map((i) => ({ kind: "operations", from: i.from, filter: i })),
    ...(spec.webhooks?.eventsImport ? [{ kind: "events", from: spec.webhooks.eventsImport.from, filter: {} }] : []),
  ];
  const slices = new Map();
  /** Files beside the spec that `switchboard add` copies with it (relative to the spec's folder). */
  const files = new Set();
  for (const imp of imports) {
    if (!isPackageSpecifier(imp.from)) {
      // A document committed beside the spec (specs/openapi/...) ships at the same relative path, with its
      // license (<name>.LICENSE) when there is one, and `switchboard add` copies both next to the spec.
      const source = path.resolve(specsDir, imp.from);
      const relative = path.relative(specsDir, source);
      const kept = !relative.startsWith("..") && !path.isAbsolute(relative);
      const target = kept ? relative : path.basename(source);
      mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
      writeFileSync(path.join(dir, target), readFileSync(source));
      files.add(target.split(path.sep).join("/"));
      const license = source.replace(/\.(json|ya?ml)$/, ".LICENSE");
      if (license !== source && existsSync(license)) {
        const licenseTarget = target.replace(/\.(json|ya?ml)$/, ".LICENSE");
        writeFileSync(path.join(dir, licenseTarget), readFileSync(license));
        files.add(licenseTarget.split(path.sep).join("/"));
      }
      if (!kept) text = rewriteFrom(text, imp.from, `./${target}`);
      continue;
    }
    const documentPath = createRequire(specPath).resolve(imp.from);
    const key = imp.from;
    const previous = slices.get(key);
    if (previous && previous.imp.kind !== imp.kind)
      throw new Error(`${file}: ${imp.from} is imported for both operations and events; bundling that is not supported`);
    const document = JSON.parse(readFileSync(documentPath, "utf8"));
    const part = slice(document, imp.kind, imp.filter);
    if (previous) {
      // Two imports of one document: their slices merge (a union of paths and components).
      for (const [p, item] of Object.entries(part.paths ?? {})) previous.part.paths[p] = item;
      for (const [group, members] of Object.entries(part.components ?? {}))
        Object.assign(((previous.part.components ??= {})[group] ??= {}), members);
      continue;
    }
    slices.set(key, { imp, part, name: `${sliceName(imp.from.replace(/\.json$/, ""))}${imp.kind === "events" ? ".webhooks" : ""}.json` });
  }
  for (const { imp, part, name } of slices.values()) {
    const bytes = `${JSON.stringify(part)}\n`;
    writeFileSync(path.join(dir, name), bytes);
    text = rewriteFrom(text, imp.from, `${PACKAGE}/providers/${provider}/${name}`);
    process.stderr.write(`providers/${provider}/${name}: ${(bytes.length / 1e6).toFixed(2)} MB from ${imp.from}\n`);
  }
  writeFileSync(path.join(dir, `${provider}.yaml`), text);
  index.push({
    provider,
    title: spec.provider.title ?? provider,
    spec: `${provider}/${provider}.yaml`,
    sha256: createHash("sha256").update(text).digest("hex"),
    ...(files.size > 0 && { files: [...files].sort() }),
  });
}
writeFileSync(path.join(outDir, "index.json"), `${JSON.stringify({ providers: index }, null, 2)}\n`);
process.stderr.write(`providers/: ${index.length} bundled specs (${index.map((p) => p.provider).join(", ")})\n`);

/** The spec text with every `from: <old>` (quoted or not) replaced by `from: "<new>"`. */
function rewriteFrom(specText, from, to) {
  const quoted = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return specText.replace(new RegExp(`(from:\\s*)(["']?)${quoted}\\2(?=\\s|$)`, "gm"), `$1"${to}"`);
}
