/**
 * A user's application, built the way a user builds it: both packages packed with `npm pack`, a fresh
 * folder with its own package.json, the tarballs installed by npm. Shared by the end-to-end suite
 * (test/e2e/packed-app.test.ts) and the install-size benchmark (bench/install-size.bench.js).
 *
 * npm runs with the registry reachable but --prefer-offline (the packages the tarballs depend on are in
 * the npm cache after the repository's own `npm ci`), and with no audit or fund requests.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Packages that must never be in an application's production install. */
export const DEV_ONLY_PACKAGES = [
  "switchboard",
  "ts-morph",
  "@ts-morph/common",
  "prettier",
  "typescript",
  "ajv",
  "ajv-formats",
  "yaml",
  "@octokit/openapi",
  "@octokit/openapi-webhooks",
];

/** The environment npm runs in: the caller's, without the npm_* variables of an enclosing `npm test`. */
export function npmEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return {
    ...env,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
    ...extra,
  };
}

/** Runs a command; resolves with its output, rejects with an error that carries stdout and stderr. */
export async function sh(command, args, options) {
  try {
    return await run(command, args, { maxBuffer: 64 * 1024 * 1024, env: npmEnv(), ...options });
  } catch (error) {
    error.message = `${command} ${args.join(" ")} failed in ${options?.cwd}:\n${error.stdout ?? ""}\n${error.stderr ?? ""}\n${error.message}`;
    throw error;
  }
}

/**
 * Packs the tool (repository root) and the runtime (runtime/) into `dest`; the packages must be built
 * (`npm run build`): packing runs no scripts. Resolves with the two tarball paths.
 */
export async function packPackages(repoRoot, dest) {
  for (const built of ["dist/generator/cli/main.js", "runtime/dist/index.js", "providers/index.json"]) {
    if (!existsSync(path.join(repoRoot, built))) throw new Error(`${built} is missing: run 'npm run build' first`);
  }
  await mkdir(dest, { recursive: true });
  const pack = async (args) => {
    const { stdout } = await sh("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest, ...args], { cwd: repoRoot });
    const [info] = JSON.parse(stdout);
    return { file: path.join(dest, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
  };
  return { tool: await pack([]), runtime: await pack(["--workspace", "@switchboard/runtime"]) };
}

/** Writes a fresh application folder: package.json of the given module type, nothing else. */
export async function createApp(dir, type) {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: `switchboard-e2e-${type}`, version: "1.0.0", private: true, type }, null, 2)}\n`,
  );
}

/** Bytes of every file under `dir` (symbolic links not followed). */
export function dirSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Names of the packages installed anywhere in a node_modules tree (nested ones included), sorted, unique. */
export function installedPackages(nodeModules) {
  const names = new Set();
  const visit = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      if (entry.name.startsWith("@")) {
        for (const scoped of readdirSync(path.join(dir, entry.name), { withFileTypes: true })) {
          if (!scoped.isDirectory()) continue;
          names.add(`${entry.name}/${scoped.name}`);
          visit(path.join(dir, entry.name, scoped.name, "node_modules"));
        }
      } else {
        names.add(entry.name);
        visit(path.join(dir, entry.name, "node_modules"));
      }
    }
  };
  visit(nodeModules);
  return [...names].sort();
}
