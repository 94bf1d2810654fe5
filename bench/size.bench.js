/**
 * size: the runtime as an application ships it, bundled and minified with esbuild, in bytes gzipped
 * (and raw). The HTTP client dependency (undici) is left out, as the target asks: on Node it comes from
 * node_modules, and other runtimes use their own fetch.
 *
 * Metrics:
 *   runtime_min_gz   runtime/index.ts, everything it exports, min+gz. Target <= 15 KB (15,360 bytes)
 *                    for everything the pipeline, auth, webhook and errors/versions issues put in it.
 *   runtime_min      the same, minified, not compressed
 *   client_min_gz    the generated Stripe client with the runtime, min+gz: what one provider costs
 *   auth_min_gz      @switchboard/runtime/auth (OAuth flows, token manager, GitHub App) bundled on its own, min+gz
 */
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const name = "size";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_BYTES = 15 * 1024;

async function bundle(entry) {
  const result = await build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    external: ["undici", "node:*"],
    // @switchboard/runtime resolves through node_modules (the workspace link) to the TypeScript source.
    conditions: ["switchboard-source"],
    logLevel: "error",
  });
  const code = result.outputFiles.map((f) => f.contents).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

export async function run(emit) {
  const runtime = await bundle("runtime/index.ts");
  emit({ metric: "runtime_min_gz", value: runtime.gz, unit: "bytes", target: `<= ${TARGET_BYTES}` });
  emit({ metric: "runtime_min", value: runtime.min, unit: "bytes" });
  const client = await bundle("generated/stripe/index.ts");
  emit({ metric: "client_min_gz", value: client.gz, unit: "bytes" });
  const auth = await bundle("runtime/auth/index.ts");
  emit({ metric: "auth_min_gz", value: auth.gz, unit: "bytes" });
}
