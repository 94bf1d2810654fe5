#!/usr/bin/env node
/**
 * `npm test`'s pretest step: the browser test (test/wire/auth/browser-login.test.ts) drives Debian's
 * Chromium at /usr/bin/chromium. When it is missing and this process may install packages (root, with
 * apt-get), it installs the Debian package `chromium`; otherwise it fails with one line saying what to
 * install. Exit codes: 0 Chromium is there, 1 it is not and could not be installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";

/**
 * Makes sure `executable` exists. `install` runs a command (apt-get) and returns its exit status.
 * Resolves with what happened ("present" or "installed"); throws an Error with a one-line message.
 */
export function ensureChromium({
  executable = CHROMIUM,
  uid = process.getuid?.() ?? -1,
  hasAptGet = existsSync("/usr/bin/apt-get"),
  install = (args) => spawnSync("apt-get", args, { stdio: ["ignore", process.stderr, process.stderr] }).status ?? 1,
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  if (existsSync(executable)) return "present";
  const what = `the browser test needs Chromium at ${executable}`;
  if (!hasAptGet) throw new Error(`${what}: install Chromium there (Debian/Ubuntu: apt-get install chromium), then run npm test again`);
  if (uid !== 0) throw new Error(`${what}: run 'sudo apt-get install -y chromium' (or npm test as root), then run npm test again`);
  log(`${executable} is missing; installing the Debian package chromium (apt-get)`);
  if (install(["update"]) !== 0 || install(["install", "-y", "--no-install-recommends", "chromium"]) !== 0 || !existsSync(executable)) {
    throw new Error(`${what}: 'apt-get install chromium' failed (see above); install it, then run npm test again`);
  }
  return "installed";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`npm test: ${error.message}\n`);
    process.exitCode = 1;
  }
}
