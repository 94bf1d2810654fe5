/** A redis-server (the Debian package) on a free loopback port for a bench, keeping nothing on disk, with a connected ioredis client; stopped by its pid. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

export async function startRedis() {
  const binary = ["/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"].find(existsSync);
  if (!binary) throw new Error("redis-server not found: install the Debian package redis-server");
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const { Redis } = await import("ioredis");
  const client = new Redis({ port, host: "127.0.0.1", retryStrategy: () => 10 });
  client.on("error", () => undefined);
  await client.ping();
  return {
    port,
    client,
    stop: async () => {
      client.disconnect();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid, "SIGTERM");
      await exited;
    },
  };
}
