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
}

/** Starts `count` workers, each with `env` plus WORKER=<index>, and waits until all are ready. */
export async function startFleet<T>(count: number, env: Record<string, string>): Promise<Fleet<T>> {
  if (!existsSync(built)) throw new Error("the workers run the built package: run `npm run build` first (npm test does)");
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const results: Promise<T>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env, WORKER: String(i) },
      stdio: ["pipe", "pipe", "inherit"],
    });
    children.push(child);
    let output = "";
    let markReady!: () => void;
    ready.push(new Promise<void>((resolve) => (markReady = resolve)));
    results.push(
      new Promise<T>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("READY\n")) markReady();
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
  await Promise.race([Promise.all(ready), Promise.all(results)]);
  return {
    children,
    go: () => {
      for (const child of children) child.stdin!.write("go\n");
    },
    results: Promise.all(results),
  };
}
