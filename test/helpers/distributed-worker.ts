/** Runs `distributed-worker.mjs` processes (on the built package) and collects their results. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./distributed-worker.mjs", import.meta.url));
const built = fileURLToPath(new URL("../../runtime/dist/redis/index.js", import.meta.url));

export interface Fleet<T> {
  /** Tells every process to start at once. */
  go(): void;
  /** Each process's JSON result, in start order; rejects if one exits without one. */
  readonly results: Promise<T[]>;
  readonly children: readonly ChildProcess[];
  /** What each process printed after READY (a webhook worker's port). */
  readonly ready: readonly string[];
  /** SIGKILLs every process still running and waits for it to exit. */
  kill(): Promise<void>;
}

/** Starts `count` workers, each with `env` plus WORKER=<index>, and waits until all are ready. */
export async function startFleet<T>(count: number, env: Record<string, string>): Promise<Fleet<T>> {
  if (!existsSync(built)) throw new Error("the workers run the built package: run `npm run build` first (npm test does)");
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const results: Promise<T>[] = [];
  const readyLines: string[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env, WORKER: String(i) },
      stdio: ["pipe", "pipe", "inherit"],
    });
    children.push(child);
    let output = "";
    let markReady!: () => void;
    const index = i;
    ready.push(new Promise<void>((resolve) => (markReady = resolve)));
    results.push(
      new Promise<T>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /READY ?([^\n]*)\n/.exec(output);
          if (match) {
            readyLines[index] = match[1]!;
            markReady();
          }
        });
        child.once("exit", (code, signal) => {
          const line = output
            .split("\n")
            .filter((l) => l.startsWith("{"))
            .pop();
          if (line) resolve(JSON.parse(line) as T);
          else reject(new Error(`worker ${i} exited (${String(code ?? signal)}) without a result`));
        });
      }),
    );
  }
  const all = Promise.all(results);
  all.catch(() => undefined); // awaited by whoever reads `results`; killed servers have none
  await Promise.race([Promise.all(ready), all]);
  return {
    children,
    go: () => {
      for (const child of children) child.stdin!.write("go\n");
    },
    results: all,
    ready: readyLines,
    kill: async () => {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGKILL");
          await exited;
        }),
      );
    },
  };
}
