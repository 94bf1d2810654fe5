/**
 * The webhook subpath exports resolve in the built package, and the runtime core stays free of the
 * optional peers: everything `switchboard/runtime` and the framework adapters load at run time is
 * Node built-ins, the package's own files and, for the runtime, its one dependency undici (the Node
 * transport, imported lazily). Only `switchboard/webhooks/sqlite` loads better-sqlite3.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Every bare specifier a built module reaches through its static and dynamic imports. */
function externalImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)|(?:^|\n)\s*import\s+"([^"]+)"/g,
    )) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(resolve(root, entry));
  return external;
}

describe("webhook subpath exports of the built package", () => {
  it("resolve through the exports map and export their entry points", () => {
    expect(existsSync(resolve(root, "dist/runtime/index.js")), "run `npm run build` first (npm test does)").toBe(true);
    const script = `
      const names = {};
      for (const path of ["switchboard/runtime", "switchboard/webhooks/node", "switchboard/webhooks/express", "switchboard/webhooks/fastify", "switchboard/webhooks/fetch", "switchboard/webhooks/sqlite"]) {
        names[path] = Object.keys(await import(path)).sort();
      }
      console.log(JSON.stringify(names));`;
    const names = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }),
    ) as Record<string, string[]>;
    expect(names["switchboard/runtime"]).toEqual(
      expect.arrayContaining(["createWebhookHandler", "MemoryDedupStore", "WEBHOOK_REJECTION_STATUS", "webhookErrorResponse"]),
    );
    expect(names["switchboard/webhooks/node"]).toEqual(["createNodeWebhookListener"]);
    expect(names["switchboard/webhooks/express"]).toEqual(["createExpressWebhookHandler", "keepRawBody"]);
    expect(names["switchboard/webhooks/fastify"]).toEqual(["fastifyWebhookPlugin"]);
    expect(names["switchboard/webhooks/fetch"]).toEqual(["createFetchWebhookHandler"]);
    expect(names["switchboard/webhooks/sqlite"]).toEqual(["SqliteDedupStore"]);
  });

  it("dist/runtime/index.js loads only Node built-ins, its own files and undici", () => {
    expect([...externalImports("dist/runtime/index.js")].filter((specifier) => !specifier.startsWith("node:"))).toEqual(["undici"]);
  });

  it.each([
    "dist/runtime/webhooks/adapters/node-http.js",
    "dist/runtime/webhooks/adapters/express.js",
    "dist/runtime/webhooks/adapters/fastify.js",
    "dist/runtime/webhooks/adapters/fetch.js",
  ])("%s loads only Node built-ins and its own files at run time", (entry) => {
    expect([...externalImports(entry)].filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);
  });

  it("only the SQLite store loads better-sqlite3", () => {
    expect([...externalImports("dist/runtime/webhooks/sqlite-dedup-store.js")]).toEqual(["better-sqlite3"]);
  });
});
