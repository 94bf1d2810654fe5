/** Types of app-bundle.js, for the TypeScript tests that use it. */
export declare const repoRoot: string;
export interface BundledInput {
  /** Repo-relative path of the input file. */
  readonly file: string;
  /** Its minified bytes in the output. */
  readonly min: number;
  /** How much smaller the gzipped bundle is without its bytes. */
  readonly gz: number;
}
export interface AppBundle {
  readonly code: string;
  readonly min: number;
  readonly gz: number;
  readonly inputs: readonly BundledInput[];
}
export declare function bundleApp(entry: string): Promise<AppBundle>;
