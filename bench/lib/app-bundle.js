/**
 * An application bundled as its bundler would ship it: esbuild, bundle + minify, ESM, tree-shaken, then
 * gzip (level 9). `node:*` modules and the HTTP client dependency (undici) stay external: on Node they
 * come from the platform and node_modules, other runtimes use their own fetch. Used by the size bench
 * and by the tests that check what a bundle keeps.
 */
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Bundles `entry` (relative to the repo): the code, its minified and gzipped sizes, and esbuild's inputs with their bytes in the output. */
export async function bundleApp(entry) {
  const result = await build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    metafile: true,
    external: ["undici", "node:*"],
    // @switchboard/runtime resolves through node_modules (the workspace link) to the TypeScript source.
    conditions: ["switchboard-source"],
    logLevel: "error",
  });
  const code = Buffer.concat(result.outputFiles.map((f) => f.contents));
  const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  return { code: code.toString("utf8"), min: code.length, gz: gzipSync(code, { level: 9 }).length, inputs };
}
