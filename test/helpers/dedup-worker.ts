/** Starts `dedup-worker.mjs` (a webhook server on the built package and a SQLite store) as a child process. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./dedup-worker.mjs", import.meta.url));
const built = fileURLToPath(new URL("../../runtime/dist/webhooks/sqlite-dedup-store.js", import.meta.url));

export interface DedupWorker {
  readonly child: ChildProcess;
  readonly url: string;
  /** SIGKILL, as a crash: nothing is flushed or closed. Resolves once the process has exited. */
  kill(): Promise<void>;
}

/** Starts a worker with `env` (DB_PATH, LOG_PATH, and optionally GATE_PATH, LEASE_MS, CLOCK_OFFSET_MS) and waits until it listens. */
export async function startDedupWorker(env: Record<string, string>, started: ChildProcess[]): Promise<DedupWorker> {
  if (!existsSync(built)) throw new Error("the worker runs the built package: run `npm run build` first (npm test does)");
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  started.push(child);
  const port = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${String(code)} before it was ready`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}/webhooks`,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
