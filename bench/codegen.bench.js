/**
 * codegen: time and memory to validate and generate every spec in specs/, with the built generator
 * (dist/generator). Output stays in memory: generate() returns the files, nothing is written.
 *
 * Baseline, measured in the same run: reading and parsing the same YAML files with the `yaml` package
 * (YAML.parse). Every time metric carries ratio = value / baseline, a figure that depends much less
 * on the machine than milliseconds do.
 *
 * Metrics (see docs/benchmarks.md):
 *   specs, output_files       what was measured
 *   cold_import               import of dist/generator/index.js in a fresh process (median of COLD_RUNS processes)
 *   cold_run                  first generate() in a fresh process, after the import (same processes)
 *   warm_median, warm_min     generate() once everything is loaded and compiled and WARMUP_RUNS runs
 *                             have let the JIT settle (WARM_RUNS runs)
 *   warm_load, warm_emit, warm_format   the warm median of each stage: load (read, parse, validate,
 *                             model), emit (the declaration printer) and format (prettier)
 *   cold_load, cold_emit, cold_format   the first pass of each stage in this process (ajv compile,
 *                             prettier plugin loading)
 *   peak_rss                  process.resourceUsage().maxRSS of this benchmark's process, in MB
 *   peak_heap, peak_heap_used largest V8 heap committed / used seen by a 1 ms sampler and at every
 *                             stage boundary, in MB (used is a lower bound: samples can miss a peak)
 *   heap_retained             V8 heap used after a full GC at the end, in MB: what stays loaded
 *                             (modules, compiled schema), the rest of the peak is garbage
 *
 * Run directly with --cold-probe it is the fresh process of the cold figures: it prints one JSON line.
 */
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";

export const name = "codegen";

const COLD_RUNS = 5;
/** generate() runs discarded before warm measurements, so that the JIT has settled. */
const WARMUP_RUNS = 5;
const WARM_RUNS = 10;
/** Parse-only runs: at least this many, and for at least BASELINE_MIN_MS. */
const BASELINE_RUNS = 20;
const BASELINE_MIN_MS = 500;

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "..");
const dist = path.join(root, "dist", "generator");
const distUrl = (file) => pathToFileURL(path.join(dist, file)).href;

/**
 * Nothing is written; the out folder only names the in-memory files (and is gitignored anyway). The
 * spec files are listed once, at the start, and every process works on that list.
 */
const configOptions = { cwd: root, specsDir: "specs", outDir: ".bench-tmp/codegen" };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value) {
  return value < 10 ? Math.round(value * 100) / 100 : Math.round(value * 10) / 10;
}

const MB = 1024 * 1024;

async function specFiles() {
  const entries = await readdir(path.join(root, configOptions.specsDir), { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(root, configOptions.specsDir, e.name))
    .sort();
}

/** Fails the benchmark when a spec has errors: timings of a pipeline that stopped early mean nothing. */
function checkResult(result, specCount) {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const first = errors[0];
    throw new Error(
      `codegen: ${errors.length} spec error(s), first: ${first.file}:${first.line}:${first.column} ${first.code} ${first.message}`,
    );
  }
  if (result.providers.length !== specCount) throw new Error(`codegen: ${specCount} specs gave ${result.providers.length} providers`);
}

async function coldProbe() {
  const t0 = performance.now();
  const { resolveConfig, generate } = await import(distUrl("index.js"));
  const t1 = performance.now();
  const files = JSON.parse(process.argv[3]);
  const result = await generate(resolveConfig(configOptions), files);
  const t2 = performance.now();
  checkResult(result, files.length);
  process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, coldMs: t2 - t1 })}\n`);
}

function probeOnce(files) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [self, "--cold-probe", JSON.stringify(files)], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
    proc.on("error", reject);
    proc.on("close", (code) => {
      if (code !== 0) return reject(new Error(`codegen: cold probe exited with ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`codegen: cold probe printed ${JSON.stringify(out)}`));
      }
    });
  });
}

/** Largest V8 heap seen, sampled every millisecond (when the event loop gets a turn) and on demand. */
function heapSampler() {
  let used = 0;
  let total = 0;
  const sample = () => {
    const s = v8.getHeapStatistics();
    if (s.used_heap_size > used) used = s.used_heap_size;
    if (s.total_heap_size > total) total = s.total_heap_size;
  };
  const timer = setInterval(sample, 1);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return { used, total };
    },
  };
}

export async function run(emit) {
  const files = await specFiles();
  if (files.length === 0) throw new Error("codegen: no specs in specs/");

  // Cold figures first, in fresh processes, one after another (never in parallel with a measurement).
  const probes = [];
  for (let i = 0; i < COLD_RUNS; i++) probes.push(await probeOnce(files));

  const heap = heapSampler();
  const { resolveConfig, generate } = await import(distUrl("index.js"));
  const { readSpec } = await import(distUrl("generate.js"));
  const { emitProvider } = await import(distUrl("emit/emit.js"));
  const { formatTypeScript } = await import(distUrl("format.js"));
  const { parse: parseYaml } = await import("yaml");
  const config = resolveConfig(configOptions);
  const ctx = { runtimeImport: config.runtimeImport, generatorVersion: config.generatorVersion };

  /** The stages of generate(), timed one by one (same calls, same order). */
  async function stages() {
    const t0 = performance.now();
    const loaded = [];
    for (const file of files) loaded.push(await readSpec(config, file));
    const t1 = performance.now();
    heap.sample();
    const emitted = loaded.map((spec) => {
      if (!spec.model) throw new Error(`codegen: ${spec.file} does not load`);
      return emitProvider(spec.model, ctx);
    });
    const t2 = performance.now();
    heap.sample();
    let outputFiles = 0;
    for (const provider of emitted) {
      for (const file of provider) {
        await formatTypeScript(file.text);
        outputFiles++;
      }
    }
    const t3 = performance.now();
    heap.sample();
    return { load: t1 - t0, emit: t2 - t1, format: t3 - t2, outputFiles };
  }

  // The first pass of each stage in this process: what the cold run spends beyond the warm one.
  const cold = await stages();

  for (let i = 0; i < WARMUP_RUNS; i++) checkResult(await generate(config, files), files.length);
  heap.sample();

  const warm = [];
  let outputFiles = 0;
  for (let i = 0; i < WARM_RUNS; i++) {
    const started = performance.now();
    const result = await generate(config, files);
    warm.push(performance.now() - started);
    heap.sample();
    checkResult(result, files.length);
    outputFiles = result.providers.reduce((n, p) => n + p.files.size, 0);
  }

  const staged = [];
  for (let i = 0; i < WARM_RUNS; i++) staged.push(await stages());

  // Baseline: read and parse the same files, nothing else.
  const parseTimes = [];
  const baselineStarted = performance.now();
  while (parseTimes.length < BASELINE_RUNS || performance.now() - baselineStarted < BASELINE_MIN_MS) {
    const started = performance.now();
    for (const file of files) parseYaml(await readFile(file, "utf8"));
    parseTimes.push(performance.now() - started);
  }
  const memory = heap.stop();
  const baseline = median(parseTimes);

  const time = (metric, ms) => emit({ metric, value: round(ms), unit: "ms", baseline: round(baseline), ratio: round(ms / baseline) });
  emit({ metric: "specs", value: files.length, unit: "files" });
  emit({ metric: "output_files", value: outputFiles, unit: "files" });
  time("cold_import", median(probes.map((p) => p.importMs)));
  time("cold_run", median(probes.map((p) => p.coldMs)));
  time("warm_median", median(warm));
  time("warm_min", Math.min(...warm));
  time("warm_load", median(staged.map((s) => s.load)));
  time("warm_emit", median(staged.map((s) => s.emit)));
  time("warm_format", median(staged.map((s) => s.format)));
  time("cold_load", cold.load);
  time("cold_emit", cold.emit);
  time("cold_format", cold.format);
  emit({ metric: "peak_rss", value: round(process.resourceUsage().maxRSS / 1024), unit: "MB" });
  emit({ metric: "peak_heap", value: round(memory.total / MB), unit: "MB" });
  emit({ metric: "peak_heap_used", value: round(memory.used / MB), unit: "MB" });
  // The runner starts benchmarks with --expose-gc; without it (run by hand) the figure is left out.
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    emit({ metric: "heap_retained", value: round(process.memoryUsage().heapUsed / MB), unit: "MB" });
  }
}

if (process.argv[1] === self && process.argv[2] === "--cold-probe") await coldProbe();
