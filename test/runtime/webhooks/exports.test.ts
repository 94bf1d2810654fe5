/**
 * The webhook subpath exports resolve in the built package, and the runtime core stays free of the
 * optional peers: everything `@switchboard/runtime` and the framework adapters load at run time is
 * Node built-ins and the package's own files; the runtime's one dependency, undici, is loaded only by the
 * Node transport, which the default transport imports on first use through the package's ./undici entry. Only `@switchboard/runtime/webhooks/sqlite` loads better-sqlite3.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { externalImports as externalImportsOf } from "../../helpers/external-imports.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

const externalImports = (entry: string): Set<string> => externalImportsOf(root, entry);

describe("webhook subpath exports of the built package", () => {
  it("resolve through the exports map and export their entry points", () => {
    expect(existsSync(resolve(root, "runtime/dist/index.js")), "run `npm run build` first (npm test does)").toBe(true);
    const script = `
      const names = {};
      for (const path of ["@switchboard/runtime", "@switchboard/runtime/webhooks/node", "@switchboard/runtime/webhooks/express", "@switchboard/runtime/webhooks/fastify", "@switchboard/runtime/webhooks/fetch", "@switchboard/runtime/webhooks/sqlite"]) {
        names[path] = Object.keys(await import(path)).sort();
      }
      console.log(JSON.stringify(names));`;
    const names = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }),
    ) as Record<string, string[]>;
    expect(names["@switchboard/runtime"]).toEqual(
      expect.arrayContaining(["createWebhookHandler", "MemoryDedupStore", "WEBHOOK_REJECTION_STATUS", "webhookErrorResponse"]),
    );
    expect(names["@switchboard/runtime/webhooks/node"]).toEqual(["createNodeWebhookListener"]);
    expect(names["@switchboard/runtime/webhooks/express"]).toEqual(["createExpressWebhookHandler", "keepRawBody"]);
    expect(names["@switchboard/runtime/webhooks/fastify"]).toEqual(["fastifyWebhookPlugin"]);
    expect(names["@switchboard/runtime/webhooks/fetch"]).toEqual(["createFetchWebhookHandler"]);
    expect(names["@switchboard/runtime/webhooks/sqlite"]).toEqual(["SqliteDedupStore"]);
  });

  it("runtime/dist/index.js (the application entry) loads only Node built-ins and its own files", () => {
    expect([...externalImports("runtime/dist/index.js")].filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);
  });

  it("runtime/dist/contract.js (what generated code imports) loads only Node built-ins and its own files; undici only through the package's ./undici entry, on first use", () => {
    expect([...externalImports("runtime/dist/contract.js")].filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);
    // The default transport names that entry by a variable (so bundlers leave it out); the entry loads undici.
    expect(readFileSync(resolve(root, "runtime/dist/transport/default.js"), "utf8")).toContain('"@switchboard/runtime/undici"');
    expect([...externalImports("runtime/dist/undici.js")]).toEqual(["undici"]);
  });

  it.each([
    "runtime/dist/webhooks/adapters/node-http.js",
    "runtime/dist/webhooks/adapters/express.js",
    "runtime/dist/webhooks/adapters/fastify.js",
    "runtime/dist/webhooks/adapters/fetch.js",
  ])("%s loads only Node built-ins and its own files at run time", (entry) => {
    expect([...externalImports(entry)].filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);
  });

  it("only the SQLite store loads better-sqlite3", () => {
    expect([...externalImports("runtime/dist/webhooks/sqlite-dedup-store.js")]).toEqual(["better-sqlite3"]);
  });
});
