/**
 * size: what an application ships, tree-shaken as its bundler would (bench/lib/app-bundle.js: esbuild,
 * bundle + minify, ESM, then gzip level 9; `node:*` and undici external).
 *
 * Metrics:
 *   app_client_min_gz    bench/fixtures/size/stripe-one-call.ts: creates a Stripe client core, calls one
 *                        operation function (customersRetrieve) and handles its typed answer and error:
 *                        the form of the generated client that bundles only what is called.
 *                        Target <= 15 KB (15,360 bytes).
 *   app_client_class_min_gz
 *                        bench/fixtures/size/stripe-one-call-class.ts: the same application through the
 *                        client class (stripe.customers.retrieve), which brings every resource and method
 *                        (information).
 *   app_webhook_min_gz   bench/fixtures/size/stripe-webhook.ts: only verifies a Stripe webhook.
 *                        Target <= 5.5 KB (5,632 bytes).
 *   runtime_min_gz       runtime/index.ts, everything it exports (information: no application imports it all)
 *   runtime_min          the same, minified, not compressed
 *   client_min_gz        the whole generated Stripe client (generated/stripe/index.ts, every export) with the runtime
 *   auth_min_gz          @switchboard/runtime/auth (OAuth flows, token manager, GitHub App) bundled on its own
 *
 * Where the bytes go: for each app fixture, the largest inputs by minified bytes in the output go to stderr.
 */
import path from "node:path";
import { bundleApp as bundle, repoRoot } from "./lib/app-bundle.js";

export const name = "size";

const APP_CLIENT_TARGET = 15 * 1024;
const APP_WEBHOOK_TARGET = 5.5 * 1024;

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
  const classApp = await bundle("bench/fixtures/size/stripe-one-call-class.ts");
  where("app_client_class", classApp);
  emit({ metric: "app_client_class_min_gz", value: classApp.gz, unit: "bytes" });
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
