/**
 * Stage 5, format: prettier with fixed options, so output never depends on the user's config.
 *
 * Big outputs (GitHub's whole REST API is 3 MB of TypeScript) are formatted on worker threads as well
 * as this one, biggest file first: prettier is single-threaded and most of the generator's time. The
 * result is the same text either way; only the wall time changes.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { format } from "prettier";

export const PRETTIER_OPTIONS = { parser: "typescript", printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const;

/** Below this much text in one call, starting workers (each loads prettier) costs more than it saves. */
const PARALLEL_MIN_CHARS = 1_000_000;
const MAX_WORKERS = 4;

export async function formatTypeScript(text: string): Promise<string> {
  return format(text, PRETTIER_OPTIONS);
}

/** Formats every text; the result is in the same order. */
export async function formatAll(texts: readonly string[]): Promise<string[]> {
  const total = texts.reduce((n, t) => n + t.length, 0);
  const workerUrl = new URL("./format-worker.js", import.meta.url);
  // From TypeScript sources (tests), the worker's .js does not exist: format here.
  const workers = total < PARALLEL_MIN_CHARS || import.meta.url.endsWith(".ts") ? 0 : Math.min(availableParallelism(), MAX_WORKERS) - 1;
  const out = new Array<string>(texts.length);
  if (workers <= 0) {
    for (let i = 0; i < texts.length; i++) out[i] = await formatTypeScript(texts[i]!);
    return out;
  }
  const queue = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
  const next = () => queue.shift();
  const local = async () => {
    for (let i = next(); i !== undefined; i = next()) out[i] = await formatTypeScript(texts[i]!);
  };
  const remote = async () => {
    const worker = new Worker(workerUrl);
    try {
      for (let i = next(); i !== undefined; i = next()) {
        const index = i;
        out[index] = await new Promise<string>((resolve, reject) => {
          worker.once("message", (message: { text?: string; error?: string }) =>
            message.error !== undefined ? reject(new Error(message.error)) : resolve(message.text!),
          );
          worker.once("error", reject);
          worker.postMessage(texts[index]);
        });
        worker.removeAllListeners("error");
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all([local(), ...Array.from({ length: workers }, remote)]);
  return out;
}
