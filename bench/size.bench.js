/**
 * size: what an application ships, tree-shaken as its bundler would: esbuild, bundle + minify, ESM, then
 * gzip (level 9). `node:*` modules and the HTTP client dependency (undici) stay external: on Node they
 * come from the platform and node_modules, other runtimes use their own fetch.
 *
 * Metrics:
 *   app_client_min_gz    bench/fixtures/size/stripe-one-call.ts: creates the generated Stripe client and
 *                        calls one method. Target <= 15 KB (15,360 bytes).
 *   app_webhook_min_gz   bench/fixtures/size/stripe-webhook.ts: only verifies a Stripe webhook.
 *                        Target <= 5.5 KB (5,632 bytes).
 *   runtime_min_gz       runtime/index.ts, everything it exports (information: no application imports it all)
 *   runtime_min          the same, minified, not compressed
 *   client_min_gz        the whole generated Stripe client (generated/stripe/index.ts, every export) with the runtime
 *   auth_min_gz          @switchboard/runtime/auth (OAuth flows, token manager, GitHub App) bundled on its own
 *
 * Where the bytes go: for each app fixture, the largest inputs by minified bytes in the output go to stderr.
 */
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const name = "size";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const APP_CLIENT_TARGET = 15 * 1024;
const APP_WEBHOOK_TARGET = 5.5 * 1024;

async function bundle(entry) {
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
  const code = result.outputFiles.map((f) => f.contents).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));
  const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length, inputs };
}

/** The largest inputs of a bundle, by minified bytes, for the human reading stderr. */
function where(label, { inputs, min }) {
  const top = inputs
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, 12)
    .map(([file, { bytesInOutput }]) => `  ${String(bytesInOutput).padStart(6)}  ${path.relative(repoRoot, path.resolve(repoRoot, file))}`);
  process.stderr.write(`size: ${label}: ${min} bytes minified; largest inputs (minified bytes):\n${top.join("\n")}\n`);
}

export async function run(emit) {
  const app = await bundle("bench/fixtures/size/stripe-one-call.ts");
  where("app_client", app);
  emit({ metric: "app_client_min_gz", value: app.gz, unit: "bytes", target: `<= ${APP_CLIENT_TARGET}` });
  const webhook = await bundle("bench/fixtures/size/stripe-webhook.ts");
  where("app_webhook", webhook);
  emit({ metric: "app_webhook_min_gz", value: webhook.gz, unit: "bytes", target: `<= ${APP_WEBHOOK_TARGET}` });
  const runtime = await bundle("runtime/index.ts");
  emit({ metric: "runtime_min_gz", value: runtime.gz, unit: "bytes" });
  emit({ metric: "runtime_min", value: runtime.min, unit: "bytes" });
  const client = await bundle("generated/stripe/index.ts");
  emit({ metric: "client_min_gz", value: client.gz, unit: "bytes" });
  const auth = await bundle("runtime/auth/index.ts");
  emit({ metric: "auth_min_gz", value: auth.gz, unit: "bytes" });
}
