/** Types of packed-app.js, for the TypeScript tests that use it. */
import type { ExecFileOptions } from "node:child_process";

export interface PackedTarball {
  readonly file: string;
  readonly files: readonly string[];
  readonly size: number;
  readonly unpackedSize: number;
}
export declare const DEV_ONLY_PACKAGES: readonly string[];
export declare function npmEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function sh(command: string, args: readonly string[], options: ExecFileOptions): Promise<{ stdout: string; stderr: string }>;
export declare function packPackages(repoRoot: string, dest: string): Promise<{ tool: PackedTarball; runtime: PackedTarball }>;
export declare function createApp(dir: string, type: "module" | "commonjs"): Promise<void>;
export declare function dirSize(dir: string): number;
export declare function installedPackages(nodeModules: string): string[];
