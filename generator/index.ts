/** The generator's programmatic API: the same stages the CLI runs. */
export { main, type CliIo } from "./cli/main.js";
export { resolveConfig, type GeneratorConfig, type GeneratorOptions } from "./config.js";
export { formatDiagnostic, type Diagnostic, DiagnosticCode } from "./diagnostics.js";
export { generate, type GenerateResult, type ProviderOutput } from "./generate.js";
export type { SpecModel } from "./model/ir.js";
export { loadSpec, type LoadResult } from "./load.js";
export { applyChanges, diffOutput, type OutputChange } from "./output/write.js";
