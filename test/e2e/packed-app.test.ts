/**
 * The user's path, end to end, on the packages as npm would publish them: `npm pack` both packages,
 * create fresh ESM and CommonJS applications in temporary folders, run README's walkthrough there
 * (every command of its block, verbatim except that the two package names install the tarballs),
 * compile the application with tsc under nodenext, node16 and bundler resolution (node16 for an ESM
 * application; for a CommonJS one README says TypeScript refuses it, and this checks that it does), run it against a loopback
 * server, then `npm prune --omit=dev` and run it again: the production install must hold the runtime
 * and its dependencies only, in at most 5 MB.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, DEV_ONLY_PACKAGES, dirSize, installedPackages, npmEnv, packPackages, sh } from "../../bench/lib/packed-app.js";

const repo = path.resolve(import.meta.dirname, "../..");
const MAX_PRODUCTION_BYTES = 5 * 1024 * 1024;
// Generous limits, not speed targets: compiling GitHub's client twice per application takes minutes on a
// shared machine, and the suite shares it with every other one under `npm test`.

/** The commands of README's walkthrough block (the ```sh block after the "walkthrough" marker). */
export function walkthroughCommands(readme: string): string[] {
  const marker = readme.indexOf("<!-- walkthrough:");
  if (marker < 0) throw new Error("README.md has no walkthrough marker");
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!block) throw new Error("README.md's walkthrough marker is not followed by a ```sh block");
  return block[1]!
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

const APP_SOURCE = `import { createStripeClient, verifyStripeWebhook, stripeWebhooksDefinition } from "../generated/stripe/index.js";
import { createGithubClient } from "../generated/github/index.js";
import { isProviderError, signWebhook } from "@switchboard/runtime";

async function main(): Promise<void> {
  const baseUrl = process.env["API_BASE"]!;
  const stripe = createStripeClient({ auth: { token: "sk_test_e2e" }, baseUrl, retry: false });
  const github = createGithubClient({ auth: { token: "ghp_e2e" }, baseUrl, retry: false });
  const customer = await stripe.customers.retrieve({ customer: "cus_1" });
  const repo = await github.repos.get({ owner: "octo", repo: "hello" });
  let kind = "none";
  try {
    await stripe.customers.retrieve({ customer: "cus_missing" });
  } catch (error) {
    if (isProviderError(error)) kind = error.kind;
  }
  const body = JSON.stringify({ id: "evt_1", object: "event", type: "customer.created", data: { object: { id: "cus_1" } } });
  const signed = signWebhook(stripeWebhooksDefinition, { body, secret: "whsec_e2e" });
  const event = await verifyStripeWebhook({ headers: signed.headers, body }, { secret: "whsec_e2e" });
  console.log(JSON.stringify({ customer: (customer as { id: string }).id, repo: repo.full_name, kind, event: event.type }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const TSCONFIG_BASE = {
  strict: true,
  target: "es2022",
  skipLibCheck: false,
  types: ["node"],
};

function loopbackApi(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": "req_e2e" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/v1/customers/cus_1") return json(200, { id: "cus_1", object: "customer" });
    if (req.url === "/v1/customers/cus_missing")
      return json(404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such customer" } });
    if (req.url === "/repos/octo/hello") return json(200, { id: 1, name: "hello", full_name: "octo/hello" });
    json(404, { message: "Not Found" });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

let work: string;
let tarballs: Awaited<ReturnType<typeof packPackages>>;
let api: { server: Server; url: string };
const readme = readFileSync(path.join(repo, "README.md"), "utf8");

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "switchboard-e2e-"));
  tarballs = await packPackages(repo, path.join(work, "packs"));
  api = await loopbackApi();
}, 300_000);

afterAll(async () => {
  api?.server.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it("ship their LICENSE, README and docs, the built code, the schema and the bundled providers, and no source maps", () => {
    expect(tarballs.tool.files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "CHANGELOG.md",
        "bin/switchboard.js",
        "dist/generator/cli/main.js",
        "schema/spec-v1.schema.json",
        "docs/spec.md",
        // The guides the README links to, beside it.
        "docs/auth.md",
        "docs/webhook-handling.md",
        "providers/index.json",
        "providers/github/github.yaml",
      ]),
    );
    expect(tarballs.runtime.files).toEqual(
      expect.arrayContaining(["LICENSE", "README.md", "dist/contract.js", "dist/index.d.ts", "dist/webhooks/platform/web.js"]),
    );
    for (const files of [tarballs.tool.files, tarballs.runtime.files]) {
      expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
      expect(files.filter((f) => /^(test|specs|generated|bench)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
    }
    // GitHub's imported documents ship as slices, not as the 421 MB of @octokit packages.
    expect(tarballs.tool.unpackedSize).toBeLessThan(20 * 1024 * 1024);
  });
});

describe.each(["module", "commonjs"] as const)("a fresh %s application", (type) => {
  let app: string;
  const shell = (line: string) => sh("sh", ["-c", line], { cwd: app });

  beforeAll(async () => {
    app = path.join(work, type);
    await createApp(app, type);
    // What the application already has before it adopts Switchboard: TypeScript and Node's types.
    await sh("npm", ["install", "--save-dev", "typescript@5.9.3", "@types/node@20.19.43"], { cwd: app });
  }, 1_200_000);

  it("runs README's walkthrough verbatim (the package names installing the tarballs)", async () => {
    const commands = walkthroughCommands(readme);
    expect(commands).toEqual(
      expect.arrayContaining([
        "npx switchboard init",
        "npx switchboard add stripe",
        "npx switchboard add github",
        "npx switchboard generate",
      ]),
    );
    const outputs: string[] = [];
    for (const line of commands) {
      const command = line.startsWith("npm install")
        ? line
            .replace(/(?<=\s)@switchboard\/runtime(?=\s|$)/, tarballs.runtime.file)
            .replace(/(?<=\s)switchboard(?=\s|$)/, tarballs.tool.file)
        : line;
      const { stdout } = await shell(command);
      outputs.push(stdout);
    }
    const pkg = JSON.parse(await readFile(path.join(app, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).toEqual(["@switchboard/runtime"]);
    expect(Object.keys(pkg.devDependencies)).toContain("switchboard");
    const config = JSON.parse(await readFile(path.join(app, "switchboard.config.json"), "utf8")) as unknown;
    expect(config).toEqual({ specs: "specs", out: "generated", runtimeImport: "@switchboard/runtime/contract" });
    const all = outputs.join("");
    expect(all).toContain("npx switchboard generate --check");
    expect(all).toMatch(/^stripe: \d+ operations, \d+ events/m);
    expect(all).toMatch(/^github: 352 operations, 75 events/m);
    // The $schema line resolves from the spec's folder into the installed package.
    const spec = await readFile(path.join(app, "specs", "github.yaml"), "utf8");
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(spec)![1]!;
    expect(schema).toBe("../node_modules/switchboard/schema/spec-v1.schema.json");
    expect(JSON.parse(await readFile(path.resolve(app, "specs", schema), "utf8"))).toHaveProperty("title");
  }, 1_200_000);

  it("compiles under nodenext, node16 (ESM) and bundler resolution and runs against a loopback server, before and after npm prune --omit=dev", async () => {
    await mkdir(path.join(app, "src"), { recursive: true });
    await writeFile(path.join(app, "src", "main.ts"), APP_SOURCE);
    await writeFile(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...TSCONFIG_BASE, module: "nodenext", moduleResolution: "nodenext", outDir: "dist" },
        include: ["src", "generated"],
      }),
    );
    await writeFile(
      path.join(app, "tsconfig.bundler.json"),
      JSON.stringify({
        compilerOptions: { ...TSCONFIG_BASE, module: "preserve", moduleResolution: "bundler", noEmit: true },
        include: ["src", "generated"],
      }),
    );
    await writeFile(
      path.join(app, "tsconfig.node16.json"),
      JSON.stringify({
        compilerOptions: { ...TSCONFIG_BASE, module: "node16", moduleResolution: "node16", noEmit: true },
        include: ["src", "generated"],
      }),
    );
    await sh("npx", ["tsc", "-p", "tsconfig.json"], { cwd: app });
    await sh("npx", ["tsc", "-p", "tsconfig.bundler.json"], { cwd: app });
    if (type === "module") await sh("npx", ["tsc", "-p", "tsconfig.node16.json"], { cwd: app });
    else {
      // README: under node16, TypeScript does not let CommonJS import an ES module (only nodenext models
      // Node's require(esm)); a CommonJS application compiles with module nodenext.
      const refused = await sh("npx", ["tsc", "-p", "tsconfig.node16.json"], { cwd: app }).then(
        () => "compiled",
        (error: unknown) => String((error as { stdout?: string }).stdout ?? error),
      );
      expect(refused).toMatch(/error TS1479: .*@switchboard\/runtime\/contract/);
    }
    const expected = { customer: "cus_1", repo: "octo/hello", kind: "not_found", event: "customer.created" };
    const runApp = async () => {
      const { stdout } = await sh("node", ["dist/src/main.js"], { cwd: app, env: npmEnv({ API_BASE: api.url }) });
      return JSON.parse(stdout.trim()) as unknown;
    };
    expect(await runApp()).toEqual(expected);

    await sh("npm", ["prune", "--omit=dev"], { cwd: app });
    const production = installedPackages(path.join(app, "node_modules"));
    expect(production).toEqual(["@noble/hashes", "@switchboard/runtime", "undici"]);
    expect(production.filter((p) => DEV_ONLY_PACKAGES.includes(p))).toEqual([]);
    expect(dirSize(path.join(app, "node_modules"))).toBeLessThanOrEqual(MAX_PRODUCTION_BYTES);
    expect(await runApp()).toEqual(expected);
  }, 1_200_000);
});
