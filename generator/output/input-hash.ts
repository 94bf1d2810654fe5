/**
 * What a spec's output depends on, hashed: the spec's bytes, the bytes of every document it imports,
 * and the output-affecting config. Nothing here loads the pipeline (prettier, ajv) or, on the
 * CLI's no-change path, even the YAML parser: the list of imports comes from the manifest (manifest.ts),
 * which is valid as long as the spec's bytes are the same, and a document's hash from a local cache
 * while its size and modification time are unchanged (hashImports).
 *
 * The generator's own code (and the runtime's, which it consults) is not part of the input hash: the hash
 * is written into generated output that is committed, and must not change when the same generator version
 * is rebuilt. The code is covered by generatorFingerprint(), kept in a local cache instead (see manifest.ts).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GeneratorConfig } from "../config.js";
import { hashFile, resolveDocumentPath } from "../model/document-paths.js";
import { compareCodePoints } from "../common/sort.js";

/** Bumped when what the input hash covers changes, so old manifests never match. */
const INPUT_HASH_SCHEME = 1;

export interface ImportedHash {
  readonly from: string;
  /** SHA-256 of the document's bytes; null when it cannot be resolved or read. */
  readonly sha256: string | null;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The `from` of every document a spec imports: `operations.import[].from` (a list, or one entry) and
 * `webhooks.eventsImport.from`, in that order. A spec that does not parse imports nothing.
 */
export async function importedFroms(specText: string): Promise<string[]> {
  const { parse } = await import("yaml");
  let root: unknown;
  try {
    root = parse(specText, { maxAliasCount: 10_000 });
  } catch {
    return [];
  }
  if (!isRecord(root)) return [];
  const froms: string[] = [];
  const operations = root["operations"];
  if (isRecord(operations)) {
    const imports = operations["import"];
    for (const entry of Array.isArray(imports) ? imports : [imports]) {
      if (isRecord(entry) && typeof entry["from"] === "string") froms.push(entry["from"]);
    }
  }
  const webhooks = root["webhooks"];
  if (isRecord(webhooks) && isRecord(webhooks["eventsImport"]) && typeof webhooks["eventsImport"]["from"] === "string") {
    froms.push(webhooks["eventsImport"]["from"]);
  }
  return froms;
}

/** What the document hash cache remembers of one file. */
interface CachedHash {
  readonly size: number;
  readonly mtimeMs: number;
  /** When the bytes were hashed (ms since the epoch). */
  readonly hashedAt: number;
  readonly sha256: string;
}

/** Trust a cached hash only for a file last modified this long before it was hashed (as git's racy-clean check). */
const RACY_MS = 2000;

function documentCacheFile(config: Pick<GeneratorConfig, "cwd">): string {
  return path.join(config.cwd, "node_modules", ".cache", "switchboard", "documents.json");
}

function readDocumentCache(file: string): Record<string, CachedHash> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    return isRecord(value) ? (value as Record<string, CachedHash>) : {};
  } catch {
    return {};
  }
}

/**
 * Resolves each `from` from the spec's folder (documents.ts rules) and hashes the document's bytes.
 * An imported document is big (GitHub's REST description is 13 MB), so its hash is kept in a local cache
 * (node_modules/.cache/switchboard/documents.json) by path, size and modification time, the way git's
 * index trusts a file's stat: the bytes are read again when any of these differ, or when the file was
 * modified within RACY_MS of being hashed. Best effort: without the cache every document is hashed.
 */
export function hashImports(config: Pick<GeneratorConfig, "cwd">, specFile: string, froms: readonly string[]): ImportedHash[] {
  const cacheFile = documentCacheFile(config);
  let cache: Record<string, CachedHash> | undefined;
  let changed = false;
  const hashes = froms.map((from) => {
    const file = resolveDocumentPath(specFile, from);
    if (file === undefined) return { from, sha256: null };
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return { from, sha256: null };
    }
    cache ??= readDocumentCache(cacheFile);
    const cached = cache[file];
    if (
      cached !== undefined &&
      cached.size === stat.size &&
      cached.mtimeMs === stat.mtimeMs &&
      cached.hashedAt - stat.mtimeMs > RACY_MS &&
      typeof cached.sha256 === "string"
    ) {
      return { from, sha256: cached.sha256 };
    }
    const hashedAt = Date.now();
    const hash = hashFile(file) ?? null;
    if (hash !== null) {
      cache[file] = { size: stat.size, mtimeMs: stat.mtimeMs, hashedAt, sha256: hash };
      changed = true;
    }
    return { from, sha256: hash };
  });
  if (changed) {
    try {
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(cache, null, 2)}\n`, "utf8");
      renameSync(temporary, cacheFile);
    } catch {
      // a cache, not output
    }
  }
  return hashes;
}

/**
 * The input hash of one spec: SHA-256 over the generator version, the output-affecting config
 * (runtimeImport), the spec's path as headers show it, its bytes' SHA-256 and each import's SHA-256.
 */
export function inputHash(
  config: Pick<GeneratorConfig, "generatorVersion" | "runtimeImport">,
  spec: { readonly shown: string; readonly sha256: string },
  imports: readonly ImportedHash[],
): string {
  return sha256(
    JSON.stringify({
      scheme: INPUT_HASH_SCHEME,
      generatorVersion: config.generatorVersion,
      runtimeImport: config.runtimeImport,
      spec: spec.shown,
      specSha256: spec.sha256,
      imports: imports.map((i) => [i.from, i.sha256]),
    }),
  );
}

function listSourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSourceFiles(full));
    else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** The version in the package.json of an installed package, "?" when it cannot be found. */
function packageVersion(name: string): string {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(name));
    for (;;) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? "?";
      } catch {
        // no package.json at this level
      }
      const parent = path.dirname(dir);
      if (parent === dir) return "?";
      dir = parent;
    }
  } catch {
    return "?";
  }
}

/** The folder of the runtime package's built modules (its dist/), undefined when it cannot be resolved. */
function runtimeDirectory(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve("@switchboard/runtime/contract"));
  } catch {
    return undefined;
  }
}

let fingerprint: Promise<string> | undefined;

/**
 * The code files whose bytes generatorFingerprint() covers, each with the label it is hashed under: the
 * generator's own modules (every file under generator/: .js when built, .ts from source) and the runtime
 * package's built modules, since the generator asks the runtime which client and webhook parts a spec
 * needs (clientPartsFor, webhookPartsFor), so a runtime edit can change the output too.
 */
export async function fingerprintedFiles(): Promise<{ readonly label: string; readonly file: string }[]> {
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."); // generator/ (or dist/generator/)
  const files = listSourceFiles(here)
    .sort(compareCodePoints)
    .map((file) => ({ label: path.relative(here, file), file }));
  const runtime = runtimeDirectory();
  if (runtime !== undefined) {
    for (const file of listSourceFiles(runtime).sort(compareCodePoints)) {
      files.push({ label: `runtime/${path.relative(runtime, file)}`, file });
    }
  }
  return files;
}

/**
 * SHA-256 of the generator that is running: its code (fingerprintedFiles), the spec schema, and the
 * versions of the packages that shape the output. Any edit to the generator or the runtime changes it,
 * which GENERATOR_VERSION alone would not while they are developed.
 */
export function generatorFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
    const root = path.resolve(here, here.split(path.sep).includes("dist") ? "../.." : "..");
    const hash = createHash("sha256");
    for (const { label, file } of await fingerprintedFiles()) {
      hash.update(`${label}\0`).update(readFileSync(file)).update("\0");
    }
    hash.update(`schema\0${hashFile(path.join(root, "schema", "spec-v1.schema.json")) ?? "missing"}\0`);
    for (const name of ["prettier", "yaml", "ajv"]) hash.update(`${name}@${packageVersion(name)}\0`);
    return hash.digest("hex");
  })();
  return fingerprint;
}
