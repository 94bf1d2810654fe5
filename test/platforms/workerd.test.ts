/**
 * A Cloudflare Worker without nodejs_compat: the generated Stripe client and webhook verifier, bundled by
 * esbuild with the conditions a Worker bundler uses ("workerd", "worker", "browser"), run on workerd (the
 * `workerd` devDependency, which installs @cloudflare/workerd-linux-64) against a loopback server. The
 * bundle must import nothing from node:* and carry no undici; its size is printed beside the size of the
 * same application bundled for Node with the undici transport.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLoopbackServer } from "../helpers/loopback-server.js";
import { expectScenario, scenarioInput } from "./scenario.js";

const repo = path.resolve(import.meta.dirname, "../..");
const workerd = path.join(repo, "node_modules/.bin/workerd");
const WORKER_CONDITIONS = ["workerd", "worker", "browser"];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "switchboard-workerd-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Bundle {
  readonly file: string;
  readonly text: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

async function bundle(name: string, entry: string, platform: "neutral" | "node", conditions: string[]): Promise<Bundle> {
  const file = path.join(dir, `${name}.js`);
  const result = await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    format: "esm",
    minify: true,
    platform,
    conditions,
    ...(platform === "neutral" && { mainFields: ["browser", "module", "main"] }),
    outfile: file,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0]!;
  await writeFile(file, output.contents);
  return { file, text: output.text, bytes: output.contents.byteLength, metafile: result.metafile };
}

/** Every module the bundle imports at run time rather than carrying (externals). */
function externalImports(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe("a Cloudflare Worker without nodejs_compat", () => {
  const server = useLoopbackServer();
  let worker: Bundle;

  beforeAll(async () => {
    worker = await bundle("worker", `export { default } from "./worker-app.js";`, "neutral", WORKER_CONDITIONS);
  });

  it("bundles with no node:* import, no undici and the Web platform of the webhook engine", async () => {
    expect(externalImports(worker.metafile)).toEqual([]);
    expect(worker.text).not.toMatch(/["'`]node:[a-z]/);
    const inputs = Object.keys(worker.metafile.inputs);
    expect(inputs.filter((i) => /node_modules\/undici\//.test(i))).toEqual([]);
    expect(inputs.some((i) => i.endsWith("webhooks/platform/web.js"))).toBe(true);
    expect(inputs.some((i) => i.endsWith("webhooks/platform/node.js"))).toBe(false);

    // The same application for Node with the undici transport, for the figure beside it.
    const node = await bundle(
      "node",
      `export { default } from "./worker-app.js"; export { undiciTransport } from "@switchboard/runtime/undici";`,
      "node",
      [],
    );
    expect(Object.keys(node.metafile.inputs).some((i) => /node_modules\/undici\//.test(i))).toBe(true);
    console.info(
      `worker bundle (client + verifier, minified): ${worker.bytes} bytes; for Node with the undici transport: ${node.bytes} bytes`,
    );
    expect(worker.bytes).toBeLessThan(node.bytes / 3);
  });

  it("runs on workerd: the client calls a loopback server and the verifier checks a signed Stripe delivery", async () => {
    expect(existsSync(workerd), "workerd is not installed: run npm ci (it is a devDependency)").toBe(true);
    const port = await freePort();
    const config = path.join(dir, "config.capnp");
    // No compatibilityFlags: in particular no nodejs_compat. The outbound network may reach loopback.
    await writeFile(
      config,
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .app),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const app :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
  globalOutbound = "loopback",
);
`,
    );
    let log = "";
    const child: ChildProcess = spawn(workerd, ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const input = scenarioInput(server);
      const send = () => fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: input });
      // Until workerd listens (or exits): connection refusals only, each answered by the next attempt.
      let response: Response | undefined;
      for (let attempt = 0; response === undefined; attempt++) {
        const outcome = await Promise.race([send().catch((error: unknown) => error as Error), exited.then(() => "exited" as const)]);
        if (outcome === "exited") throw new Error(`workerd exited:\n${log}`);
        if (outcome instanceof Response) response = outcome;
        else if (attempt > 200) throw new Error(`workerd never answered: ${outcome.message}\n${log}`);
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const text = await response.text();
      expect(response.status, `${text}\n${log}`).toBe(200);
      expectScenario(text, server, "workerd");
    } finally {
      child.kill();
      await exited;
    }
  });
});
