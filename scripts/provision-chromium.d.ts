/** Types of provision-chromium.js, for its test. */
export declare const CHROMIUM: string;
export interface EnsureChromiumOptions {
  readonly executable?: string;
  readonly uid?: number;
  readonly hasAptGet?: boolean;
  readonly install?: (args: readonly string[]) => number;
  readonly log?: (line: string) => void;
}
export declare function ensureChromium(options?: EnsureChromiumOptions): "present" | "installed";
