/**
 * A real `redis-server` (the Debian package) for the distributed-state tests: found on PATH or in
 * /usr/bin, /usr/sbin; installed with apt-get when missing and running as root; otherwise the setup
 * fails with one line that says what to install. Each server listens on a free loopback port, keeps
 * nothing on disk, and is stopped by its pid.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, connect } from "node:net";

const CANDIDATES = ["/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"];

function which(): string | undefined {
  for (const path of CANDIDATES) if (existsSync(path)) return path;
  try {
    const found = execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
    return found === "" ? undefined : found;
  } catch {
    return undefined;
  }
}

/** The redis-server binary, installed first when missing and allowed. */
export function findRedisServer(): string {
  let path = which();
  if (path) return path;
  if (process.getuid?.() === 0) {
    execFileSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server"], {
      stdio: "ignore",
    });
    path = which();
    if (path) return path;
  }
  throw new Error("redis-server not found: install the Debian package redis-server (apt-get install -y redis-server)");
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server by its pid (SIGKILL when `crash`), resolving once it exited. */
  stop(crash?: boolean): Promise<void>;
  /** Starts it again on the same port (after stop), empty; does nothing while it runs. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that accepts nothing and answers nothing, as a stalled one. */
  freeze(): void;
  thaw(): void;
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  const signal = (name: NodeJS.Signals): void => void (running() && child!.pid !== undefined && process.kill(child!.pid, name));
  const start = async (): Promise<void> => {
    if (running()) return;
    const started = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
      {
        stdio: "ignore",
      },
    );
    child = started;
    let exited = false;
    started.once("exit", () => (exited = true));
    for (let i = 0; i < 500; i++) {
      if (exited) throw new Error(`redis-server exited at start (port ${port})`);
      if (await accepts(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`redis-server did not listen on port ${port} within 5 s`);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    freeze: () => signal("SIGSTOP"),
    thaw: () => signal("SIGCONT"),
    stop: async (crash = false) => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null || running.pid === undefined) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      process.kill(running.pid, "SIGCONT");
      process.kill(running.pid, crash ? "SIGKILL" : "SIGTERM");
      await exited;
    },
  };
}
