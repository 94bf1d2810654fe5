/**
 * The inbox's subpath exports resolve in the built package, and each loads only what it needs: the
 * inbox entry no package at all, the SQLite inbox better-sqlite3 alone, the Redis inbox nothing (it
 * takes the application's ioredis client). An application that uses none of them ships none of it:
 * the runtime's main entry does not reach them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { externalImports } from "../../../helpers/external-imports.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

describe("webhook inbox subpath exports of the built package", () => {
  it("resolve through the exports map and export their entry points", () => {
    expect(existsSync(resolve(root, "runtime/dist/webhooks/inbox/index.js")), "run `npm run build` first (npm test does)").toBe(true);
    const script = `
      const names = {};
      for (const path of ["@switchboard/runtime/webhooks/inbox", "@switchboard/runtime/webhooks/inbox/sqlite", "@switchboard/runtime/webhooks/inbox/redis"])
        names[path] = Object.keys(await import(path)).sort();
      console.log(JSON.stringify(names));`;
    const names = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }),
    ) as Record<string, string[]>;
    expect(names["@switchboard/runtime/webhooks/inbox"]).toEqual([
      "backoffDelay",
      "createInboxWebhookHandler",
      "createInboxWorker",
      "listDeadLetters",
      "replayDeadLetters",
    ]);
    expect(names["@switchboard/runtime/webhooks/inbox/sqlite"]).toEqual(["SqliteInbox"]);
    expect(names["@switchboard/runtime/webhooks/inbox/redis"]).toEqual(["RedisInbox"]);
  });

  it("the inbox entry loads no package; the SQLite inbox only better-sqlite3; the Redis inbox none (not ioredis)", () => {
    const external = (entry: string) => [...externalImports(root, entry)].filter((s) => !s.startsWith("node:"));
    expect(external("runtime/dist/webhooks/inbox/index.js")).toEqual([]);
    expect(external("runtime/dist/webhooks/inbox/sqlite-inbox.js")).toEqual(["better-sqlite3"]);
    expect(external("runtime/dist/webhooks/inbox/redis-inbox.js")).toEqual([]);
  });

  it("the runtime's main entry does not reach the inbox", () => {
    expect(readFileSync(resolve(root, "runtime/dist/index.js"), "utf8")).not.toContain("inbox");
  });
});
