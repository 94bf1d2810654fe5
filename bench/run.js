#!/usr/bin/env node
/**
 * Benchmark runner.
 *
 *   node bench/run.js [--no-build] [NAME...]     (npm run -s bench [-- NAME...])
 *
 * Benchmarks are the files bench/<name>.bench.js; each exports `name` (equal to <name>) and
 * `async run(emit)`. With no NAME every benchmark runs, in name order. Each runs in its own Node
 * process, so peak memory figures belong to that benchmark alone.
 *
 * Output contract: stdout carries one JSON object per line and nothing else,
 *   {"bench":NAME,"metric":...,"value":N,"unit":...,"baseline":N,"ratio":N,"target":...}
 * (baseline, ratio and target only where they apply). Everything for humans (build output, progress,
 * errors) goes to stderr. Note that `npm run bench` prints npm's own "> switchboard@... bench" banner
 * on stdout before this runner starts; use `npm run -s bench` (or `node bench/run.js`) when a program
 * reads the output.
 *
 * Before running, the runtime and the generator are built (tsc, its output sent to stderr) so
 * the figures are always for the current source; --no-build skips that.
 *
 * Exit codes: 0 all benchmarks ran, 1 a build or benchmark failed, 2 usage (unknown benchmark name).
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const SUFFIX = ".bench.js";
const CHILD_FLAG = "--child";

const USAGE = `Usage: node bench/run.js [--no-build] [NAME...]   (npm run -s bench [-- NAME...])

Runs every benchmark in bench/*.bench.js, or the named ones, each in its own process, and prints one
JSON object per line on stdout. Human-readable output goes to stderr.

Options:
  --no-build   Do not build the runtime and the generator first
  -h, --help   Show this help
`;

/** Benchmark name -> absolute file, sorted by name. */
function discover() {
  return new Map(
    readdirSync(benchDir)
      .filter((f) => f.endsWith(SUFFIX))
      .sort()
      .map((f) => [f.slice(0, -SUFFIX.length), path.join(benchDir, f)]),
  );
}

/** Keys in the order of the convention; anything else a benchmark adds is kept after them. */
const ORDER = ["bench", "metric", "value", "unit", "baseline", "ratio", "target"];

function checkRecord(record, name) {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "not an object";
  if (record.bench !== name) return `"bench" is ${JSON.stringify(record.bench)}, expected ${JSON.stringify(name)}`;
  if (typeof record.metric !== "string" || record.metric === "") return `"metric" must be a non-empty string`;
  if (typeof record.value !== "number" || !Number.isFinite(record.value)) return `"value" must be a finite number`;
  if (typeof record.unit !== "string") return `"unit" must be a string`;
  for (const key of ["baseline", "ratio"]) {
    if (key in record && (typeof record[key] !== "number" || !Number.isFinite(record[key]))) return `"${key}" must be a finite number`;
  }
  return undefined;
}

function normalise(record) {
  const out = {};
  for (const key of ORDER) if (key in record) out[key] = record[key];
  for (const key of Object.keys(record)) if (!(key in out)) out[key] = record[key];
  return out;
}

/** Child mode: import one benchmark and run it; `emit` is the only writer to stdout. */
async function child(file) {
  const write = process.stdout.write.bind(process.stdout);
  // Anything a library or a benchmark logs goes to stderr, so it cannot break the JSON stream.
  console.log = console.info = console.debug = console.error;
  process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);

  const expected = path.basename(file, SUFFIX);
  const mod = await import(pathToFileURL(file).href);
  if (mod.name !== expected || typeof mod.run !== "function") {
    throw new Error(`${path.relative(repoRoot, file)} must export name = ${JSON.stringify(expected)} and async run(emit)`);
  }
  let count = 0;
  const emit = (fields) => {
    const record = normalise({ bench: mod.name, ...fields });
    const problem = checkRecord(record, mod.name);
    if (problem) throw new Error(`${mod.name}: bad metric ${JSON.stringify(fields)}: ${problem}`);
    write(`${JSON.stringify(record)}\n`);
    count++;
  };
  await mod.run(emit);
  if (count === 0) throw new Error(`${mod.name}: reported no metric`);
}

function build() {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve("typescript/bin/tsc");
  process.stderr.write("bench: building (tsc -p runtime/tsconfig.json, then tsc -p tsconfig.build.json)\n");
  // The runtime package first: the generator compiles against its declarations.
  const run = (project) =>
    new Promise((resolve) => {
      // tsc prints its errors on stdout: send them to stderr with the rest.
      const proc = spawn(process.execPath, [tsc, "-p", project], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
      proc.on("close", (code, signal) => resolve(code === 0 && signal === null));
      proc.on("error", (error) => {
        process.stderr.write(`bench: cannot run tsc: ${error.message}\n`);
        resolve(false);
      });
    });
  return run("runtime/tsconfig.json").then((ok) => ok && run("tsconfig.build.json"));
}

/** Runs one benchmark in a fresh process and relays its JSON lines. Resolves true on success. */
function runOne(name, file) {
  process.stderr.write(`bench: ${name}\n`);
  const started = performance.now();
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), CHILD_FLAG, file], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let ok = true;
    const lines = createInterface({ input: proc.stdout, crlfDelay: Infinity });
    lines.on("line", (line) => {
      let record;
      try {
        record = JSON.parse(line);
      } catch {
        record = undefined;
      }
      const problem = record === undefined ? "not JSON" : checkRecord(record, name);
      if (problem) {
        ok = false;
        process.stderr.write(`bench: ${name}: dropped a stdout line (${problem}): ${line}\n`);
        return;
      }
      process.stdout.write(`${JSON.stringify(record)}\n`);
    });
    let exit;
    proc.on("close", (code, signal) => (exit = { code, signal }));
    lines.on("close", () => {
      // 'close' of the process and of its stdout may come in either order.
      const finish = () => {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (exit.code !== 0) {
          process.stderr.write(`bench: ${name} failed (${exit.signal ?? `exit code ${exit.code}`}) after ${seconds} s\n`);
          resolve(false);
        } else {
          process.stderr.write(`bench: ${name} done in ${seconds} s\n`);
          resolve(ok);
        }
      };
      if (exit) finish();
      else proc.on("close", finish);
    });
    proc.on("error", (error) => {
      process.stderr.write(`bench: ${name}: cannot start: ${error.message}\n`);
      resolve(false);
    });
  });
}

async function main(argv) {
  if (argv[0] === CHILD_FLAG) {
    try {
      await child(path.resolve(argv[1]));
      return 0;
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    }
  }
  let buildFirst = true;
  const names = [];
  for (const arg of argv) {
    if (arg === "-h" || arg === "--help") {
      process.stderr.write(USAGE);
      return 0;
    } else if (arg === "--no-build") buildFirst = false;
    else if (arg.startsWith("-")) {
      process.stderr.write(`bench: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    } else names.push(arg);
  }
  const available = discover();
  const unknown = names.filter((n) => !available.has(n));
  if (unknown.length > 0) {
    const list = [...available.keys()].join(", ") || "(none)";
    process.stderr.write(`bench: unknown benchmark${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}; available: ${list}\n`);
    return 2;
  }
  const selected = names.length > 0 ? [...new Set(names)] : [...available.keys()];
  if (process.env.npm_lifecycle_event !== undefined && process.env.npm_config_loglevel !== "silent") {
    process.stderr.write(
      `bench: npm printed its "> ${process.env.npm_package_name ?? "package"}@... ${process.env.npm_lifecycle_event}" banner on stdout; ` +
        `for JSON lines only, run 'npm run -s ${process.env.npm_lifecycle_event}' or 'node bench/run.js'\n`,
    );
  }
  if (buildFirst && !(await build())) {
    process.stderr.write("bench: build failed\n");
    return 1;
  }
  let failed = 0;
  for (const name of selected) if (!(await runOne(name, available.get(name)))) failed++;
  if (failed > 0) process.stderr.write(`bench: ${failed} of ${selected.length} benchmark${selected.length === 1 ? "" : "s"} failed\n`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
