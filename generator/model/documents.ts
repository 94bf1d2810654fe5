/**
 * Documents a spec imports (OpenAPI descriptions for operations, webhook descriptions for events):
 * where a `from` resolves to, its bytes, their hash and the parsed value. The only place the generator
 * reads a file other than a spec.
 *
 * `from` is a path relative to the spec (`./openapi.json`, `../shared/api.yaml`) or a package path
 * resolved the way Node resolves an import from the spec's folder (`@octokit/openapi/generated/api.github.com.json`).
 * JSON is parsed with JSON.parse (fast for the 13 MB GitHub description); `.yaml`/`.yml` with `yaml`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { resolveDocumentPath } from "./document-paths.js";

export { hashFile, resolveDocumentPath } from "./document-paths.js";

export interface ImportedDocument {
  /** The `from` as written in the spec: the document's name in diagnostics and declaration ids. */
  readonly from: string;
  /** Absolute path it resolved to. */
  readonly file: string;
  /** SHA-256 of the bytes, hex. */
  readonly sha256: string;
  readonly root: unknown;
}

export type DocumentResult = { readonly document: ImportedDocument; readonly error?: undefined } | { readonly error: string };

/** Parsed documents by absolute path, kept while their bytes stay the same (watch mode, tests, benches). */
const cache = new Map<string, { readonly sha256: string; readonly root: unknown }>();

/**
 * Reads and parses a document; every failure is a message naming the document (and `shownSpec`, the
 * spec as diagnostics show it, when the document cannot be found), never an exception.
 */
export function readDocument(specPath: string, from: string, shownSpec: string): DocumentResult {
  const shown = JSON.stringify(from);
  const file = resolveDocumentPath(specPath, from);
  if (file === undefined) return { error: `cannot resolve ${shown} from ${shownSpec} (is the package installed?)` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { error: `cannot read ${shown}` };
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const cached = cache.get(file);
  if (cached !== undefined && cached.sha256 === sha256) return { document: { from, file, sha256, root: cached.root } };
  const text = bytes.toString("utf8");
  let root: unknown;
  try {
    root = /\.ya?ml$/i.test(file) ? parseYaml(text, { maxAliasCount: 10_000 }) : JSON.parse(text);
  } catch (error) {
    const kind = /\.ya?ml$/i.test(file) ? "YAML" : "JSON";
    return { error: `${shown} is not valid ${kind}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
  cache.set(file, { sha256, root });
  return { document: { from, file, sha256, root } };
}
