/**
 * Stage 5, format: prettier with fixed options, so output never depends on the user's config.
 *
 * Big outputs (GitHub's whole REST API is 3.5 MB of TypeScript) are formatted on worker threads as well
 * as this one, biggest file first: prettier is single-threaded and most of the generator's time. (Starting
 * the workers before the specs load, to overlap loading prettier with the generator's own work, measured
 * no different.) The result is the same text either way; only the wall time changes.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { format } from "prettier";
import { restoreDocComments, setDocCommentsAside } from "./doc-comments.js";

/**
 * Prettier's babel-ts parser: the same printed text as its typescript parser (test/generator/output/
 * format.test.ts checks every file in generated/ against the typescript parser), in about 60% of the
 * time on GitHub's 3 MB of resources, where formatting is most of the generator's time.
 */
export const PRETTIER_OPTIONS = { parser: "babel-ts", printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const;

/** Below this much text in one call, the workers are not worth a message round trip each. */
const PARALLEL_MIN_CHARS = 1_000_000;
const MAX_WORKERS = 4;

/**
 * Prettier's text for TypeScript source. JSDoc blocks are set aside while prettier runs and put back as
 * it would print them (doc-comments.ts): on GitHub's resources that is under half the time. When a block
 * cannot be put back exactly, the original text is formatted as it is.
 */
export async function formatTypeScript(text: string): Promise<string> {
  const aside = setDocCommentsAside(text);
  if (aside.blocks.length > 0) {
    const restored = restoreDocComments(await format(aside.text, PRETTIER_OPTIONS), aside.blocks);
    if (restored !== undefined) return restored;
  }
  return format(text, PRETTIER_OPTIONS);
}

/** Formatting threads besides the caller's; close() when done. */
export class FormatPool {
  readonly #workers: Worker[];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  /**
   * Starts one worker per core beyond this one (at most MAX_WORKERS - 1). None on one core, or when
   * running from TypeScript sources (tests), where the worker's compiled .js does not exist.
   */
  static start(workers = Math.min(availableParallelism(), MAX_WORKERS) - 1): FormatPool {
    const url = new URL("./format-worker.js", import.meta.url);
    const count = import.meta.url.endsWith(".ts") ? 0 : Math.max(0, workers);
    return new FormatPool(Array.from({ length: count }, () => new Worker(url)));
  }

  /** Formats every text; the result is in the same order. */
  async formatAll(texts: readonly string[]): Promise<string[]> {
    const out = new Array<string>(texts.length);
    const total = texts.reduce((n, t) => n + t.length, 0);
    const workers = total < PARALLEL_MIN_CHARS ? [] : this.#workers;
    const queue = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
    const local = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) out[i] = await formatTypeScript(texts[i]!);
    };
    const remote = async (worker: Worker) => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const index = i;
        out[index] = await new Promise<string>((resolve, reject) => {
          const fail = (error: unknown) => reject(error instanceof Error ? error : new Error(String(error)));
          worker.once("message", (message: { text?: string; error?: string }) => {
            worker.off("error", fail);
            if (message.error !== undefined) reject(new Error(message.error));
            else resolve(message.text!);
          });
          worker.once("error", fail);
          worker.postMessage(texts[index]);
        });
      }
    };
    await Promise.all([local(), ...workers.map(remote)]);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** Formats every text on this thread and, for big outputs, on a pool started for the call. */
export async function formatAll(texts: readonly string[]): Promise<string[]> {
  const pool = FormatPool.start(texts.reduce((n, t) => n + t.length, 0) < PARALLEL_MIN_CHARS ? 0 : undefined);
  try {
    return await pool.formatAll(texts);
  } finally {
    await pool.close();
  }
}
