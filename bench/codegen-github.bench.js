/**
 * codegen-github: generating a client for GitHub's whole REST API (issue #4, item 5 "full-API scale").
 *
 * One document, node_modules/@octokit/openapi/generated/api.github.com.json (@octokit/openapi 23.0.2,
 * 13 MB, OpenAPI 3.0.3, 1,223 operations), through three generators, each run in its own child process
 * and timed by wall clock from spawn to exit, RUNS times each (medians reported), in rounds (one run of
 * each tool per round) so that a change of machine load spreads over all three:
 *
 *   openapi-typescript 7.13.0   types only (one schema.ts); the baseline of every ratio
 *   @hey-api/openapi-ts 0.95.0  default plugins (@hey-api/typescript, @hey-api/sdk, @hey-api/client-fetch,
 *                               the client bundled into the output); a comparison record
 *   switchboard                 bench/specs/github-full.yaml (operations.import of the document) through
 *                               the built generator (dist/generator: resolveConfig, generate, then
 *                               diffOutput/applyChanges to write), outDir under .bench-tmp/
 *
 * Then `tsc --noEmit` of each output (the repository's typescript and tsconfig.json compiler options:
 * strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck as in the repository; our
 * output resolves `@switchboard/runtime` to runtime/ through the package's exports), RUNS times each.
 * Last, `node bin/switchboard.js generate` over our unchanged output: once (a full run when no other run
 * of this generator build wrote that folder: it records the generator stamp), then RUNS times, each of
 * which must skip the spec (checked through --json).
 *
 * Metrics (see docs/benchmarks.md): <tool>_generate (ms), <tool>_peak_rss (MB), <tool>_output (bytes),
 * <tool>_output_files, <tool>_tsc (ms), <tool>_tsc_errors, for tool in openapi_typescript, hey_api,
 * switchboard; switchboard_generate_in_process (ms, generate() alone), switchboard_nochange_regen (ms).
 * Ratios: switchboard_generate / openapi_typescript_generate (target <= 1.5), switchboard_tsc /
 * openapi_typescript_tsc (target <= 2), hey-api's against openapi-typescript's; no-change target < 1000 ms.
 *
 * Environment: CODEGEN_GITHUB_RUNS (default 3) runs per measurement; CODEGEN_GITHUB_HEY_API_RUNS (default
 * CODEGEN_GITHUB_RUNS) for hey-api's generation, by far the slowest step.
 *
 * Run directly with --generate-probe OUTDIR it is our generation's child process: it prints one JSON line.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, runNode } from "./lib/child-process.js";

export const name = "codegen-github";

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "..");
const require = createRequire(import.meta.url);
const tmp = path.join(root, ".bench-tmp", "codegen-github");
const SPECS_DIR = "bench/specs";
const SPEC = "bench/specs/github-full.yaml";
const DOCUMENT = "@octokit/openapi/generated/api.github.com.json";

function runsFrom(variable, fallback) {
  const value = process.env[variable];
  if (value === undefined || value === "") return fallback;
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`${name}: ${variable} must be a positive integer, got ${JSON.stringify(value)}`);
  return runs;
}

const MB = 1024 * 1024;
const round = (value) => (value < 10 ? Math.round(value * 100) / 100 : Math.round(value * 10) / 10);
const rel = (file) => path.relative(root, file).split(path.sep).join("/");

/** Files (and their total bytes) under a folder, recursively. */
function measureOutput(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/** Operations in an OpenAPI document: methods under paths. */
function countOperations(file) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
  let n = 0;
  for (const item of Object.values(doc.paths ?? {})) for (const key of Object.keys(item)) if (methods.has(key)) n++;
  return n;
}

/** A tsconfig for one output folder: the repository's compiler options, only that folder's files. */
function writeTsconfig(dir) {
  const config = {
    extends: path.relative(dir, path.join(root, "tsconfig.json")).split(path.sep).join("/"),
    compilerOptions: { noEmit: true, incremental: false },
    include: ["**/*.ts"],
    exclude: [],
  };
  writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(config, null, 2)}\n`);
}

/** Our generation, in this file's child process (--generate-probe). */
async function generateProbe(outDir) {
  const t0 = performance.now();
  const { resolveConfig, generate, diffOutput, applyChanges } = await import(
    pathToFileURL(path.join(root, "dist/generator/index.js")).href
  );
  const t1 = performance.now();
  const config = resolveConfig({ cwd: root, specsDir: SPECS_DIR, outDir });
  const result = await generate(config);
  const t2 = performance.now();
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || result.providers.length !== 1) {
    for (const d of errors.slice(0, 10)) process.stderr.write(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}\n`);
    process.stderr.write(
      `${name}: the generator cannot generate ${SPEC} (${errors.length} error(s)). It needs operations.import ` +
        `(issue #4, on main): merge main and rebuild.\n`,
    );
    process.exit(1);
  }
  const [provider] = result.providers;
  if (provider.operations === 0) {
    process.stderr.write(`${name}: ${SPEC} generated no operations: the operations.import importer is missing or broken\n`);
    process.exit(1);
  }
  await applyChanges(result.providers, await diffOutput(result.providers, [config.outDir]));
  const t3 = performance.now();
  process.stdout.write(
    `${JSON.stringify({ importMs: t1 - t0, generateMs: t2 - t1, writeMs: t3 - t2, operations: provider.operations, files: provider.files.size })}\n`,
  );
}

function check(result, what) {
  if (result.code !== 0) {
    throw new Error(
      `${name}: ${what} exited with ${result.code}${result.stderr ? `: ${result.stderr.trim().split("\n").slice(-5).join(" | ")}` : ""}`,
    );
  }
  return result;
}

/** tsc --noEmit over a folder; errors are counted, not fatal (a record says whether the output compiles). */
async function tsc(dir) {
  const result = await runNode(require.resolve("typescript/bin/tsc"), ["-p", path.join(dir, "tsconfig.json"), "--noEmit"], {
    cwd: root,
    quiet: true,
  });
  if (result.code !== 0 && result.code !== 2)
    throw new Error(`${name}: tsc on ${rel(dir)} exited with ${result.code}: ${result.stderr || result.stdout.slice(0, 500)}`);
  const errors = (result.stdout.match(/error TS\d+/g) ?? []).length;
  if (errors > 0) process.stderr.write(`${name}: tsc found ${errors} error(s) in ${rel(dir)}, first: ${result.stdout.split("\n")[0]}\n`);
  return { wallMs: result.wallMs, peakRssBytes: result.peakRssBytes, errors };
}

export async function run(emit) {
  const RUNS = runsFrom("CODEGEN_GITHUB_RUNS", 3);
  const HEY_API_RUNS = runsFrom("CODEGEN_GITHUB_HEY_API_RUNS", RUNS);
  const started = performance.now();
  const document = require.resolve(DOCUMENT);
  const operations = countOperations(document);
  rmSync(tmp, { recursive: true, force: true });
  const dirs = {
    switchboard: path.join(tmp, "switchboard"),
    openapiTypescript: path.join(tmp, "openapi-typescript"),
    heyApi: path.join(tmp, "hey-api"),
  };

  /** One run of another generator's script (`file` inside package `pkg`) into its emptied folder. */
  async function external(tool, pkg, file, args) {
    rmSync(dirs[tool], { recursive: true, force: true });
    const script = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), ...file.split("/"));
    return check(await runNode(script, args, { cwd: root, quiet: true }), pkg);
  }

  const tools = {
    switchboard: {
      runs: RUNS,
      async once() {
        rmSync(dirs.switchboard, { recursive: true, force: true });
        const result = check(await runNode(self, ["--generate-probe", dirs.switchboard], { cwd: root }), "switchboard generation");
        return { ...result, probe: JSON.parse(result.stdout) };
      },
    },
    openapiTypescript: {
      runs: RUNS,
      once: () =>
        external("openapiTypescript", "openapi-typescript", "bin/cli.js", [document, "-o", path.join(dirs.openapiTypescript, "schema.ts")]),
    },
    heyApi: {
      runs: HEY_API_RUNS,
      // bin/run.js only spawns dist/run.mjs in another process: run that directly, so its peak RSS is measured.
      once: () =>
        external("heyApi", "@hey-api/openapi-ts", "dist/run.mjs", ["-i", document, "-o", dirs.heyApi, "--no-log-file", "--silent"]),
    },
  };

  // Generation, in rounds; ours first, so a generator without the importer fails before minutes of the others.
  const generation = { switchboard: [], openapiTypescript: [], heyApi: [] };
  for (let round = 0; round < Math.max(RUNS, HEY_API_RUNS); round++) {
    for (const [tool, { runs, once }] of Object.entries(tools)) {
      if (round >= runs) continue;
      const result = await once();
      generation[tool].push(result);
      process.stderr.write(`${name}: ${tool} generation ${round + 1}/${runs}: ${Math.round(result.wallMs)} ms\n`);
    }
  }

  // What each tool wrote (the last run's output), before a tsconfig.json is added to each folder.
  const outputs = Object.fromEntries(Object.entries(dirs).map(([tool, dir]) => [tool, measureOutput(dir)]));

  // Type-checking, in rounds.
  for (const dir of Object.values(dirs)) writeTsconfig(dir);
  const checking = { switchboard: [], openapiTypescript: [], heyApi: [] };
  for (let round = 0; round < RUNS; round++) {
    for (const tool of Object.keys(checking)) {
      const result = await tsc(dirs[tool]);
      checking[tool].push(result);
      process.stderr.write(`${name}: ${tool} tsc ${round + 1}/${RUNS}: ${Math.round(result.wallMs)} ms, ${result.errors} error(s)\n`);
    }
  }

  // No-change regeneration with the CLI over our output.
  const cli = path.join(root, "bin", "switchboard.js");
  const cliArgs = ["generate", "--specs", SPECS_DIR, "--out", rel(dirs.switchboard), "--json"];
  const skippedOf = (result) => JSON.parse(result.stdout).skipped;
  const first = check(await runNode(cli, cliArgs, { cwd: root, quiet: true }), "switchboard generate (first CLI run)");
  const firstSkipped = skippedOf(first);
  const nochange = [];
  for (let i = 0; i < RUNS; i++) {
    const result = check(await runNode(cli, cliArgs, { cwd: root, quiet: true }), "switchboard generate (no change)");
    if (skippedOf(result) !== 1) throw new Error(`${name}: the no-change run did not skip ${SPEC}: ${result.stdout.slice(0, 500)}`);
    nochange.push(result);
  }

  // Records.
  const med = (results, key) => median(results.map((r) => r[key]));
  const base = {
    generate: med(generation.openapiTypescript, "wallMs"),
    rss: med(generation.openapiTypescript, "peakRssBytes") / MB,
    bytes: outputs.openapiTypescript.bytes,
    tsc: med(checking.openapiTypescript, "wallMs"),
  };
  const versus = (metric, value, unit, baseline, extra = {}) =>
    emit({ metric, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline), ...extra });
  const runsOf = (results, key, scale = 1) => results.map((r) => round(r[key] / scale));

  emit({ metric: "operations", value: operations, unit: "operations", document: DOCUMENT });
  for (const [tool, prefix] of [
    ["openapiTypescript", "openapi_typescript"],
    ["heyApi", "hey_api"],
    ["switchboard", "switchboard"],
  ]) {
    const gen = generation[tool];
    const output = outputs[tool];
    const targetGen = tool === "switchboard" ? { target: "ratio <= 1.5" } : {};
    versus(`${prefix}_generate`, med(gen, "wallMs"), "ms", base.generate, {
      ...targetGen,
      runs: runsOf(gen, "wallMs"),
      // Against openapi-typescript's run of the same round: steadier than the ratio of medians when the load changes.
      round_ratio_median: round(median(gen.map((r, i) => r.wallMs / generation.openapiTypescript[Math.min(i, RUNS - 1)].wallMs))),
    });
    versus(`${prefix}_peak_rss`, med(gen, "peakRssBytes") / MB, "MB", base.rss, { runs: runsOf(gen, "peakRssBytes", MB) });
    versus(`${prefix}_output`, output.bytes, "bytes", base.bytes);
    emit({ metric: `${prefix}_output_files`, value: output.files, unit: "files" });
    const checks = checking[tool];
    const errors = checks[0].errors;
    versus(`${prefix}_tsc`, med(checks, "wallMs"), "ms", base.tsc, {
      ...(tool === "switchboard" && { target: "ratio <= 2" }),
      runs: runsOf(checks, "wallMs"),
      round_ratio_median: round(median(checks.map((r, i) => r.wallMs / checking.openapiTypescript[i].wallMs))),
      compiles: errors === 0,
      peak_rss_mb: round(med(checks, "peakRssBytes") / MB),
    });
    emit({ metric: `${prefix}_tsc_errors`, value: errors, unit: "errors", target: "0" });
  }
  const probes = generation.switchboard.map((r) => r.probe);
  versus("switchboard_generate_in_process", median(probes.map((p) => p.generateMs)), "ms", base.generate, {
    runs: probes.map((p) => round(p.generateMs)),
    import_ms: round(median(probes.map((p) => p.importMs))),
    write_ms: round(median(probes.map((p) => p.writeMs))),
    operations: probes[0].operations,
  });
  emit({
    metric: "switchboard_nochange_regen",
    value: round(med(nochange, "wallMs")),
    unit: "ms",
    target: "< 1000",
    runs: runsOf(nochange, "wallMs"),
    peak_rss_mb: round(med(nochange, "peakRssBytes") / MB),
    first_cli_run_ms: round(first.wallMs),
    first_cli_run_skipped: firstSkipped === 1,
  });
  emit({ metric: "bench_wall", value: round((performance.now() - started) / 1000), unit: "s", runs: RUNS, hey_api_runs: HEY_API_RUNS });
}

if (process.argv[1] === self && process.argv[2] === "--generate-probe") {
  mkdirSync(path.dirname(path.resolve(process.argv[3])), { recursive: true });
  await generateProbe(path.resolve(process.argv[3]));
}
