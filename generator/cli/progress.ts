/**
 * Progress of a long `generate` on a terminal: one stderr line, rewritten in place at each stage and erased
 * when the run ends. Nothing at all is written when stderr is not a terminal (CI logs, pipes, tests), so
 * what a run prints there stays exactly its result.
 */
import type { GenerateProgress } from "../generate.js";

/** Return to the line's start and erase it (a VT100 sequence every terminal emulator understands). */
const ERASE_LINE = "\r\u001b[K";

export interface ProgressLine {
  readonly update: (progress: GenerateProgress) => void;
  /** Erases the line, so that what follows starts on a clean one. */
  readonly clear: () => void;
}

export function progressText(progress: GenerateProgress): string {
  const what =
    progress.stage === "loading"
      ? `loading ${progress.name}`
      : `${progress.name}: ${progress.stage} ${(progress.count ?? 0).toLocaleString("en-US")} ${progress.stage === "emitting" ? "operations" : "files"}`;
  return `[${progress.index + 1}/${progress.total}] ${what}`;
}

/** A line on `write` when `isTTY`; otherwise one that writes nothing. */
export function progressLine(write: (text: string) => void, isTTY: boolean | undefined): ProgressLine {
  if (isTTY !== true) return { update: () => {}, clear: () => {} };
  let shown = false;
  return {
    update: (progress) => {
      write(`${ERASE_LINE}${progressText(progress)}`);
      shown = true;
    },
    clear: () => {
      if (shown) write(ERASE_LINE);
      shown = false;
    },
  };
}
