/**
 * The whole pipeline for a folder of specs: load each (parse, validate, model), emit, format, and
 * return the complete output in memory. Writing, or comparing for --check, is a separate step.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { displayPath, type GeneratorConfig } from "./config.js";
import { DiagnosticCode, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { emitProvider } from "./emit/emit.js";
import { formatAll } from "./output/format.js";
import { loadSpec, type LoadResult } from "./load.js";
import { withManifest } from "./output/manifest.js";
import { readFailure } from "./parse/parse.js";
import { findSpecs } from "./spec-files.js";

export { findSpecs };

export interface ProviderOutput {
  readonly provider: string;
  readonly spec: string;
  /** Absolute path -> formatted content. */
  readonly files: ReadonlyMap<string, string>;
  readonly operations: number;
  readonly events: number;
  readonly errorCodes: number;
  readonly elapsedMs: number;
}

export interface GenerateResult {
  readonly specs: readonly LoadResult[];
  readonly providers: readonly ProviderOutput[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Where a run is: which spec of how many, and its stage. Long runs (GitHub's 1,223 operations) report
 * through it; the CLI shows it on a terminal only.
 */
export interface GenerateProgress {
  readonly index: number;
  readonly total: number;
  /** The spec file while loading, the provider's name after. */
  readonly name: string;
  readonly stage: "loading" | "emitting" | "formatting";
  /** Operations being emitted, files being formatted. */
  readonly count?: number;
}

export async function readSpec(config: GeneratorConfig, file: string): Promise<LoadResult> {
  const shown = displayPath(config, file);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
    return { file: shown, text: "", model: undefined, diagnostics: [readFailure(shown, reason)] };
  }
  return loadSpec(shown, text, { path: file });
}

export async function generate(
  config: GeneratorConfig,
  files?: readonly string[],
  onProgress?: (progress: GenerateProgress) => void,
): Promise<GenerateResult> {
  const specFiles = files ?? (await findSpecs(config.specsDir));
  const specs: LoadResult[] = [];
  for (const [index, file] of specFiles.entries()) {
    onProgress?.({ index, total: specFiles.length, name: displayPath(config, file), stage: "loading" });
    specs.push(await readSpec(config, file));
  }
  const diagnostics: Diagnostic[] = specs.flatMap((s) => s.diagnostics);

  const byProvider = new Map<string, LoadResult>();
  for (const spec of specs) {
    if (!spec.model) continue;
    const first = byProvider.get(spec.model.provider.name);
    if (first) {
      diagnostics.push({
        file: spec.file,
        line: 1,
        column: 1,
        length: 1,
        severity: "error",
        code: DiagnosticCode.DuplicateProvider,
        message: `provider "${spec.model.provider.name}" is already defined by ${first.file}; each provider has one spec`,
        pointer: "/provider/name",
      });
      continue;
    }
    byProvider.set(spec.model.provider.name, spec);
  }

  const providers: ProviderOutput[] = [];
  for (const [index, spec] of [...byProvider.values()].entries()) {
    const model = spec.model!;
    const started = performance.now();
    const operations = model.groups.reduce((n, g) => n + g.operations.length, 0);
    const step = { index, total: byProvider.size, name: model.provider.name };
    onProgress?.({ ...step, stage: "emitting", count: operations });
    const emitted = emitProvider(model, { runtimeImport: config.runtimeImport, generatorVersion: config.generatorVersion });
    const out = new Map<string, string>();
    const folder = path.join(config.outDir, model.provider.name);
    onProgress?.({ ...step, stage: "formatting", count: emitted.length });
    const formatted = await formatAll(emitted.map((file) => file.text));
    emitted.forEach((file, i) => out.set(path.join(folder, ...file.path.split("/")), formatted[i]!));
    const output: ProviderOutput = {
      provider: model.provider.name,
      spec: spec.file,
      files: out,
      operations,
      events: model.events.length,
      errorCodes: model.errorCodes.length,
      elapsedMs: performance.now() - started,
    };
    // The manifest (manifest.ts) lets the next run skip this spec while nothing changes.
    providers.push(await withManifest(config, spec, output));
  }
  return { specs, providers, diagnostics: sortDiagnostics(diagnostics) };
}
