export declare const repoRoot: string;
export interface AppBundle {
  readonly code: string;
  readonly min: number;
  readonly gz: number;
  readonly inputs: readonly (readonly [string, { readonly bytesInOutput: number }])[];
}
export declare function bundleApp(entry: string): Promise<AppBundle>;
