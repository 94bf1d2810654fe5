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

const gz = (code) => gzipSync(code, { level: 9 }).length;

/**
 * Bundles `entry` (relative to the repo): the code, its minified and gzipped sizes, and per input file
 * (repo-relative) its minified bytes in the output and its share of the gzipped size: how much smaller
 * the gzipped bundle is without that file's bytes (read from the source map).
 */
export async function bundleApp(entry) {
  const result = await build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    sourcemap: "external",
    outfile: path.join(repoRoot, ".bench-tmp/size/app.js"),
    external: ["undici", "node:*"],
    // @switchboard/runtime resolves through node_modules (the workspace link) to the TypeScript source.
    conditions: ["switchboard-source"],
    logLevel: "error",
  });
  const code = result.outputFiles.find((f) => f.path.endsWith(".js")).text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith(".map")).text);
  const total = gz(code);
  const owners = ownerOfEachChar(code, map.mappings);
  const inputs = map.sources.map((source, index) => {
    let min = 0;
    let rest = "";
    for (let i = 0; i < code.length; i++) {
      if (owners[i] === index) min++;
      else rest += code[i];
    }
    return { file: path.relative(repoRoot, path.resolve(path.dirname(result.outputFiles[0].path), source)), min, gz: total - gz(rest) };
  });
  return { code, min: Buffer.byteLength(code), gz: total, inputs: inputs.filter((input) => input.min > 0) };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** For each character of the code, the index of the source its source-map segment points into (-1: none). */
function ownerOfEachChar(code, mappings) {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === "\n") lineStarts.push(i + 1);
  const segments = [];
  let source = 0;
  mappings.split(";").forEach((line, lineIndex) => {
    let column = 0;
    for (const segment of line === "" ? [] : line.split(",")) {
      const fields = [];
      for (let i = 0, value = 0, shift = 0; i < segment.length; i++) {
        const digit = BASE64.indexOf(segment[i]);
        value += (digit & 31) << shift;
        shift += 5;
        if ((digit & 32) === 0) {
          fields.push(value & 1 ? -(value >> 1) : value >> 1);
          value = shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([lineStarts[lineIndex] + column, fields.length > 1 ? source : -1]);
    }
  });
  segments.sort((a, b) => a[0] - b[0]);
  const owners = new Int32Array(code.length).fill(-1);
  segments.forEach(([start, owner], i) => owners.fill(owner, start, i + 1 < segments.length ? segments[i + 1][0] : code.length));
  return owners;
}
