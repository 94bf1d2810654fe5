/** User options resolved once into the read-only config every stage receives. */
import path from "node:path";
import { GENERATOR_VERSION } from "./version.js";

export interface GeneratorConfig {
  /** Working directory; displayed paths are relative to it. */
  readonly cwd: string;
  /** Absolute folder holding the specs. */
  readonly specsDir: string;
  /** Absolute output folder; each provider gets <outDir>/<provider>/. */
  readonly outDir: string;
  /** Module specifier generated code imports the runtime from. @default "@switchboard/runtime/contract" */
  readonly runtimeImport: string;
  readonly generatorVersion: string;
}

export interface GeneratorOptions {
  readonly cwd: string;
  /** @default "specs" */
  readonly specsDir?: string;
  /** @default "generated" */
  readonly outDir?: string;
  readonly runtimeImport?: string;
}

export function resolveConfig(options: GeneratorOptions): GeneratorConfig {
  return Object.freeze({
    cwd: options.cwd,
    specsDir: path.resolve(options.cwd, options.specsDir ?? "specs"),
    outDir: path.resolve(options.cwd, options.outDir ?? "generated"),
    runtimeImport: options.runtimeImport ?? "@switchboard/runtime/contract",
    generatorVersion: GENERATOR_VERSION,
  });
}

/** A path as shown to the user and written into headers: relative to cwd, forward slashes. */
export function displayPath(config: { cwd: string }, absolute: string): string {
  const relative = path.relative(config.cwd, absolute);
  return (relative === "" ? "." : relative).split(path.sep).join("/");
}
