/**
 * Where an imported document is and what its bytes hash to, without parsing it: the part of
 * documents.ts the CLI's no-change check needs, kept free of the YAML parser so that check stays cheap.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Absolute path of `from` imported by the spec at `specPath`; undefined when it cannot be resolved. */
export function resolveDocumentPath(specPath: string, from: string): string | undefined {
  if (/^\.\.?\//.test(from) || path.isAbsolute(from)) return path.resolve(path.dirname(specPath), from);
  try {
    return createRequire(specPath).resolve(from);
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file's bytes, hex; undefined when it cannot be read. */
export function hashFile(file: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}
