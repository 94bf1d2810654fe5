/**
 * The generated client and webhook verifier on Bun and Deno, each obtained from npm (devDependencies
 * `bun` and `deno`, which install @oven/bun-linux-x64 and @deno/linux-x64-glibc on this platform), running
 * the generated TypeScript directly against a loopback server. On these runtimes the client's default
 * transport is the Fetch API (runtime/transport/default.ts).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useLoopbackServer } from "../helpers/loopback-server.js";
import { expectScenario, scenarioInput } from "./scenario.js";

const repo = path.resolve(import.meta.dirname, "../..");
const app = path.join(import.meta.dirname, "stripe-app.ts");
const run = promisify(execFile);

const runtimes = {
  // Bun runs TypeScript and maps the generated code's "./x.js" imports to x.ts itself.
  bun: { bin: path.join(repo, "node_modules/.bin/bun"), args: (input: string) => [app, input] },
  // Deno needs --sloppy-imports for those "./x.js" specifiers of TypeScript files (as NodeNext writes them).
  deno: {
    bin: path.join(repo, "node_modules/.bin/deno"),
    args: (input: string) => ["run", "--sloppy-imports", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", app, input],
  },
} as const;

describe.each(Object.entries(runtimes))("on %s", (name, runtime) => {
  const server = useLoopbackServer();

  it("the generated client calls a loopback server and the generated verifier checks a signed Stripe delivery", async () => {
    expect(existsSync(runtime.bin), `${name} is not installed: run npm ci (it is a devDependency)`).toBe(true);
    const { stdout } = await run(runtime.bin, runtime.args(scenarioInput(server)), {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    expectScenario(stdout, server, name);
  });
});
