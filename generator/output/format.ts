/**
 * Stage 5, format: prettier's layout with fixed options, so output never depends on the user's config.
 *
 * The printer's text is laid out here (layout.ts) unit by unit; prettier formats only the units whose
 * layout is not certain (long lines to break, object types inside unions, ...), all of a file's such
 * units in one call, and is only loaded when there are some. On GitHub's whole REST API that leaves
 * prettier a small part of the text. Big prettier inputs are formatted on worker threads as well as
 * this one, biggest first. The result is prettier's text either way; only the time changes.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { restoreDocComments, setDocCommentsAside } from "./doc-comments.js";
import { assemble, layOut, prettierInput, splitUnits, type Layout } from "./layout.js";

/**
 * Prettier's babel-ts parser: the same printed text as its typescript parser (test/generator/output/
 * format.test.ts checks every file in generated/ against the typescript parser), in about 60% of the
 * time on big outputs.
 *
 * `quoteProps: "preserve"`: the emitters quote exactly the keys that are not identifiers (propertyKey),
 * and prettier's default ("as-needed") unquotes some keys that are not identifiers either: a key such as
 * "ⸯ" (U+2E2F, a modifier letter that ECMAScript excludes from identifiers) came out bare, and the file no
 * longer parsed.
 */
export const PRETTIER_OPTIONS = {
  parser: "babel-ts",
  printWidth: 100,
  trailingComma: "all",
  endOfLine: "lf",
  quoteProps: "preserve",
} as const;

/** Below this much text for prettier in one call, the workers are not worth a message round trip each. */
const PARALLEL_MIN_CHARS = 1_000_000;
const MAX_WORKERS = 4;

/**
 * Prettier's text for TypeScript source, from prettier itself. JSDoc blocks are set aside while
 * prettier runs and put back as it would print them (doc-comments.ts). When a block cannot be put back
 * exactly, the original text is formatted as it is.
 */
export async function prettierFormat(text: string): Promise<string> {
  const { format } = await import("prettier");
  const aside = setDocCommentsAside(text);
  if (aside.blocks.length > 0) {
    const restored = restoreDocComments(await format(aside.text, PRETTIER_OPTIONS), aside.blocks);
    if (restored !== undefined) return restored;
  }
  return format(text, PRETTIER_OPTIONS);
}

/** What prettier must format for one file: the units layout.ts left, or the whole text. */
interface Job {
  readonly layout: Layout | undefined;
  readonly input: string | undefined;
}

function jobFor(text: string): Job {
  const layout = layOut(text);
  if (layout === undefined) return { layout, input: text };
  return { layout, input: layout.units.length === 0 ? undefined : prettierInput(layout.units) };
}

/** A file's text from its job and prettier's text for the job's input. */
async function finish(text: string, job: Job, formatted: string | undefined): Promise<string> {
  if (job.layout === undefined) return formatted!;
  if (job.input === undefined) return assemble(job.layout, []);
  const units = splitUnits(formatted!, job.layout.units);
  return units === undefined ? prettierFormat(text) : assemble(job.layout, units);
}

/** Prettier's text for TypeScript source the printer wrote (emit/declarations.ts). */
export async function formatTypeScript(text: string): Promise<string> {
  const job = jobFor(text);
  return finish(text, job, job.input === undefined ? undefined : await prettierFormat(job.input));
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

  /** Prettier's text for every text; the result is in the same order. */
  async prettierAll(texts: readonly string[]): Promise<string[]> {
    const out = new Array<string>(texts.length);
    const total = texts.reduce((n, t) => n + t.length, 0);
    const workers = total < PARALLEL_MIN_CHARS ? [] : this.#workers;
    const queue = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
    const local = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) out[i] = await prettierFormat(texts[i]!);
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

/** Formats every text; prettier's part on this thread and, when it is big, on a pool started for the call. */
export async function formatAll(texts: readonly string[]): Promise<string[]> {
  const jobs = texts.map(jobFor);
  const inputs = jobs.flatMap((job) => (job.input === undefined ? [] : [job.input]));
  const pool = FormatPool.start(inputs.reduce((n, t) => n + t.length, 0) < PARALLEL_MIN_CHARS ? 0 : undefined);
  let formatted: string[];
  try {
    formatted = await pool.prettierAll(inputs);
  } finally {
    await pool.close();
  }
  let next = 0;
  return Promise.all(jobs.map((job, i) => finish(texts[i]!, job, job.input === undefined ? undefined : formatted[next++])));
}
