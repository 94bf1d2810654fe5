/**
 * Bundles a generated client (generated/<provider>/index.ts) with the runtime source into one ES module
 * under bench/.build/, so benchmarks run the same code an application would, without a TypeScript
 * loader. undici stays external and loads from node_modules.
 */
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Bundles `entry` (relative to the repository) into bench/.build/<name>.mjs and imports it. */
async function bundle(entry, name) {
  const outfile = path.join(repoRoot, "bench/.build", `${name}.mjs`);
  await build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    external: ["undici"],
    // @switchboard/runtime resolves through node_modules (the workspace link) to the TypeScript source.
    conditions: ["switchboard-source"],
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}

/** Resolves to the bundled module of `generated/<provider>`. */
export function importGeneratedClient(provider) {
  return bundle(path.join("generated", provider, "index.ts"), provider);
}

/** Resolves to the bundled runtime contract entry (ClientCore for clients built from a definition object). */
export function importRuntimeContract() {
  return bundle(path.join("runtime", "contract.ts"), "contract");
}

/** Resolves to the bundled undici transport entry (`@switchboard/runtime/undici`), the client's default transport on Node. */
export function importUndiciTransport() {
  return bundle(path.join("runtime", "undici.ts"), "undici-transport");
}

/** Starts `bench/servers/<name>.js` in its own process; resolves to its URL and a stop function. */
export async function startServer(name, args = []) {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [path.join(repoRoot, "bench/servers", `${name}.js`), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const line = buffer.split("\n")[0];
      if (buffer.includes("\n")) resolve(line.trim());
    });
    child.on("exit", (code) => reject(new Error(`server ${name} exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill();
      }),
  };
}
