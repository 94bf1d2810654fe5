/**
 * Runs a Node script in a child process and measures it from outside: wall time from spawn to exit, and
 * the child's peak RSS (through bench/lib/rss-probe.js). The child's stdout is collected, never passed to
 * the benchmark's stdout (which carries only JSON records); its stderr goes to the benchmark's stderr.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const probe = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-probe.js")).href;

/**
 * Resolves to { code, wallMs, peakRssBytes, stdout, stderr }. `quiet` keeps the child's stderr out of
 * the benchmark's (it is still returned).
 */
export function runNode(script, args, { cwd, env = {}, quiet = false } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-bench-rss-"));
  const rssFile = path.join(dir, "rss");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", probe, script, ...args], {
      cwd,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      let peakRssBytes;
      try {
        peakRssBytes = Number(readFileSync(rssFile, "utf8"));
      } catch {
        peakRssBytes = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? (signal ? 128 : 1), wallMs, peakRssBytes, stdout, stderr });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
