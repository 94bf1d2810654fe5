/**
 * install-size: what an application's node_modules weighs with Switchboard, installed the way README
 * says (the runtime as a dependency, the tool as a dev dependency) from the packed tarballs, in a fresh
 * folder. Packing runs no scripts: the runner builds first (or pass --no-build after `npm run build`).
 *
 * Metrics:
 *   production_node_modules  bytes of node_modules after `npm prune --omit=dev`: the runtime and its
 *                            dependencies only. Target <= 5 MB (5,242,880 bytes). baseline: the dev install
 *                            below; ratio = production / dev install.
 *   dev_node_modules         bytes of node_modules with the tool installed as a dev dependency
 *   production_packages      how many packages the production install holds
 *   tool_tarball / runtime_tarball  the packed sizes (what npm downloads)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, DEV_ONLY_PACKAGES, dirSize, installedPackages, packPackages, sh } from "./lib/packed-app.js";

export const name = "install-size";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_BYTES = 5 * 1024 * 1024;

export async function run(emit) {
  const work = await mkdtemp(path.join(tmpdir(), "switchboard-install-size-"));
  try {
    const { tool, runtime } = await packPackages(repoRoot, path.join(work, "packs"));
    const app = path.join(work, "app");
    await createApp(app, "module");
    await sh("npm", ["install", runtime.file], { cwd: app });
    await sh("npm", ["install", "--save-dev", tool.file], { cwd: app });
    const dev = dirSize(path.join(app, "node_modules"));
    await sh("npm", ["prune", "--omit=dev"], { cwd: app });
    const production = dirSize(path.join(app, "node_modules"));
    const packages = installedPackages(path.join(app, "node_modules"));
    const leaked = packages.filter((p) => DEV_ONLY_PACKAGES.includes(p));
    if (leaked.length > 0) throw new Error(`the production install holds dev-only packages: ${leaked.join(", ")}`);
    process.stderr.write(`production install: ${packages.join(", ")}\n`);
    emit({
      metric: "production_node_modules",
      value: production,
      unit: "bytes",
      baseline: dev,
      ratio: Number((production / dev).toFixed(4)),
      target: `<= ${TARGET_BYTES}`,
    });
    emit({ metric: "dev_node_modules", value: dev, unit: "bytes" });
    emit({ metric: "production_packages", value: packages.length, unit: "packages" });
    emit({ metric: "tool_tarball", value: tool.size, unit: "bytes" });
    emit({ metric: "runtime_tarball", value: runtime.size, unit: "bytes" });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
