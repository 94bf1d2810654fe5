/**
 * Issue 18: ioredis is an optional peer. The runtime, its Redis subpath included, loads without it
 * (the Redis stores take a client the application creates), and the SQLite rate-limit store is the only
 * new module that loads better-sqlite3.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { externalImports } from "../../helpers/external-imports.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** A resolve hook under which `ioredis` does not exist, as in an application that did not install it. */
const WITHOUT_IOREDIS = `data:text/javascript,${encodeURIComponent(
  `export async function resolve(specifier, context, next) { if (specifier === "ioredis") throw new Error("Cannot find package 'ioredis'"); return next(specifier, context); }`,
)}`;

describe("distributed stores in the built package", () => {
  it("@switchboard/runtime and @switchboard/runtime/redis load where ioredis cannot be found", () => {
    const script = `
      import { register } from "node:module";
      register(${JSON.stringify(WITHOUT_IOREDIS)});
      await import("ioredis").then(() => { throw new Error("the hook did not hide ioredis"); }, () => undefined);
      const core = await import("@switchboard/runtime");
      const redis = await import("@switchboard/runtime/redis");
      console.log(JSON.stringify({ core: "StoreUnavailableError" in core, redis: Object.keys(redis).sort() }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" })) as {
      core: boolean;
      redis: string[];
    };
    expect(out.core).toBe(true);
    expect(out.redis).toEqual([
      "RedisDedupStore",
      "RedisRateLimitStore",
      "RedisTokenStore",
      "StoreUnavailableError",
      "isStoreUnavailableError",
    ]);
  });

  it("the Redis subpath loads only Node built-ins and its own files; the SQLite rate-limit store only better-sqlite3", () => {
    expect([...externalImports(root, "runtime/dist/redis/index.js")].filter((s) => !s.startsWith("node:"))).toEqual([]);
    expect([...externalImports(root, "runtime/dist/stores/sqlite-rate-limit-store.js")]).toEqual(["better-sqlite3"]);
  });
});
