/** User options resolved once into the read-only config every stage receives. */
import path from "node:path";
import { didYouMean } from "./common/did-you-mean.js";
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

/** The file `switchboard init` writes and every command reads from the working directory. */
export const CONFIG_FILE = "switchboard.config.json";

/** What switchboard.config.json may hold; paths are relative to the file's folder. */
export interface ConfigFile {
  /** Folder with the specs. @default "specs" */
  readonly specs?: string;
  /** Output folder, one subfolder per provider. @default "generated" */
  readonly out?: string;
  /** Module generated code imports the runtime from. @default "@switchboard/runtime/contract" */
  readonly runtimeImport?: string;
}

/** A config file that cannot be used: `message` names the file and the problem. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
}

const CONFIG_KEYS = ["specs", "out", "runtimeImport"] as const;

/**
 * The options in `<cwd>/switchboard.config.json` (none when there is no file), as GeneratorOptions
 * overrides; `cwd` itself is not included. Throws ConfigFileError for unreadable JSON, unknown keys
 * (with a did-you-mean) and values that are not non-empty strings.
 */
export function readConfigFile(cwd: string, read: (file: string) => string | undefined): Omit<GeneratorOptions, "cwd"> {
  const file = path.join(cwd, CONFIG_FILE);
  const text = read(file);
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${CONFIG_FILE}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigFileError(`${CONFIG_FILE}: must be a JSON object`);
  const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => key !== "$schema");
  for (const [key, v] of entries) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new ConfigFileError(`${CONFIG_FILE}: unknown key "${key}"${didYouMean(key, CONFIG_KEYS)} (keys: ${CONFIG_KEYS.join(", ")})`);
    }
    if (typeof v !== "string" || v === "") throw new ConfigFileError(`${CONFIG_FILE}: "${key}" must be a non-empty string`);
  }
  const config = Object.fromEntries(entries) as ConfigFile;
  return {
    ...(config.specs !== undefined && { specsDir: config.specs }),
    ...(config.out !== undefined && { outDir: config.out }),
    ...(config.runtimeImport !== undefined && { runtimeImport: config.runtimeImport }),
  };
}
